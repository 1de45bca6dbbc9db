import { ValidationError } from '@stockade/core';
import { checkAgents, outcomesKnownAt, type ResolvedOutcome } from './outcome.js';

/** Options of {@link hedgeWeights}. */
export interface HedgeWeightsOptions {
  /** Every agent to weigh, including those with no outcome yet. */
  agents: readonly string[];
  /** The time the weights will be used at: only outcomes resolved by then count. */
  asOf: number;
  /** η: how hard one loss cuts a weight (`w × e^(−η·loss)`). @default 0.3 */
  learningRate?: number;
  /** α of fixed-share mixing: the share of weight spread evenly after each round, so that a dormant agent can recover. @default 0.02 */
  share?: number;
}

/**
 * Adaptive agent weights by Hedge (exponential weights) with fixed-share mixing (Herbster &
 * Warmuth), from outcomes already resolved at `asOf`.
 *
 * Outcomes resolved at the same instant form one round. In a round every agent takes a loss: its
 * own (the mean of its outcomes' losses) when it signalled, 0.5 — a coin flip — when it did not, so
 * that silence neither earns nor costs weight against chance. Then `w ← w·e^(−η·loss)`, normalize,
 * and `w ← (1 − α)·w + α/N`. The result is scaled so that the weights average 1 (an agent with no
 * history keeps weight 1), ready for `weightedVote({ weights })`.
 *
 * @throws {ValidationError} for an empty or duplicate agent list, η ≤ 0, α outside [0, 1), or a malformed outcome.
 * @example
 * const weights = hedgeWeights(tracker.outcomes(), { agents: ['rsi', 'macdCross'], asOf: Date.now() });
 * weightedVote(votes, { weights });
 */
export function hedgeWeights(
  outcomes: readonly ResolvedOutcome[],
  options: HedgeWeightsOptions,
): Record<string, number> {
  const { agents, asOf } = options;
  const eta = options.learningRate ?? 0.3;
  const alpha = options.share ?? 0.02;
  checkAgents(agents);
  if (!(eta > 0 && Number.isFinite(eta))) {
    throw new ValidationError(`learningRate must be a positive number, got ${String(eta)}`, [
      { path: 'learningRate', message: 'expected η > 0, e.g. 0.3' },
    ]);
  }
  if (!(alpha >= 0 && alpha < 1)) {
    throw new ValidationError(`share must be in [0, 1), got ${String(alpha)}`, [
      { path: 'share', message: 'expected a fixed-share rate, e.g. 0.02' },
    ]);
  }
  const n = agents.length;
  const index = new Map(agents.map((a, i) => [a, i]));
  const w = new Float64Array(n).fill(1 / n);
  const lossSum = new Float64Array(n);
  const lossCount = new Uint32Array(n);

  const known = outcomesKnownAt(outcomes, asOf);
  let i = 0;
  while (i < known.length) {
    const roundAt = (known[i] as ResolvedOutcome).resolvedAt;
    lossSum.fill(0);
    lossCount.fill(0);
    for (; i < known.length && (known[i] as ResolvedOutcome).resolvedAt === roundAt; i++) {
      const o = known[i] as ResolvedOutcome;
      const j = index.get(o.agent);
      if (j === undefined) continue; // an agent no longer weighed
      lossSum[j] = (lossSum[j] as number) + (o.loss ?? (o.hit ? 0 : 1));
      lossCount[j] = (lossCount[j] as number) + 1;
    }
    let total = 0;
    for (let j = 0; j < n; j++) {
      const count = lossCount[j] as number;
      const loss = count > 0 ? (lossSum[j] as number) / count : 0.5;
      w[j] = (w[j] as number) * Math.exp(-eta * loss);
      total += w[j] as number;
    }
    for (let j = 0; j < n; j++) w[j] = (1 - alpha) * ((w[j] as number) / total) + alpha / n;
  }
  const out: Record<string, number> = {};
  agents.forEach((a, j) => {
    out[a] = (w[j] as number) * n;
  });
  return out;
}
