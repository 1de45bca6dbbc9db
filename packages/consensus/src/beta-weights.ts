import { ValidationError } from '@stockade/core';
import { checkAgents, outcomesKnownAt, type ResolvedOutcome } from './outcome.js';

/** Options of {@link betaWeights}. */
export interface BetaWeightsOptions {
  /** Every agent to weigh, including those with no outcome yet. */
  agents: readonly string[];
  /** The time the weights will be used at: only outcomes resolved by then count. */
  asOf: number;
  /** Prior hits (α of the Beta prior). @default 2 */
  priorHits?: number;
  /** Prior misses (β of the Beta prior). @default 2 */
  priorMisses?: number;
}

/**
 * Adaptive agent weights from each agent's win rate under a Beta prior, from outcomes already
 * resolved at `asOf`: the posterior mean `(α + hits) / (α + β + hits + misses)`, divided by the
 * prior mean so that an agent with no history weighs 1. An agent right 70 % of the time over many
 * signals weighs about 1.4 (with the default even prior); one right 30 % of the time about 0.6.
 *
 * @throws {ValidationError} for an empty or duplicate agent list, a non-positive prior, or a malformed outcome.
 * @example
 * const weights = betaWeights(tracker.outcomes(), { agents: ['rsi', 'macdCross'], asOf: Date.now() });
 */
export function betaWeights(outcomes: readonly ResolvedOutcome[], options: BetaWeightsOptions): Record<string, number> {
  const { agents, asOf } = options;
  const a0 = options.priorHits ?? 2;
  const b0 = options.priorMisses ?? 2;
  checkAgents(agents);
  if (!(a0 > 0 && b0 > 0 && Number.isFinite(a0 + b0))) {
    throw new ValidationError(`priorHits and priorMisses must be positive, got ${a0} and ${b0}`, [
      { path: 'priorHits', message: 'expected a positive pseudo-count, e.g. 2' },
    ]);
  }
  const hits = new Map<string, number>(agents.map((a) => [a, 0]));
  const misses = new Map<string, number>(agents.map((a) => [a, 0]));
  for (const o of outcomesKnownAt(outcomes, asOf)) {
    if (!hits.has(o.agent)) continue;
    if (o.hit) hits.set(o.agent, (hits.get(o.agent) ?? 0) + 1);
    else misses.set(o.agent, (misses.get(o.agent) ?? 0) + 1);
  }
  const priorMean = a0 / (a0 + b0);
  const out: Record<string, number> = {};
  for (const a of agents) {
    const h = hits.get(a) ?? 0;
    const m = misses.get(a) ?? 0;
    out[a] = (a0 + h) / (a0 + b0 + h + m) / priorMean;
  }
  return out;
}
