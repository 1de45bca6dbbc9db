import { type Clock, ValidationError } from '@stockade/core';

/** Options of {@link simulatedClock}. */
export interface SimulatedClockOptions {
  /** The simulated instant at the moment the clock is created, epoch ms. @default Date.now() */
  start?: number;
  /** Simulated milliseconds per real millisecond (60: a simulated minute each real second). @default 1 */
  speed?: number;
  /** The real clock it runs on. @default Date.now */
  realNow?: () => number;
}

/**
 * A clock that starts at a chosen instant and runs `speed` times faster than real time: for running
 * the simulator standalone through a pinned regular session, simulated minutes in real seconds.
 *
 * @throws {ValidationError} when `start` or `speed` is not a finite number (speed must be > 0).
 * @example
 * const clock = simulatedClock({ start: Date.parse('2026-03-10T14:30:00Z'), speed: 60 });
 */
export function simulatedClock(options: SimulatedClockOptions = {}): Clock {
  const realNow = options.realNow ?? Date.now;
  const start = options.start ?? realNow();
  const speed = options.speed ?? 1;
  if (!Number.isFinite(start))
    throw new ValidationError(`start must be epoch milliseconds, got ${start}`, [
      { path: 'start', message: 'expected a finite number' },
    ]);
  if (!Number.isFinite(speed) || speed <= 0)
    throw new ValidationError(`speed must be a positive number, got ${speed}`, [
      { path: 'speed', message: 'expected > 0' },
    ]);
  const origin = realNow();
  return { now: () => Math.floor(start + (realNow() - origin) * speed) };
}
