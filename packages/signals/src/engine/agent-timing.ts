/** Evaluation time of one agent (all its instances, every symbol). */
export interface AgentTiming {
  /** Agent name. */
  agent: string;
  /** Evaluations (all of them, timed or not). */
  evaluations: number;
  /** Evaluations timed (one in `timingSample`). */
  timed: number;
  /** Total time of the timed evaluations, ms. */
  totalMs: number;
  /** Mean per timed evaluation, ms. */
  meanMs: number;
  /** Slowest evaluation, ms. */
  maxMs: number;
}

/** Mutable per-agent accumulator; the engine keeps one per agent name and updates it in place. */
export class TimingCell {
  /** Evaluations counted. */
  evaluations = 0;
  /** Evaluations timed. */
  timed = 0;
  /** Total time of the timed evaluations, ms. */
  totalMs = 0;
  /** Slowest timed evaluation, ms. */
  maxMs = 0;

  constructor(readonly agent: string) {}

  /** Counts an evaluation that was not timed. */
  count(): void {
    this.evaluations++;
  }

  /** Counts a timed evaluation of `ms`. */
  add(ms: number): void {
    this.evaluations++;
    this.timed++;
    this.totalMs += ms;
    if (ms > this.maxMs) this.maxMs = ms;
  }

  /** A copy of the figures, with the mean. */
  snapshot(): AgentTiming {
    return {
      agent: this.agent,
      evaluations: this.evaluations,
      timed: this.timed,
      totalMs: this.totalMs,
      meanMs: this.timed > 0 ? this.totalMs / this.timed : 0,
      maxMs: this.maxMs,
    };
  }
}

/** A monotonic millisecond clock: `performance.now()` where it exists (browsers, Deno, Bun, Node), else `Date.now()`. */
export const monotonicNow: () => number =
  typeof globalThis.performance?.now === 'function'
    ? globalThis.performance.now.bind(globalThis.performance)
    : Date.now;
