import { ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { priceConsensus } from './price-consensus.js';

describe('priceConsensus', () => {
  it('takes the median and rejects a provider far outside the others by MAD', () => {
    const c = priceConsensus([
      { source: 'yahoo', price: 187.42 },
      { source: 'polygon', price: 187.4 },
      { source: 'massive', price: 187.44 },
      { source: 'alphavantage', price: 189.9 },
    ]);
    expect(c.price).toBe(187.42);
    expect(c.accepted.map((a) => a.source)).toEqual(['yahoo', 'polygon', 'massive']);
    expect(c.rejected).toEqual([
      {
        source: 'alphavantage',
        price: 189.9,
        deviationPct: expect.closeTo(((189.9 - 187.43) / 187.43) * 100, 9),
        reason: 'mad',
      },
    ]);
    expect(c.agreement).toBe(0.75);
    expect(c.dispersion).toBeCloseTo(0.04 / 187.42, 12);
  });

  it('rejects by the percentage rule when most sources agree exactly (MAD of 0)', () => {
    const c = priceConsensus([
      { source: 'a', price: 100 },
      { source: 'b', price: 100 },
      { source: 'c', price: 100 },
      { source: 'd', price: 100.5 },
      { source: 'e', price: 103 },
    ]);
    expect(c.price).toBe(100);
    expect(c.accepted.map((a) => a.source)).toEqual(['a', 'b', 'c', 'd']);
    expect(c.rejected).toMatchObject([{ source: 'e', reason: 'max_deviation' }]);
  });

  it('with two sources that disagree widely trusts neither: agreement 0, price at the midpoint', () => {
    const c = priceConsensus([
      { source: 'a', price: 100 },
      { source: 'b', price: 110 },
    ]);
    expect(c).toMatchObject({ price: 105, agreement: 0, accepted: [] });
    expect(c.rejected.map((r) => r.reason)).toEqual(['max_deviation', 'max_deviation']);
  });

  it('keeps a lone source and marks invalid prices instead of failing on them', () => {
    const c = priceConsensus([
      { source: 'a', price: 42.5 },
      { source: 'b', price: Number.NaN },
      { source: 'c', price: 0 },
    ]);
    expect(c.price).toBe(42.5);
    expect(c.dispersion).toBe(0);
    expect(c.agreement).toBeCloseTo(1 / 3, 12);
    expect(c.rejected.map((r) => [r.source, r.reason])).toEqual([
      ['b', 'invalid'],
      ['c', 'invalid'],
    ]);
  });

  it('throws a ValidationError when no observation has a usable price', () => {
    expect(() => priceConsensus([])).toThrow(ValidationError);
    expect(() => priceConsensus([{ source: 'a', price: -1 }])).toThrow(/no valid price among 1 observation/);
    expect(() => priceConsensus([{ source: 'a', price: 1 }], { madThreshold: 0 })).toThrow(/madThreshold/);
  });
});
