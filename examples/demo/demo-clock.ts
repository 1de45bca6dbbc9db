import type { Clock } from '@stockade/core';

/** A clock whose speed can change while it runs; see {@link demoClock}. */
export interface DemoClock extends Clock {
  /** Simulated milliseconds per real millisecond from now on. */
  setSpeed(speed: number): void;
}

/**
 * A clock that reads `start` when created and then moves with real time at `speed` (1 at first).
 * The demo warms up at real speed, so the manager's timeouts (counted on this clock) leave the
 * warm-up's history requests real seconds, then runs the cycles faster than real time so cache
 * expiry and breaker delays happen within seconds.
 */
export function demoClock(start: number, realNow: () => number = Date.now): DemoClock {
  let base = start;
  let origin = realNow();
  let speed = 1;
  const now = () => Math.floor(base + (realNow() - origin) * speed);
  return {
    now,
    setSpeed(next) {
      base = now();
      origin = realNow();
      speed = next;
    },
  };
}
