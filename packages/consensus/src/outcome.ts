import { ValidationError } from '@stockade/core';

/**
 * How one agent's signal turned out, as adaptive weighting reads it. Produced by the signal tracker
 * once the signal's horizon has passed.
 */
export interface ResolvedOutcome {
  /** The agent that gave the signal. */
  agent: string;
  /** When the signal was given, epoch ms. */
  signalAt: number;
  /** When its outcome became known (the end of its horizon), epoch ms. */
  resolvedAt: number;
  /** Whether the market moved the way the signal said. */
  hit: boolean;
  /** Loss for Hedge, 0 (perfect) to 1 (worst). @default hit ? 0 : 1 */
  loss?: number;
}

/**
 * The outcomes known at `asOf`: those resolved at or before it, sorted by resolution time. This is
 * the whole of the no-look-ahead rule: a weight used at time t may only depend on outcomes whose
 * horizon ended by t, never on a signal still in flight.
 *
 * @throws {ValidationError} for an outcome resolved before it was given, a loss outside 0..1, or a non-finite `asOf`.
 */
export function outcomesKnownAt(outcomes: readonly ResolvedOutcome[], asOf: number): ResolvedOutcome[] {
  if (!Number.isFinite(asOf)) {
    throw new ValidationError(`asOf must be an epoch-ms instant, got ${String(asOf)}`, [
      { path: 'asOf', message: 'expected a finite number (epoch ms): the time the weights are used at' },
    ]);
  }
  const known: ResolvedOutcome[] = [];
  outcomes.forEach((o, i) => {
    if (!(o.resolvedAt >= o.signalAt)) {
      throw new ValidationError(`outcomes[${i}] (${o.agent}) is resolved before it was given`, [
        { path: `outcomes[${i}].resolvedAt`, message: 'must be at or after signalAt' },
      ]);
    }
    if (o.loss !== undefined && !(o.loss >= 0 && o.loss <= 1)) {
      throw new ValidationError(`outcomes[${i}].loss must be from 0 to 1, got ${String(o.loss)}`, [
        { path: `outcomes[${i}].loss`, message: 'expected a loss from 0 to 1' },
      ]);
    }
    if (o.resolvedAt <= asOf) known.push(o);
  });
  return known.sort((a, b) => a.resolvedAt - b.resolvedAt || a.signalAt - b.signalAt);
}

/** Throws unless `agents` is a non-empty list of unique names. */
export function checkAgents(agents: readonly string[]): void {
  if (agents.length === 0 || new Set(agents).size !== agents.length) {
    throw new ValidationError('agents must be a non-empty list of unique agent names', [
      { path: 'agents', message: 'expected unique names, e.g. ["rsi", "macdCross"]' },
    ]);
  }
}
