import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingExtreme } from './rolling-extreme.js';

describe('RollingExtreme', () => {
  it('gives the max and the min of the last `period` values at every step', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 25 }),
        fc.array(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 300 }),
        (period, xs) => {
          const max = new RollingExtreme(period, 'max');
          const min = new RollingExtreme(period, 'min');
          xs.forEach((x, i) => {
            max.push(x);
            min.push(x);
            const window = xs.slice(Math.max(0, i - period + 1), i + 1);
            expect(max.value).toBe(Math.max(...window));
            expect(min.value).toBe(Math.min(...window));
          });
        },
      ),
    );
  });

  it('starts over after reset', () => {
    const max = new RollingExtreme(3, 'max');
    for (const x of [9, 8, 7]) max.push(x);
    max.reset();
    max.push(1);
    expect(max.value).toBe(1);
  });
});
