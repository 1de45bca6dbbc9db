/**
 * A source of the current time in epoch milliseconds.
 *
 * Every time-dependent part of Stockade takes a clock so that tests and the simulator can pin an
 * instant (a regular-session Tuesday, a Saturday noon) instead of depending on when they run.
 */
export interface Clock {
  /** Current time, epoch milliseconds (UTC). */
  now(): number;
}

/** The wall clock: `Date.now()`. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that only moves when told to; for tests and simulations.
 *
 * @example
 * const clock = manualClock(Date.parse('2026-03-10T15:00:00Z'));
 * clock.advance(5_000);
 */
export interface ManualClock extends Clock {
  /** Moves the clock forward by `ms` milliseconds. */
  advance(ms: number): void;
  /** Sets the clock to an absolute epoch-millisecond instant. */
  set(epochMs: number): void;
}

/** Creates a {@link ManualClock} starting at `startMs` (default: now). */
export function manualClock(startMs: number = Date.now()): ManualClock {
  let t = startMs;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
    set(epochMs: number) {
      t = epochMs;
    },
  };
}
