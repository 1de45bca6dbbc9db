import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atr } from './atr.js';
import { obv } from './obv.js';
import { stochasticFast, stochasticSlow } from './stochastic.js';
import { batchAtr, batchObv, batchStoch, batchStochF } from './talib-batch.test-support.js';

interface PriceSeries {
  id: string;
  n: number;
  high: number[];
  low: number[];
  close: number[];
  volume: number[];
}
const load = (file: string): PriceSeries =>
  JSON.parse(readFileSync(new URL(`../../../../../shared/eval/prices/${file}`, import.meta.url), 'utf8'));
const series = [load('input_talib_regtest_252.json'), load('input_spy_daily_300.json')];
const barsOf = (s: PriceSeries) =>
  s.close.map((c, i) => ({ h: s.high[i] as number, l: s.low[i] as number, c, v: s.volume[i] as number }));

function expectClose(actual: number | null | undefined, expected: number, where: string): void {
  expect(actual, where).not.toBeNull();
  const a = actual as number;
  const tolerance = Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(expected)), 1e-12);
  if (!(Math.abs(a - expected) <= tolerance)) expect.fail(`${where}: got ${a}, expected ${expected}`);
}

describe.each(series)('TA-Lib parity on $id (bar indicators)', (s) => {
  const bars = barsOf(s);

  it('ATR(14): true range from bar 1, first value at bar 14 is the mean of TR[1..14], then Wilder', () => {
    const ind = atr(14);
    expect(ind.lookback).toBe(14);
    const ref = batchAtr(s.high, s.low, s.close, 14);
    bars.forEach((bar, i) => {
      const out = ind.update(bar);
      if (i < 14) expect(out).toBeNull();
      else expectClose(out, ref[i] as number, `${s.id} ATR14 bar ${i}`);
    });
  });

  it('fast stochastic 14/3: %K and its 3-bar SMA %D from bar 15', () => {
    const ind = stochasticFast({ kPeriod: 14, dPeriod: 3 });
    expect(ind.lookback).toBe(15);
    const ref = batchStochF(s.high, s.low, s.close, 14, 3);
    bars.forEach((bar, i) => {
      const out = ind.update(bar);
      if (i < 15) {
        expect(out).toBeNull();
        return;
      }
      expectClose(out?.k, ref.k[i] as number, `${s.id} STOCHF %K bar ${i}`);
      expectClose(out?.d, ref.d[i] as number, `${s.id} STOCHF %D bar ${i}`);
    });
  });

  it('slow stochastic 14/3/3: SMA-smoothed %K and %D from bar 17', () => {
    const ind = stochasticSlow({ kPeriod: 14, kSlowing: 3, dPeriod: 3 });
    expect(ind.lookback).toBe(17);
    const ref = batchStoch(s.high, s.low, s.close, 14, 3, 3);
    bars.forEach((bar, i) => {
      const out = ind.update(bar);
      if (i < 17) {
        expect(out).toBeNull();
        return;
      }
      expectClose(out?.k, ref.k[i] as number, `${s.id} STOCH slow %K bar ${i}`);
      expectClose(out?.d, ref.d[i] as number, `${s.id} STOCH slow %D bar ${i}`);
    });
  });

  it('OBV starts at +volume[0] and follows the close direction', () => {
    const ind = obv();
    const ref = batchObv(s.close, s.volume);
    bars.forEach((bar, i) => {
      expect(ind.update(bar)).toBe(ref[i]);
    });
    expect(ind.value).toBe(ref.at(-1));
  });
});
