import type { Bar, BarSeries } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { createBarLedger } from './bar-ledger.js';
import { fillMinuteGap } from './gap-fill.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');
const bar = (t: number): Bar => ({ t, sessionDate: '2026-03-10', o: 10, h: 11, l: 9, c: 10.5, v: 100 });
const series = (times: number[]): BarSeries => ({
  symbol: 'AAPL',
  interval: '1m',
  bars: times.map(bar),
  provider: 'polygon',
  adjustment: 'raw',
  splits: [],
  dividends: [],
  truncated: false,
});

describe('filling the minute bars a reconnect missed', () => {
  it('asks from the minute after the last bar seen and delivers only complete bars not seen before', async () => {
    const ledger = createBarLedger();
    ledger.admit('AAPL', T0);
    ledger.admit('AAPL', T0 + 120_000); // arrived on the stream before the drop
    const asked: Array<{ from: number; to: number }> = [];
    const delivered: number[] = [];
    const n = await fillMinuteGap({
      symbol: 'AAPL',
      ledger,
      since: T0,
      now: T0 + 4 * 60_000 + 30_000,
      bars: async (_s, o) => {
        asked.push({ from: o.from, to: o.to });
        // A day of bars: older ones, the gap, and the minute still in progress.
        return series([T0 - 60_000, T0, T0 + 60_000, T0 + 180_000, T0 + 120_000, T0 + 240_000]);
      },
      signal: new AbortController().signal,
      deliver: (b) => delivered.push(b.t),
    });
    expect(asked).toEqual([{ from: T0 + 180_000, to: T0 + 270_000 }]);
    expect(delivered).toEqual([T0 + 180_000]);
    expect(n).toBe(1);
  });

  it('starts from when streaming began when no bar was seen, and asks nothing inside the first minute', async () => {
    const ledger = createBarLedger();
    let calls = 0;
    const options = {
      symbol: 'AAPL',
      ledger,
      since: T0 + 10_000,
      bars: async () => {
        calls += 1;
        return series([T0, T0 + 60_000]);
      },
      signal: new AbortController().signal,
      deliver: () => {},
    };
    expect(await fillMinuteGap({ ...options, now: T0 + 50_000 })).toBe(0);
    expect(calls).toBe(0);
    expect(await fillMinuteGap({ ...options, now: T0 + 125_000 })).toBe(2);
    expect(await fillMinuteGap({ ...options, now: T0 + 125_000 })).toBe(0);
  });
});
