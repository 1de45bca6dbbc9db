import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AgentBar } from '../agents/agent.js';
import { all } from '../agents/catalog.js';
import { SignalEngine } from './signal-engine.js';

interface Series {
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
  date?: string[];
}

const load = (file: string): Series =>
  JSON.parse(readFileSync(new URL(`../../../../../shared/eval/prices/${file}`, import.meta.url), 'utf8')) as Series;

const DAY = 86_400_000;
const T0 = Date.parse('2019-01-02T21:00:00Z');
const barsOf = (s: Series): AgentBar[] =>
  s.close.map((c, i) => ({
    t: s.date ? Date.parse(`${s.date[i]}T21:00:00Z`) : T0 + i * DAY,
    o: s.open[i] as number,
    h: s.high[i] as number,
    l: s.low[i] as number,
    c,
    v: s.volume[i] as number,
  }));

/** FNV-1a of `text`, in hex: a bar's answers are 13 agents' worth of numbers; the snapshot keeps their digest. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/**
 * Replays both real series through an engine with every built-in agent (bars in batches, one bar
 * alone, quotes between bars) and records, per bar, every agent's full answer and every emitted
 * signal. The snapshot was written by the engine before its hot path was reworked: any change to
 * what the engine says, to the last bit of a number, fails here.
 */
function replay(): string[] {
  const spy = barsOf(load('input_spy_daily_300.json'));
  const talib = barsOf(load('input_talib_regtest_252.json'));
  const engine = new SignalEngine({ agents: all(), clock: { now: () => T0 } });
  engine.watch(['SPY', 'TALIB', 'SPY2']);
  const lines: string[] = [];
  const n = Math.max(spy.length, talib.length);
  const answers = (symbol: string) =>
    engine
      .answers(symbol)
      .map(({ signal }) =>
        // A HOLD is its one reading; a BUY/SELL its confidence, risk figures and reasoning.
        signal.action === 'HOLD'
          ? String(signal.reasoning.factors[0]?.value)
          : JSON.stringify([signal.action, signal.confidence, signal.riskMetrics, signal.reasoning]),
      )
      .join(' ');
  for (let i = 0; i < n; i++) {
    const batch: Array<{ symbol: string; bar: AgentBar }> = [];
    const a = spy[i];
    const b = talib[i];
    if (a) batch.push({ symbol: 'SPY', bar: a });
    if (b) batch.push({ symbol: 'TALIB', bar: b });
    const signals = engine.onBars(batch);
    // A second SPY fed one bar at a time, with a quote between bars that sometimes moves past the threshold.
    if (a) {
      const alone = engine.onBar('SPY2', a);
      const quoted = engine.onQuote({ symbol: 'SPY2', price: a.c * (i % 3 === 0 ? 1.012 : 1.001), asOf: a.t + 1 });
      if (alone) signals.push(alone);
      if (quoted) signals.push(quoted);
    }
    lines.push(`#${i} ${JSON.stringify(signals)}`);
    for (const symbol of ['SPY', 'TALIB', 'SPY2']) lines.push(`${symbol} ${fnv1a(answers(symbol))}`);
  }
  return lines;
}

describe('SignalEngine on the real series', () => {
  it('emits exactly the signals and agent answers it emitted before its hot path was reworked', async () => {
    const lines = replay();
    expect(lines.filter((l) => l.startsWith('#') && l.includes('"action"')).length).toBeGreaterThan(10);
    await expect(`${lines.join('\n')}\n`).toMatchFileSnapshot('./__snapshots__/engine-equivalence.txt');
  });
});
