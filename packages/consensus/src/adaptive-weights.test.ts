import { ValidationError } from '@stockade/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { betaWeights } from './beta-weights.js';
import { hedgeWeights } from './hedge-weights.js';
import type { ResolvedOutcome } from './outcome.js';

const DAY = 86_400_000;
const agents = ['good', 'bad', 'quiet'];
/** `good` is right 8 times in 10, `bad` 2 in 10, `quiet` never signals. Each resolves 5 days after it is given. */
const history: ResolvedOutcome[] = Array.from({ length: 10 }, (_, i) => [
  { agent: 'good', signalAt: i * DAY, resolvedAt: (i + 5) * DAY, hit: i % 5 !== 0 },
  { agent: 'bad', signalAt: i * DAY, resolvedAt: (i + 5) * DAY, hit: i % 5 === 0 },
]).flat();

describe('hedgeWeights', () => {
  it('moves weight from the agent that is usually wrong to the one that is usually right', () => {
    const w = hedgeWeights(history, { agents, asOf: 20 * DAY });
    expect(w.good).toBeGreaterThan(1);
    expect(w.bad).toBeLessThan(1);
    expect((w.good as number) + (w.bad as number) + (w.quiet as number)).toBeCloseTo(3, 12);
  });

  it('keeps every agent at weight 1 before any outcome has resolved', () => {
    expect(hedgeWeights(history, { agents, asOf: 4 * DAY })).toEqual({ good: 1, bad: 1, quiet: 1 });
  });

  it('never lets a weight fall below the fixed share: a dormant agent can come back', () => {
    const w = hedgeWeights(history, { agents, asOf: 20 * DAY, learningRate: 5, share: 0.06 });
    expect(w.bad).toBeGreaterThanOrEqual(0.06 - 1e-12);
  });

  it('uses no outcome resolved after asOf, even one given before it (no look-ahead)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.array(fc.boolean(), { maxLength: 10 }), (asOfDay, hits) => {
        const asOf = asOfDay * DAY;
        const future: ResolvedOutcome[] = hits.map((hit, k) => ({
          agent: 'quiet',
          signalAt: asOf - DAY,
          resolvedAt: asOf + (k + 1) * 1000,
          hit,
        }));
        const before = hedgeWeights(history, { agents, asOf });
        expect(hedgeWeights([...history, ...future], { agents, asOf })).toEqual(before);
        expect(betaWeights([...history, ...future], { agents, asOf })).toEqual(betaWeights(history, { agents, asOf }));
      }),
    );
  });

  it('rejects bad parameters and impossible outcomes with typed errors', () => {
    expect(() => hedgeWeights([], { agents: [], asOf: 0 })).toThrow(ValidationError);
    expect(() => hedgeWeights([], { agents: ['a'], asOf: 0, learningRate: 0 })).toThrow(/learningRate/);
    expect(() => hedgeWeights([], { agents: ['a'], asOf: Number.NaN })).toThrow(/asOf/);
    const backwards = [{ agent: 'a', signalAt: 10, resolvedAt: 5, hit: true }];
    expect(() => hedgeWeights(backwards, { agents: ['a'], asOf: 20 })).toThrow(/resolved before it was given/);
  });
});

describe('betaWeights', () => {
  it('weighs by the posterior mean win rate, 1 for an agent with no history', () => {
    const w = betaWeights(history, { agents, asOf: 20 * DAY });
    // good: (2 + 8) / (4 + 10) / 0.5; bad: (2 + 2) / 14 / 0.5
    expect(w.good).toBeCloseTo(10 / 7, 12);
    expect(w.bad).toBeCloseTo(4 / 7, 12);
    expect(w.quiet).toBe(1);
  });

  it('counts only what had resolved by asOf', () => {
    // By day 7, outcomes of the signals of days 0, 1 and 2 are known: good 2 hits 1 miss.
    const w = betaWeights(history, { agents, asOf: 7 * DAY });
    expect(w.good).toBeCloseTo((2 + 2) / (4 + 3) / 0.5, 12);
  });
});
