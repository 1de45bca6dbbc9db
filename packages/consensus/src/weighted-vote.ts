import { type Reasoning, type ReasoningFactor, type SignalAction, ValidationError } from '@stockade/core';
import { capFamilyWeights } from './family-cap.js';

/** One agent's vote, as {@link weightedVote} reads it. */
export interface Vote {
  /** Agent name; unique within one vote. */
  agent: string;
  /** What the agent recommends. `HOLD` abstains. */
  action: SignalAction;
  /** 0 (none) to 1 (certain). */
  confidence: number;
  /** Indicator family, for the family cap (e.g. `moving-average`). Defaults to the agent's name. */
  family?: string;
  /** Base weight; `options.weights[agent]` overrides it. Defaults to 1. */
  weight?: number;
}

/** Options of {@link weightedVote}. */
export interface WeightedVoteOptions {
  /** Weight per agent name (adaptive weights plug in here); unlisted agents use their vote's weight. @default {} */
  weights?: Readonly<Record<string, number>>;
  /** |score| needed for BUY or SELL. @default 0.3 */
  threshold?: number;
  /** Share of the total weight that must vote (not HOLD) for BUY or SELL. @default 0.2 */
  minParticipation?: number;
  /** Largest share of the total weight one indicator family may hold (see `capFamilyWeights`); 1 disables. @default 0.4 */
  familyCap?: number;
  /** How many contributors the reasoning names. @default 3 */
  topContributors?: number;
}

/** One voter's part in the result. */
export interface Contribution {
  /** Agent name. */
  agent: string;
  /** Its family. */
  family: string;
  /** Its vote. */
  action: SignalAction;
  /** Its confidence. */
  confidence: number;
  /** Its weight after the family cap. */
  weight: number;
  /** Its signed share of the score, `w·c·a / Σ w·c` (0 for HOLD). The contributions sum to the score. */
  contribution: number;
}

/** What {@link weightedVote} decided, and why. */
export interface VoteResult {
  /** BUY or SELL past the threshold with enough participation, else HOLD. */
  action: SignalAction;
  /** `|score| × participation`, 0..1. */
  confidence: number;
  /** `Σ w·c·a / Σ w·c` over the voters (a = +1 BUY, −1 SELL), −1..1; 0 when nobody votes. */
  score: number;
  /** Voting weight / all weight, 0..1. */
  participation: number;
  /** Σ w over BUY and SELL voters, after the family cap. */
  votingWeight: number;
  /** Σ w over every vote, HOLD included, after the family cap. */
  totalWeight: number;
  /** Every vote's part, largest |contribution| first. */
  contributors: Contribution[];
  /** A one-line summary and the factors behind it, naming the top contributors. */
  reasoning: Reasoning;
}

const DIRECTION: Readonly<Record<SignalAction, number>> = { BUY: 1, SELL: -1, HOLD: 0 };

/** Defaults of {@link WeightedVoteOptions}, for callers that run the vote's parts themselves. */
export const VOTE_DEFAULTS = Object.freeze({
  threshold: 0.3,
  minParticipation: 0.2,
  familyCap: 0.4,
  topContributors: 3,
});

function invalid(path: string, message: string): never {
  throw new ValidationError(`weightedVote: ${path} ${message}`, [{ path, message }]);
}

function checkShare(name: string, value: number): void {
  if (!(value >= 0 && value <= 1)) invalid(name, `must be a number from 0 to 1, got ${String(value)}`);
}

const fmt = (x: number, digits = 2) => (x >= 0 ? `+${x.toFixed(digits)}` : x.toFixed(digits));

/** The numbers of a vote, without the explanation: what {@link tallyVotes} returns. */
export interface VoteTally {
  /** `Σ w·c·a / Σ w·c` over voters, −1..1 (0 when nobody votes). */
  score: number;
  /** Voting weight / all weight, 0..1. */
  participation: number;
  /** Σ w over BUY and SELL voters. */
  votingWeight: number;
  /** Σ w over every vote. */
  totalWeight: number;
}

/**
 * The arithmetic core of {@link weightedVote} over parallel arrays, allocation-free so that a
 * caller voting for thousands of symbols per bar can run it on preallocated buffers: `directions`
 * holds +1 (BUY), −1 (SELL) or 0 (HOLD), `weights` the weights after any family cap.
 */
export function tallyVotes(
  directions: ArrayLike<number>,
  confidences: ArrayLike<number>,
  weights: ArrayLike<number>,
  count: number = directions.length,
  into: VoteTally = { score: 0, participation: 0, votingWeight: 0, totalWeight: 0 },
): VoteTally {
  let totalWeight = 0;
  let votingWeight = 0;
  let numerator = 0;
  let denominator = 0;
  for (let i = 0; i < count; i++) {
    const w = weights[i] as number;
    totalWeight += w;
    const a = directions[i] as number;
    if (a === 0) continue;
    const c = confidences[i] as number;
    votingWeight += w;
    numerator += w * c * a;
    denominator += w * c;
  }
  into.score = denominator > 0 ? numerator / denominator : 0;
  into.participation = totalWeight > 0 ? votingWeight / totalWeight : 0;
  into.votingWeight = votingWeight;
  into.totalWeight = totalWeight;
  return into;
}

/** The action a tally leads to: BUY/SELL past `threshold` with at least `minParticipation`, else HOLD. */
export function decideVote(
  tally: VoteTally,
  threshold: number = VOTE_DEFAULTS.threshold,
  minParticipation: number = VOTE_DEFAULTS.minParticipation,
): SignalAction {
  const enough = tally.participation >= minParticipation && tally.votingWeight > 0;
  if (enough && tally.score >= threshold) return 'BUY';
  if (enough && tally.score <= -threshold) return 'SELL';
  return 'HOLD';
}

