import { readFileSync } from 'node:fs';
import { Reasoning, RiskMetrics } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import type { AgentBar, AgentSignal } from './agent.js';
import { all } from './catalog.js';

interface Series {
  id: string;
  date?: string[];
  open: number[];
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}
const load = (file: string): Series =>
  JSON.parse(readFileSync(new URL(`../../../../../shared/eval/prices/${file}`, import.meta.url), 'utf8'));
const toBars = (s: Series): AgentBar[] =>
  s.close.map((c, i) => ({
    t: i * 86_400_000,
    o: s.open[i] as number,
    h: s.high[i] as number,
    l: s.low[i] as number,
    c,
    v: s.volume[i] as number,
  }));
const spy = toBars(load('input_spy_daily_300.json'));
const regtest = toBars(load('input_talib_regtest_252.json'));

describe('built-in agents', () => {
  const factories = all();

  it('are at least twelve, with unique names and a family each', () => {
    const made = factories.map((f) => f());
    expect(made.length).toBeGreaterThanOrEqual(12);
    expect(new Set(made.map((a) => a.name)).size).toBe(made.length);
    for (const a of made) expect(a.family).toMatch(/^[a-z-]+$/);
  });

  it.each(factories.map((f) => [f().name, f] as const))(
    '%s holds until warm, then acts on real data with schema-valid output',
    (_name, make) => {
      const agent = make();
      const actions = new Map<string, number>();
      for (const [series, bars] of [
        ['spy', spy],
        ['regtest', regtest],
      ] as const) {
        agent.reset?.();
        bars.forEach((bar, i) => {
          agent.onBar(bar);
          const s: AgentSignal = agent.evaluate();
          if (i + 1 < agent.warmup) expect(s.action, `${series} bar ${i}`).toBe('HOLD');
          actions.set(s.action, (actions.get(s.action) ?? 0) + 1);
          expect(s.confidence).toBeGreaterThanOrEqual(0);
          expect(s.confidence).toBeLessThanOrEqual(1);
          if (s.action === 'HOLD') {
            expect(s.confidence).toBe(0);
            return;
          }
          expect(Reasoning.parse(s.reasoning)).toEqual(s.reasoning);
          expect(RiskMetrics.parse(s.riskMetrics)).toEqual(s.riskMetrics);
          const side = s.action === 'BUY' ? 1 : -1;
          if (s.riskMetrics.stopLoss !== undefined) expect(Math.sign(bar.c - s.riskMetrics.stopLoss)).toBe(side);
        });
      }
      // Two real years including the 2020 crash: every rule fires both ways at least once.
      expect(actions.get('BUY') ?? 0).toBeGreaterThan(0);
      expect(actions.get('SELL') ?? 0).toBeGreaterThan(0);
    },
  );

  it('reset() makes an agent give the same answers again', () => {
    for (const make of factories) {
      const agent = make();
      const run = () =>
        spy.map((bar) => {
          agent.onBar(bar);
          const s = agent.evaluate();
          return `${s.action}:${s.confidence.toFixed(6)}`;
        });
      const first = run();
      agent.reset?.();
      expect(run(), agent.name).toEqual(first);
    }
  });
});

describe('agent answers', () => {
  it('serialize with their readings, HOLD included', () => {
    const agent = all()[0]?.() as ReturnType<ReturnType<typeof all>[number]>;
    for (const bar of spy.slice(0, 40)) agent.onBar(bar);
    const hold = agent.evaluate();
    const json = JSON.parse(JSON.stringify(hold)) as AgentSignal;
    expect(json.reasoning.factors[0]?.value).toEqual(hold.reasoning.factors[0]?.value);
    expect(typeof json.reasoning.factors[0]?.value).toBe('number');
    expect(Reasoning.parse(json.reasoning)).toEqual(json.reasoning);
  });
});
