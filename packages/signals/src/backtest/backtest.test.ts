import { readFileSync } from 'node:fs';
import { ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import type { Agent, AgentBar } from '../agents/agent.js';
import { all } from '../agents/catalog.js';
import { backtest } from './backtest.js';
import { equityCurveJson, equityCurveSvg } from './equity-chart.js';
import { sharpeRatio } from './performance-metrics.js';

const DAY = 86_400_000;
const T0 = Date.parse('2024-01-02T21:00:00Z');
const mkBars = (rows: Array<[number, number]>): AgentBar[] =>
  rows.map(([o, c], i) => ({ t: T0 + i * DAY, o, h: Math.max(o, c) + 1, l: Math.min(o, c) - 1, c }));

/** An agent that says BUY or SELL on the bars listed, HOLD otherwise. */
function script(plan: Record<number, 'BUY' | 'SELL'>): () => Agent {
  return () => {
    let i = -1;
    return {
      name: 'script',
      family: 'test',
      warmup: 0,
      onBar: () => {
        i++;
      },
      evaluate: () => {
        const action = plan[i] ?? 'HOLD';
        return {
          action,
          confidence: action === 'HOLD' ? 0 : 0.9,
          reasoning: { summary: action, factors: [] },
          riskMetrics: {},
        };
      },
    };
  };
}

const bars = mkBars([
  [100, 101], // 0
  [101, 102], // 1: BUY decided at this close
  [104, 106], // 2: filled at this open
  [106, 108], // 3: SELL decided
  [110, 109], // 4: filled at this open
  [109, 105], // 5
]);

describe('backtest', () => {
  it('fills each signal at the next bar’s open with slippage and fees, never at the deciding close', () => {
    const fees = 0.001;
    const slippage = 0.002;
    const r = backtest({ series: { symbol: 'XYZ', bars }, agents: [script({ 1: 'BUY', 3: 'SELL' })], fees, slippage });
    expect(r.signals).toBe(2);
    expect(r.trades).toHaveLength(1);
    const trade = r.trades[0];
    const entry = 104 * (1 + slippage);
    const exit = 110 * (1 - slippage);
    const units = 10_000 / (1 + fees) / entry;
    const after = 10_000 - fees * units * entry + units * (exit - entry) - fees * units * exit;
    expect(trade).toMatchObject({ side: 'long', entryAt: bars[2]?.t, exitAt: bars[4]?.t, bars: 2, exit: 'signal' });
    expect(trade?.entryPrice).toBeCloseTo(entry, 12);
    expect(trade?.exitPrice).toBeCloseTo(exit, 12);
    expect(trade?.return).toBeCloseTo(after / 10_000 - 1, 12);
    expect(r.totalReturn).toBeCloseTo(after / 10_000 - 1, 12);
    // In the market through bars 2 and 3 of 6.
    expect(r.exposure).toBeCloseTo(2 / 6, 12);
    expect(r.equity.map((p) => p.position)).toEqual([0, 0, 1, 1, 0, 0]);
    expect(r.winRate).toBe(1);
    expect(r.profitFactor).toBeNull(); // no losing trade
    expect(r.buyAndHoldReturn).toBeCloseTo(105 / 100 - 1, 12);
  });

  it('reports drawdown, Sharpe and expectancy from its own equity curve', () => {
    const r = backtest({ series: { symbol: 'XYZ', bars }, agents: [script({ 0: 'BUY' })], fees: 0, slippage: 0 });
    const equity = r.equity.map((p) => p.equity);
    // Long from bar 1's open (101): marked at closes 102, 106, 108, 109, then 105 at the end.
    expect(equity.slice(1).map((e) => e / 10_000)).toEqual(
      [102 / 101, 106 / 101, 108 / 101, 109 / 101, 105 / 101].map((x) => expect.closeTo(x, 12)),
    );
    expect(r.maxDrawdown).toBeCloseTo((109 - 105) / 109, 12);
    expect(r.sharpe).toBeCloseTo(sharpeRatio(equity, 252) as number, 12);
    expect(r.trades).toMatchObject([{ exit: 'end', exitPrice: 105 }]);
    expect(r.expectancy).toBeCloseTo(105 / 101 - 1, 12);
  });

  it('goes short on SELL only when allowed', () => {
    const falling = mkBars([
      [100, 99],
      [98, 97],
      [96, 95],
      [94, 93],
    ]);
    const longOnly = backtest({
      series: { symbol: 'XYZ', bars: falling },
      agents: [script({ 0: 'SELL' })],
      fees: 0,
      slippage: 0,
    });
    expect(longOnly.trades).toEqual([]);
    const short = backtest({
      series: { symbol: 'XYZ', bars: falling },
      agents: [script({ 0: 'SELL' })],
      fees: 0,
      slippage: 0,
      allowShort: true,
    });
    expect(short.trades).toMatchObject([{ side: 'short', entryPrice: 98, exitPrice: 93 }]);
    expect(short.totalReturn).toBeCloseTo((98 - 93) / 98, 12);
  });

  it('replays SPY 2019–2020 with every built-in agent into a JSON curve and an SVG chart', () => {
    const spy = JSON.parse(
      readFileSync(new URL('../../../../../shared/eval/prices/input_spy_daily_300.json', import.meta.url), 'utf8'),
    ) as { date: string[]; open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] };
    const series = {
      symbol: 'SPY',
      interval: '1d' as const,
      bars: spy.date.map((date, i) => ({
        t: Date.parse(`${date}T20:00:00Z`),
        sessionDate: date,
        o: spy.open[i] as number,
        h: spy.high[i] as number,
        l: spy.low[i] as number,
        c: spy.close[i] as number,
        v: spy.volume[i] as number,
      })),
    };
    const r = backtest({ series, agents: all(), consensus: { threshold: 0.3 } });
    expect(r.bars).toBe(300);
    expect(r.equity).toHaveLength(300);
    expect(r.trades.length).toBeGreaterThan(0);
    for (const t of r.trades) expect(t.exitAt).toBeGreaterThan(t.entryAt);
    expect(r.buyAndHoldReturn).toBeCloseTo((spy.close[299] as number) / (spy.open[0] as number) - 1, 12);
    expect(JSON.parse(JSON.stringify(r))).toEqual(r);
    const json = JSON.parse(equityCurveJson(r)) as { points: Array<{ date: string }> };
    expect(json.points[0]?.date).toBe('2019-06-24');
    const svg = equityCurveSvg(r);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trim().endsWith('</svg>')).toBe(true);
    expect(svg).not.toMatch(/NaN|undefined|Infinity/);
    const strategy = svg.match(/<polyline points="([^"]+)" fill="none" stroke="#1565c0"/)?.[1] ?? '';
    expect(strategy.split(' ')).toHaveLength(300);
    expect(svg).toContain('2019-06-24');
    expect(svg).toContain('2020-08-28');
  });

  it('rejects a series too short to trade and costs outside [0, 1)', () => {
    expect(() => backtest({ series: { symbol: 'XYZ', bars: bars.slice(0, 1) }, agents: [script({})] })).toThrow(
      ValidationError,
    );
    expect(() => backtest({ series: { symbol: 'XYZ', bars }, agents: [script({})], fees: 1.5 })).toThrow(
      /fees must be a fraction/,
    );
  });
});
