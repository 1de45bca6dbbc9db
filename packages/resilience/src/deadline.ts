import { type Clock, systemClock } from '@stockade/core';
import { z } from 'zod';
import type { Policy } from './call-context.js';
import { Emitter, type Event } from './events.js';
import { ClockSchema, parseOptions } from './options.js';
import { runTimed, type TimeoutEvent, timeoutError } from './timeout.js';
import { sharedTimerWheel, type TimerWheel } from './timer-wheel.js';

/** Options of {@link deadline}. */
export interface DeadlineOptions {
  /** Time the whole operation (every attempt and wait) may take, ms. Required. */
  ms: number;
  /**
   * Name in events.
   * @default undefined
   */
  name?: string;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Where the deadline is registered.
   * @default sharedTimerWheel(clock)
   */
  timers?: TimerWheel;
}

/** An overall deadline: the outermost policy, whose end every inner policy respects. */
export interface DeadlinePolicy extends Policy {
  /** The limit, ms. */
  readonly ms: number;
  /** The deadline passed. */
  readonly onTimeout: Event<TimeoutEvent>;
}

const Options = z
  .object({
    ms: z.number().positive(),
    name: z.string().optional(),
    clock: ClockSchema.optional(),
    timers: z.custom<TimerWheel>((t) => typeof (t as TimerWheel | undefined)?.schedule === 'function').optional(),
  })
  .strict();

/**
 * Creates a {@link DeadlinePolicy}. Unlike a per-attempt timeout it hands the absolute deadline to
 * what runs inside (`context.deadline`), so a retry never sleeps past it and a queue never waits
 * past it; when it passes the operation rejects with core's `TimeoutError` (an earlier deadline
 * from the caller wins).
 *
 * @example
 * const within5s = deadline({ ms: 5_000 });
 * await within5s.execute((ctx) => retryPolicy.execute(call, ctx));
 */
export function deadline(options: DeadlineOptions): DeadlinePolicy {
  const o = parseOptions(Options, options, 'deadline');
  const clock = o.clock ?? systemClock;
  const timers = o.timers ?? sharedTimerWheel(clock);
  const timeouts = new Emitter<TimeoutEvent>();
  const onExpire = (): void => {
    if (timeouts.active) timeouts.emit({ name: o.name, scope: 'deadline', timeoutMs: o.ms });
  };
  const error = (): Error => timeoutError(o.name, 'deadline', o.ms);
  const limits = (now: number, outer: number | undefined) => {
    const at = outer === undefined ? now + o.ms : Math.min(outer, now + o.ms);
    return { at, deadline: at };
  };
  return {
    ms: o.ms,
    onTimeout: timeouts.on,
    execute: (fn, arg) => runTimed(fn, arg, limits, error, onExpire, clock, timers),
  };
}
