import { ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { atr } from './atr.js';
import { bollinger } from './bollinger.js';
import { donchian } from './donchian.js';
import { ema } from './ema.js';
import type { Indicator } from './indicator.js';
import { macd } from './macd.js';
import { momentum } from './momentum.js';
import { obv } from './obv.js';
import { rateOfChange } from './roc.js';
import { rsi } from './rsi.js';
import { sma } from './sma.js';
import { stochasticFast, stochasticSlow } from './stochastic.js';
import { vwap } from './vwap.js';
import { zScore } from './zscore.js';

// A deterministic zig-zag walk: enough movement for every indicator to produce values.
const bars = Array.from({ length: 80 }, (_, i) => {
  const c = 100 + 10 * Math.sin(i / 5) + (i % 3);
  return { h: c + 1.5, l: c - 1.25, c, v: 1000 + 10 * i, sessionDate: '2024-01-02' };
});

type AnyIndicator = Indicator<never, unknown>;
const cases: Array<[string, () => AnyIndicator, 'close' | 'bar', number]> = [
  ['SMA(20)', () => sma(20) as AnyIndicator, 'close', 19],
  ['EMA(20)', () => ema(20) as AnyIndicator, 'close', 19],
  ['RSI(14)', () => rsi(14) as AnyIndicator, 'close', 14],
  ['MACD(12,26,9)', () => macd() as AnyIndicator, 'close', 33],
  ['Bollinger(20,2)', () => bollinger() as AnyIndicator, 'close', 19],
  ['ATR(14)', () => atr(14) as AnyIndicator, 'bar', 14],
  ['Stochastic fast 14/3', () => stochasticFast() as AnyIndicator, 'bar', 15],
  ['Stochastic slow 14/3/3', () => stochasticSlow() as AnyIndicator, 'bar', 17],
  ['OBV', () => obv() as AnyIndicator, 'bar', 0],
  ['momentum(10)', () => momentum(10) as AnyIndicator, 'close', 10],
  ['ROC(10)', () => rateOfChange(10) as AnyIndicator, 'close', 10],
  ['VWAP(20)', () => vwap({ period: 20 }) as AnyIndicator, 'bar', 19],
  ['Donchian(20)', () => donchian(20) as AnyIndicator, 'bar', 19],
  ['z-score(20)', () => zScore(20) as AnyIndicator, 'close', 19],
];

const feed = (kind: 'close' | 'bar', bar: (typeof bars)[number]) => (kind === 'close' ? bar.c : bar) as never;
const snapshot = (v: unknown) => (v !== null && typeof v === 'object' ? { ...v } : v);

describe.each(cases)('%s streaming contract', (_name, make, kind, lookback) => {
  it('yields null and isReady=false until exactly its lookback, then a value every update', () => {
    const ind = make();
    expect(ind.lookback).toBe(lookback);
    bars.forEach((bar, i) => {
      const out = ind.update(feed(kind, bar));
      expect(ind.count).toBe(i + 1);
      expect(ind.isReady).toBe(i >= lookback);
      if (i < lookback) {
        expect(out).toBeNull();
        expect(ind.value).toBeNull();
      } else {
        expect(out).not.toBeNull();
        expect(ind.value).toEqual(out);
      }
    });
  });

  it('reset() forgets every input: replaying gives the same values', () => {
    const ind = make();
    const first = bars.map((bar) => snapshot(ind.update(feed(kind, bar))));
    ind.reset();
    expect(ind.isReady).toBe(false);
    expect(ind.value).toBeNull();
    expect(ind.count).toBe(0);
    const second = bars.map((bar) => snapshot(ind.update(feed(kind, bar))));
    expect(second).toEqual(first);
  });

  it('rejects a NaN input with a ValidationError instead of poisoning its state', () => {
    const ind = make();
    const bad = kind === 'close' ? Number.NaN : { h: Number.NaN, l: Number.NaN, c: Number.NaN, v: 1 };
    expect(() => ind.update(bad as never)).toThrow(ValidationError);
  });
});

describe('indicator parameters', () => {
  it('reject a period that is not a positive integer, naming the parameter', () => {
    expect(() => sma(0)).toThrow(/SMA: period must be an integer/);
    expect(() => ema(2.5)).toThrow(ValidationError);
    expect(() => rsi(1)).toThrow(/RSI: period/);
    expect(() => macd({ fast: 26, slow: 12 })).toThrow(/fast period \(26\) must be shorter than slow period \(12\)/);
    expect(() => bollinger({ stdDev: -1 })).toThrow(/stdDev must be a positive/);
    expect(() => stochasticSlow({ kSlowing: 0 })).toThrow(/kSlowing/);
    expect(() => vwap({ period: -3 })).toThrow(/VWAP: period/);
  });

  it('multi-output indicators reuse one result object (documented: copy what you keep)', () => {
    const m = macd();
    let first: unknown = null;
    for (const bar of bars) {
      const out = m.update(bar.c);
      if (out !== null && first === null) first = out;
      if (out !== null) expect(out).toBe(first);
    }
  });
});
