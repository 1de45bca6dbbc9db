import { ValidationError } from '@stockade/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { capFamilyWeights } from './family-cap.js';

const shares = (weights: number[], families: string[]) => {
  const total = weights.reduce((s, w) => s + w, 0);
  const byFamily = new Map<string, number>();
  weights.forEach((w, i) => {
    byFamily.set(families[i] as string, (byFamily.get(families[i] as string) ?? 0) + w);
  });
  return new Map([...byFamily].map(([f, w]) => [f, w / total]));
};

describe('capFamilyWeights', () => {
  it('scales a crowd of moving-average agents down to the cap and leaves the others alone', () => {
    const out = capFamilyWeights([1, 1, 1, 1], ['ma', 'ma', 'ma', 'rsi'], 0.5);
    expect(out[0]).toBeCloseTo(1 / 3, 12);
    expect(out[3]).toBe(1);
    expect(shares(out, ['ma', 'ma', 'ma', 'rsi']).get('ma')).toBeCloseTo(0.5, 12);
  });

  it('changes nothing when every family is under the cap', () => {
    expect(capFamilyWeights([1, 2, 1], ['a', 'b', 'c'], 0.5)).toEqual([1, 2, 1]);
  });

  it('raises an unreachable cap to an equal share per family', () => {
    const out = capFamilyWeights([3, 1], ['a', 'b'], 0.3);
    expect(out).toEqual([1, 1]);
  });

  it('after capping, no family exceeds max(cap, 1/families) and uncapped families keep their weight', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.double({ min: 0.01, max: 10, noNaN: true }), fc.constantFrom('a', 'b', 'c', 'd', 'e')), {
          minLength: 1,
          maxLength: 20,
        }),
        fc.double({ min: 0.05, max: 1, noNaN: true }),
        (pairs, cap) => {
          const weights = pairs.map((p) => p[0]);
          const families = pairs.map((p) => p[1]);
          const out = capFamilyWeights(weights, families, cap);
          const limit = Math.max(cap, 1 / new Set(families).size);
          for (const share of shares(out, families).values()) expect(share).toBeLessThanOrEqual(limit + 1e-9);
          out.forEach((w, i) => {
            expect(w).toBeLessThanOrEqual((weights[i] as number) * (1 + 1e-9));
          });
        },
      ),
    );
  });

  it('rejects a cap outside (0, 1]', () => {
    expect(() => capFamilyWeights([1], ['a'], 0)).toThrow(ValidationError);
    expect(() => capFamilyWeights([1], ['a'], 1.5)).toThrow(/familyCap must be in \(0, 1\]/);
  });
});