/**
 * Weighted vote of agent signals into one decision. Pure: same votes and options, same result.
 *
 * - HOLD abstains: it adds to the total weight but not to the score.
 * - `score = Σ w·c·a / Σ w·c` over BUY/SELL voters; `participation = voting weight / all weight`.
 * - BUY when `score ≥ threshold`, SELL when `score ≤ −threshold`, each only with
 *   `participation ≥ minParticipation`; otherwise HOLD.
 * - `confidence = |score| × participation`.
 * - Before any of that, each indicator family's total weight is capped at `familyCap` of the whole.
 *
 * @throws {ValidationError} on a confidence outside 0..1, a negative or non-finite weight, a duplicate
 *   agent or an unknown action.
 * @example
 * const result = weightedVote([
 *   { agent: 'rsi', family: 'oscillator', action: 'BUY', confidence: 0.8 },
 *   { agent: 'macdCross', family: 'moving-average', action: 'BUY', confidence: 0.6 },
 *   { agent: 'bollingerBreakout', family: 'volatility', action: 'HOLD', confidence: 0 },
 * ]);
 * result.action; // 'BUY'
 * result.reasoning.summary; // 'BUY: score +1.00, participation 67% …'
 */
export function weightedVote(votes: readonly Vote[], options: WeightedVoteOptions = {}): VoteResult {
  const threshold = options.threshold ?? VOTE_DEFAULTS.threshold;
  const minParticipation = options.minParticipation ?? VOTE_DEFAULTS.minParticipation;
  const familyCap = options.familyCap ?? VOTE_DEFAULTS.familyCap;
  const top = options.topContributors ?? VOTE_DEFAULTS.topContributors;
  const overrides = options.weights ?? {};
  checkShare('threshold', threshold);
  checkShare('minParticipation', minParticipation);
  if (!Array.isArray(votes as unknown)) invalid('votes', 'must be an array of votes');

  const seen = new Set<string>();
  const baseWeights: number[] = [];
  const families: string[] = [];
  votes.forEach((v, i) => {
    if (typeof v?.agent !== 'string' || v.agent.length === 0) invalid(`votes[${i}].agent`, 'must be a non-empty name');
    if (seen.has(v.agent)) invalid(`votes[${i}].agent`, `"${v.agent}" appears twice; give each agent a unique name`);
    seen.add(v.agent);
    if (!(v.action in DIRECTION)) invalid(`votes[${i}].action`, `must be BUY, SELL or HOLD, got ${String(v.action)}`);
    if (!(v.confidence >= 0 && v.confidence <= 1)) {
      invalid(`votes[${i}].confidence`, `must be from 0 to 1, got ${String(v.confidence)}`);
    }
    const w = Object.hasOwn(overrides, v.agent) ? overrides[v.agent] : (v.weight ?? 1);
    if (!(typeof w === 'number' && w >= 0 && Number.isFinite(w))) {
      invalid(`weights.${v.agent}`, `must be a finite number ≥ 0, got ${String(w)}`);
    }
    baseWeights.push(w);
    families.push(v.family ?? v.agent);
  });

  const weights = capFamilyWeights(baseWeights, families, familyCap);
  const directions = votes.map((v) => DIRECTION[v.action]);
  const confidences = votes.map((v) => v.confidence);
  const { score, participation, votingWeight, totalWeight } = tallyVotes(directions, confidences, weights);
  const enough = participation >= minParticipation && votingWeight > 0;
  const action = decideVote({ score, participation, votingWeight, totalWeight }, threshold, minParticipation);
  const confidence = Math.min(1, Math.abs(score) * participation);
  const denominator = votes.reduce(
    (sum, v, i) => sum + (v.action === 'HOLD' ? 0 : (weights[i] as number) * v.confidence),
    0,
  );

  const contributors: Contribution[] = votes
    .map((v, i) => {
      const w = weights[i] as number;
      return {
        agent: v.agent,
        family: families[i] as string,
        action: v.action,
        confidence: v.confidence,
        weight: w,
        contribution: denominator > 0 ? (w * v.confidence * DIRECTION[v.action]) / denominator : 0,
      };
    })
    .sort((x, y) => Math.abs(y.contribution) - Math.abs(x.contribution) || x.agent.localeCompare(y.agent));

  const named = contributors.filter((c) => c.contribution !== 0).slice(0, top);
  const factors: ReasoningFactor[] = [
    { name: 'score', value: score, threshold, detail: 'Σ w·c·a / Σ w·c over BUY/SELL voters' },
    { name: 'participation', value: participation, threshold: minParticipation, detail: 'voting weight / all weight' },
    ...named.map((c) => ({
      name: c.agent,
      value: c.action,
      contribution: c.contribution,
      detail: `${c.family}; confidence ${c.confidence.toFixed(2)}, weight ${c.weight.toFixed(2)}`,
    })),
  ];
  const why =
    action !== 'HOLD'
      ? ''
      : !enough
        ? ` (participation below ${Math.round(minParticipation * 100)}%)`
        : ` (|score| below ${threshold})`;
  const names = named.map((c) => `${c.agent} ${c.action} ${fmt(c.contribution)}`).join(', ');
  const summary =
    `${action}${why}: score ${fmt(score)}, participation ${Math.round(participation * 100)}% ` +
    `of ${votes.length} agent${votes.length === 1 ? '' : 's'}${names ? `; top: ${names}` : ''}`;
  return {
    action,
    confidence,
    score,
    participation,
    votingWeight,
    totalWeight,
    contributors,
    reasoning: { summary, factors },
  };
}
