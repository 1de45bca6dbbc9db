import { agents } from '@stockade/signals';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { RSI } from 'technicalindicators';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../captured-io.test-support.js';
import type { SymbolSignals } from './signals.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.stop());

const FROM = '2025-01-02';
const TO = '2026-06-30';

async function dailyBars(symbol: string, from: string, to: string) {
  const run = await runCaptured(['bars', symbol, '--from', from, '--to', to, '--json', '--simulator', sim.origin]);
  expect(run.code).toBe(0);
  return (JSON.parse(run.stdout) as { bars: Array<{ sessionDate: string; c: number }> }).bars;
}

async function signalsJson(args: string[]): Promise<SymbolSignals[]> {
  const run = await runCaptured(['signals', ...args, '--json', '--simulator', sim.origin]);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return JSON.parse(run.stdout) as SymbolSignals[];
}

describe('stockade signals', () => {
  it("reports the RSI agent's reading equal to a peer library's RSI(14) of the same closes", async () => {
    const bars = await dailyBars('AAPL', FROM, TO);
    const peer = RSI.calculate({ values: bars.map((b) => b.c), period: 14 });
    const [aapl] = await signalsJson(['AAPL', '--agents', 'rsi', '--from', FROM, '--to', TO]);
    expect(aapl?.session).toBe(bars.at(-1)?.sessionDate);
    expect(aapl?.close).toBe(bars.at(-1)?.c);
    expect(aapl?.bars).toBe(bars.length);
    const reading = aapl?.agents[0]?.reasoning.factors.find((f) => f.name === 'rsi14')?.value as number;
    expect(reading).toBeCloseTo(peer.at(-1) as number, 1);
  });

  it('says BUY or SELL on a session where RSI is past its threshold, and the consensus follows', async () => {
    const bars = await dailyBars('SPY', FROM, TO);
    const peer = RSI.calculate({ values: bars.map((b) => b.c), period: 14 });
    // RSI.calculate starts at the 15th bar: index i of `peer` is bar i + 14.
    const index = peer.findLastIndex((r) => r < 29 || r > 71);
    expect(index).toBeGreaterThanOrEqual(0);
    const session = bars[index + 14]?.sessionDate as string;
    const expected = (peer[index] as number) < 30 ? 'BUY' : 'SELL';
    const [spy] = await signalsJson(['SPY', '--agents', 'rsi', '--from', FROM, '--to', session]);
    expect(spy?.session).toBe(session);
    expect(spy?.agents[0]).toMatchObject({ agent: 'rsi', action: expected });
    expect(spy?.consensus).toMatchObject({ symbol: 'SPY', agent: 'consensus', action: expected });
    expect(spy?.consensus.confidence).toBeGreaterThan(0.2);
    const text = await runCaptured([
      'signals',
      'SPY',
      '--agents',
      'rsi',
      '--from',
      FROM,
      '--to',
      session,
      '--simulator',
      sim.origin,
    ]);
    expect(text.stdout).toMatch(
      new RegExp(`^SPY +${session} +[\\d,.]+ +consensus +${expected} +[01]\\.\\d\\d +${expected}`, 'm'),
    );
  });

  it('runs every built-in agent with --agents all, one row each and the consensus', async () => {
    const [btc] = await signalsJson(['BTC-USD', '--agents', 'all', '--from', FROM, '--to', TO]);
    expect(btc?.agents.map((a) => a.agent)).toEqual(agents.all().map((f) => f().name));
    expect(btc?.consensus.reasoning.summary).toContain('of 13 agents');
  });

  it('shows progress on stderr over several symbols and prints them in the order asked', async () => {
    const run = await runCaptured([
      'signals',
      'MSFT',
      'AAPL',
      'SPY',
      '--agents',
      'rsi,macd',
      '--from',
      FROM,
      '--to',
      TO,
      '--simulator',
      sim.origin,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('signals '))).toHaveLength(3);
    expect(run.stderr).toMatch(/^signals 3\/3 (MSFT|AAPL|SPY)$/m);
    const rows = run.stdout
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(/ +/));
    expect(rows.map((r) => `${r[0]} ${r[3]}`)).toEqual([
      'MSFT rsi',
      'MSFT macdCross',
      'MSFT consensus',
      'AAPL rsi',
      'AAPL macdCross',
      'AAPL consensus',
      'SPY rsi',
      'SPY macdCross',
      'SPY consensus',
    ]);
  });

  it('reports a symbol it could not evaluate and exits 1, keeping the others', async () => {
    const run = await runCaptured([
      'signals',
      'AAPL',
      'ZZZZQ',
      '--agents',
      'rsi',
      '--to',
      TO,
      '--json',
      '--simulator',
      sim.origin,
    ]);
    expect(run.code).toBe(1);
    const [aapl, bad] = JSON.parse(run.stdout) as Array<{ symbol: string; ok: boolean }>;
    expect(aapl).toMatchObject({ symbol: 'AAPL', ok: true });
    expect(bad).toMatchObject({ symbol: 'ZZZZQ', ok: false });
    expect(run.stderr).toMatch(/^error: ZZZZQ: /m);
  });

  it('refuses an unknown agent and lists the known ones', async () => {
    const run = await runCaptured(['signals', 'AAPL', '--agents', 'rsi,ichimoku']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown agent "ichimoku"; use rsi, macd, bollinger,');
  });
});
