import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { donchian } from './donchian.js';
import { zScore } from './zscore.js';

const spy = JSON.parse(
  readFileSync(new URL('../../../../../shared/eval/prices/input_spy_daily_300.json', import.meta.url), 'utf8'),
) as { high: number[]; low: number[]; close: number[] };

describe('Donchian channel and z-score on SPY 2019–2020', () => {
  it('Donchian(20) is the highest high and lowest low of the last 20 bars, bar included', () => {
    const dc = donchian(20);
    spy.close.forEach((_, i) => {
      const out = dc.update({ h: spy.high[i] as number, l: spy.low[i] as number });
      if (i < 19) {
        expect(out).toBeNull();
        return;
      }
      const upper = Math.max(...spy.high.slice(i - 19, i + 1));
      const lower = Math.min(...spy.low.slice(i - 19, i + 1));
      expect(out).toEqual({ upper, lower, middle: (upper + lower) / 2 });
    });
  });

  it('z-score(20) equals (close − mean) / population σ of the last 20 closes', () => {
    const z = zScore(20);
    spy.close.forEach((c, i) => {
      const out = z.update(c);
      if (i < 19) {
        expect(out).toBeNull();
        return;
      }
      const w = spy.close.slice(i - 19, i + 1);
      const mean = w.reduce((s, x) => s + x, 0) / 20;
      const sd = Math.sqrt(w.reduce((s, x) => s + (x - mean) ** 2, 0) / 20);
      expect(Math.abs((out as number) - (c - mean) / sd)).toBeLessThan(1e-9);
    });
  });

  it('z-score is 0 on a flat window rather than a division by zero', () => {
    const z = zScore(5);
    let out: number | null = null;
    for (let i = 0; i < 10; i++) out = z.update(42.5);
    expect(out).toBe(0);
  });
});
