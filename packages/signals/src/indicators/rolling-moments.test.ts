import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingMoments } from './rolling-moments.js';

function twoPass(xs: readonly number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  return { mean, variance: xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length };
}

describe('RollingMoments', () => {
  it('matches a two-pass mean and population variance of the last window at every step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 30 }),
        fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (period, xs) => {
          const m = new RollingMoments(period);
          xs.forEach((x, i) => {
            m.push(x);
            const ref = twoPass(xs.slice(Math.max(0, i - period + 1), i + 1));
            expect(m.mean).toBeCloseTo(ref.mean, 6);
            expect(Math.abs(m.variance - ref.variance)).toBeLessThanOrEqual(1e-6 * Math.max(1, ref.variance));
          });
        },
      ),
    );
  });

  it('keeps a cent-sized deviation exact at prices near 100 000, where raw sums of squares lose it', () => {
    const period = 20;
    const m = new RollingMoments(period);
    let sum = 0;
    let sumSq = 0;
    const xs: number[] = [];
    for (let i = 0; i < 100_000; i++) {
      const x = 100_000 + 0.01 * Math.sin(i); // σ ≈ 0.007
      xs.push(x);
      m.push(x);
      sum += x;
      sumSq += x * x;
      if (i >= period) {
        const old = xs[i - period] as number;
        sum -= old;
        sumSq -= old * old;
      }
    }
    const ref = twoPass(xs.slice(-period));
    const naive = sumSq / period - (sum / period) ** 2;
    expect(Math.abs(m.variance - ref.variance) / ref.variance).toBeLessThan(1e-6);
    // The raw-sums form is off by orders of magnitude here: this is why the indicator does not use it.
    expect(Math.abs(naive - ref.variance) / ref.variance).toBeGreaterThan(1e-2);
  });

  it('never reports a negative variance for a flat window and forgets everything on reset', () => {
    const m = new RollingMoments(5);
    for (const x of [1.1, 2.2, 3.3, 7.7, 7.7, 7.7, 7.7, 7.7]) m.push(x);
    expect(m.variance).toBeGreaterThanOrEqual(0);
    expect(m.variance).toBeLessThan(1e-20);
    expect(m.mean).toBeCloseTo(7.7, 12);
    m.reset();
    expect(m.count).toBe(0);
    m.push(3);
    expect(m.mean).toBe(3);
    expect(m.variance).toBe(0);
  });
});
