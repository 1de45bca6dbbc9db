import { describe, expect, it } from 'vitest';
import { inverseNormal, normalOf } from './normal-table.js';
import { createRandom, hashOf, hexIdOf, unitOf } from './prng.js';

describe('seeded randomness', () => {
  it('gives the same sequence for the same parts and a different one otherwise', () => {
    const a = createRandom(42, 'AAPL');
    const b = createRandom(42, 'AAPL');
    const c = createRandom(43, 'AAPL');
    const seqA = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(seqA);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(seqA);
  });

  it('keeps parts apart: ("ab", "c") and ("a", "bc") hash differently', () => {
    expect(hashOf('ab', 'c')).not.toBe(hashOf('a', 'bc'));
    expect(hashOf(1, '1')).not.toBe(hashOf('1', 1));
  });

  it('draws uniforms in [0, 1) and normals with mean 0 and deviation 1', () => {
    const r = createRandom('stats');
    let sum = 0;
    let sumSq = 0;
    const n = 20_000;
    let min = 1;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const u = r.next();
      min = Math.min(min, u);
      max = Math.max(max, u);
      const z = r.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(Math.abs(sum / n)).toBeLessThan(0.05);
    expect(Math.abs(Math.sqrt(sumSq / n) - 1)).toBeLessThan(0.05);
  });

  it('derives stable ids and unit values from hashes', () => {
    expect(hexIdOf(1, 'polygon', 3)).toMatch(/^[0-9a-f]{32}$/);
    expect(hexIdOf(1, 'polygon', 3)).toBe(hexIdOf(1, 'polygon', 3));
    expect(unitOf('x')).toBeGreaterThanOrEqual(0);
    expect(unitOf('x')).toBeLessThan(1);
  });

  it('maps uniforms to normal quantiles through the table', () => {
    expect(inverseNormal(0.975)).toBeCloseTo(1.959964, 5);
    expect(inverseNormal(0.5)).toBeCloseTo(0, 10);
    expect(normalOf(0.5)).toBeCloseTo(0, 2);
    expect(normalOf(0.999_99)).toBeGreaterThan(3);
  });
});
