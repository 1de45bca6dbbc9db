import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Calibration } from './calibration.js';
import { spearman } from './rank-correlation.js';
import { wilsonInterval } from './wilson-interval.js';

describe('wilsonInterval', () => {
  it('matches the textbook 95 % interval for 8 hits in 10', () => {
    const { low, high } = wilsonInterval(8, 10);
    expect(low).toBeCloseTo(0.4902, 4);
    expect(high).toBeCloseTo(0.9433, 4);
  });

  it('stays inside [0, 1], contains the observed rate, and is [0, 1] with no trials', () => {
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, share) => {
        const hits = Math.round(share * n);
        const { low, high } = wilsonInterval(hits, n);
        expect(low).toBeGreaterThanOrEqual(0);
        expect(high).toBeLessThanOrEqual(1);
        expect(low).toBeLessThanOrEqual(hits / n + 1e-12);
        expect(high).toBeGreaterThanOrEqual(hits / n - 1e-12);
      }),
    );
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation, −1 for a decreasing one, null for a constant', () => {
    expect(spearman([1, 2, 3, 4], [10, 100, 1000, 10000])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [4, 3, 2, 1])).toBeCloseTo(-1, 12);
    expect(spearman([1, 2, 3], [5, 5, 5])).toBeNull();
    expect(spearman([1, 2], [1, 2])).toBeNull();
  });

  it('gives tied values the mean of their ranks', () => {
    // ranks x: 1, 2.5, 2.5, 4; y: 1, 2, 3, 4 → Pearson of those ranks
    const rx = [1, 2.5, 2.5, 4];
    const ry = [1, 2, 3, 4];
    const m = 2.5;
    const cov = rx.reduce((s, x, i) => s + (x - m) * ((ry[i] as number) - m), 0);
    const vx = rx.reduce((s, x) => s + (x - m) ** 2, 0);
    const vy = ry.reduce((s, y) => s + (y - m) ** 2, 0);
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(cov / Math.sqrt(vx * vy), 12);
  });
});

describe('Calibration', () => {
  it('scores a well-calibrated forecaster near zero ECE and its Brier as p(1 − p)', () => {
    const c = new Calibration(10);
    // confidence 0.5 ⇒ forecast 0.75; exactly 3 hits in every 4
    for (let i = 0; i < 400; i++) c.add(0.5, i % 4 !== 0);
    expect(c.ece).toBeCloseTo(0, 12);
    expect(c.brier).toBeCloseTo(0.75 * 0.25, 12);
    const bins = c.reliability();
    expect(bins.reduce((s, b) => s + b.count, 0)).toBe(400);
    expect(bins.find((b) => b.count > 0)).toMatchObject({
      from: 0.75,
      count: 400,
      meanPredicted: 0.75,
      observedRate: 0.75,
    });
  });

  it('shows an overconfident forecaster in its ECE', () => {
    const c = new Calibration(10);
    for (let i = 0; i < 100; i++) c.add(1, i % 2 === 0); // says certain, right half the time
    expect(c.ece).toBeCloseTo(0.5, 12);
    expect(c.brier).toBeCloseTo(0.5, 12);
  });
});
