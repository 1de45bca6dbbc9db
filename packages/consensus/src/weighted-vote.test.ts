import { Reasoning, ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { type Vote, weightedVote } from './weighted-vote.js';

const vote = (agent: string, action: Vote['action'], confidence: number, family = agent): Vote => ({
  agent,
  action,
  confidence,
  family,
});

describe('weightedVote', () => {
  it('scores Σ w·c·a / Σ w·c over voters and lets HOLD abstain', () => {
    const r = weightedVote([vote('a', 'BUY', 0.8), vote('b', 'SELL', 0.4), vote('c', 'HOLD', 0.9)], { familyCap: 1 });
    // (0.8 − 0.4) / (0.8 + 0.4)
    expect(r.score).toBeCloseTo(1 / 3, 12);
    expect(r.participation).toBeCloseTo(2 / 3, 12);
    expect(r.action).toBe('BUY');
    expect(r.confidence).toBeCloseTo((1 / 3) * (2 / 3), 12);
    expect(r.contributors.reduce((s, c) => s + c.contribution, 0)).toBeCloseTo(r.score, 12);
  });

  it('says SELL past the negative threshold and HOLD inside it', () => {
    expect(weightedVote([vote('a', 'SELL', 0.9), vote('b', 'BUY', 0.2)]).action).toBe('SELL');
    expect(weightedVote([vote('a', 'SELL', 0.5), vote('b', 'BUY', 0.4)]).action).toBe('HOLD');
  });

  it('holds when too little of the weight votes, however strong the voters are', () => {
    const votes = [vote('a', 'BUY', 1), ...'bcdefghij'.split('').map((x) => vote(x, 'HOLD', 0))];
    const r = weightedVote(votes, { minParticipation: 0.2 });
    expect(r.score).toBe(1);
    expect(r.participation).toBeCloseTo(0.1, 12);
    expect(r.action).toBe('HOLD');
    expect(r.reasoning.summary).toMatch(/^HOLD \(participation below 20%\)/);
  });

  it('uses per-agent weights from the options over the votes’ own weights', () => {
    const votes = [vote('trend', 'BUY', 0.5), vote('meanRevert', 'SELL', 0.5)];
    expect(weightedVote(votes, { familyCap: 1 }).action).toBe('HOLD');
    const r = weightedVote(votes, { weights: { trend: 3, meanRevert: 1 }, familyCap: 1 });
    expect(r.score).toBeCloseTo(0.5, 12);
    expect(r.action).toBe('BUY');
  });

  it('caps a family: three moving-average agents cannot outvote two others on their own', () => {
    const votes = [
      vote('smaCross', 'BUY', 1, 'moving-average'),
      vote('emaCross', 'BUY', 1, 'moving-average'),
      vote('macdCross', 'BUY', 1, 'moving-average'),
      vote('rsi', 'SELL', 1, 'oscillator'),
      vote('bollingerReversion', 'SELL', 1, 'volatility'),
    ];
    expect(weightedVote(votes, { familyCap: 1 }).action).toBe('HOLD'); // score +0.2: uncapped the crowd leans BUY
    const capped = weightedVote(votes, { familyCap: 0.4 });
    // MA family capped to 0.4 of the total: its weight is 4/3 against 2 → score (4/3 − 2) / (10/3) = −0.2
    expect(capped.score).toBeCloseTo(-0.2, 12);
    expect(capped.contributors.find((c) => c.agent === 'smaCross')?.weight).toBeCloseTo(4 / 9, 12);
  });

  it('names the top contributors in a reasoning that fits the core schema', () => {
    const r = weightedVote([vote('rsi', 'BUY', 0.9), vote('macd', 'BUY', 0.3), vote('obv', 'SELL', 0.1)], {
      topContributors: 2,
      familyCap: 1,
    });
    expect(Reasoning.parse(r.reasoning)).toEqual(r.reasoning);
    expect(r.reasoning.summary).toBe(
      'BUY: score +0.85, participation 100% of 3 agents; top: rsi BUY +0.69, macd BUY +0.23',
    );
    expect(r.reasoning.factors.map((f) => f.name)).toEqual(['score', 'participation', 'rsi', 'macd']);
  });

  it('returns HOLD with zero confidence when nobody votes', () => {
    const r = weightedVote([vote('a', 'HOLD', 0), vote('b', 'HOLD', 0)]);
    expect(r).toMatchObject({ action: 'HOLD', score: 0, participation: 0, confidence: 0 });
    expect(weightedVote([]).action).toBe('HOLD');
  });

  it('rejects bad votes with a typed error naming the field', () => {
    expect(() => weightedVote([vote('a', 'BUY', 1.5)])).toThrow(/votes\[0\]\.confidence must be from 0 to 1/);
    expect(() => weightedVote([vote('a', 'BUY', 0.5), vote('a', 'SELL', 0.5)])).toThrow(/appears twice/);
    expect(() => weightedVote([vote('a', 'MAYBE' as never, 0.5)])).toThrow(ValidationError);
    expect(() => weightedVote([vote('a', 'BUY', 0.5)], { weights: { a: -1 } })).toThrow(/weights\.a must be a finite/);
    expect(() => weightedVote([], { threshold: 2 })).toThrow(/threshold must be a number from 0 to 1/);
  });
});

describe('tallyVotes and decideVote', () => {
  it('give exactly the numbers and the action of weightedVote (the engine relies on it)', async () => {
    const { capFamilyWeights } = await import('./family-cap.js');
    const { decideVote, tallyVotes } = await import('./weighted-vote.js');
    const fc = (await import('fast-check')).default;
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            action: fc.constantFrom('BUY' as const, 'SELL' as const, 'HOLD' as const),
            confidence: fc.double({ min: 0, max: 1, noNaN: true }),
            family: fc.constantFrom('a', 'b', 'c'),
            weight: fc.double({ min: 0, max: 5, noNaN: true }),
          }),
          { maxLength: 15 },
        ),
        (raw) => {
          const votes = raw.map((v, i) => ({ ...v, agent: `agent${i}` }));
          const full = weightedVote(votes, { familyCap: 0.5 });
          const weights = capFamilyWeights(
            votes.map((v) => v.weight),
            votes.map((v) => v.family),
            0.5,
          );
          const dir = votes.map((v) => (v.action === 'BUY' ? 1 : v.action === 'SELL' ? -1 : 0));
          const tally = tallyVotes(
            dir,
            votes.map((v) => v.confidence),
            weights,
          );
          expect(tally.score).toBe(full.score);
          expect(tally.participation).toBe(full.participation);
          expect(decideVote(tally)).toBe(full.action);
        },
      ),
    );
  });
});
