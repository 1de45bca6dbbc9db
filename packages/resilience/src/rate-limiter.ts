import type { Clock } from '@stockade/core';
import { executeOptions, invoke, type Policy, passThroughContext } from './call-context.js';
import type { Event } from './events.js';
import type { RateLimitHeaders } from './rate-limit-headers.js';
import { remainingMs } from './wait-queue.js';

/** Per-call options of {@link RateLimiter.acquire}. */
export interface AcquireOptions {
  /** Aborting removes the waiter from the queue at once and rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Higher goes first; equal priorities are first come, first served. @default 0 */
  readonly priority?: number | undefined;
  /** Longest wait for this call, ms; capped by the queue's own `maxWaitMs`. @default queue.maxWaitMs */
  readonly maxWaitMs?: number | undefined;
}

/** A caller started waiting in a queue (rate limiter or bulkhead). */
export interface QueuedEvent {
  /** Name of the limiter or bulkhead. */
  readonly limiter: string;
  /** Waiters now in the queue, this one included. */
  readonly queueLength: number;
  /** Expected wait, ms, when the limiter can tell (token buckets can; a bulkhead cannot). */
  readonly estimatedWaitMs: number | undefined;
  /** The waiter's priority. */
  readonly priority: number;
}

/** Why a limiter or bulkhead refused a caller. */
export type RejectionReason = 'queue_full' | 'wait_too_long' | 'closed';

/** A caller was refused by a limiter or bulkhead (it got a `RateLimitedError`; nothing is dropped silently). */
export interface RejectedEvent {
  /** Name of the limiter or bulkhead. */
  readonly limiter: string;
  /** Why. */
  readonly reason: RejectionReason;
  /** When trying again may succeed, ms, when known. */
  readonly retryAfterMs: number | undefined;
}

/**
 * A rate limiter: a token bucket, several buckets taken all-or-none, or a Redis-shared bucket.
 * Also a policy: `execute(fn)` takes one token, then runs `fn`.
 */
export interface RateLimiter extends Policy {
  /** Name used in errors and events (usually `provider:window`). */
  readonly name: string;
  /**
   * Takes `cost` tokens now if they are there and nobody is queued ahead; never waits. `false`
   * means "not now" — for a Redis-shared bucket always, since only `acquire` can ask Redis.
   * `now` saves a clock read when the caller has just made one on the same clock.
   */
  tryAcquire(cost?: number, now?: number): boolean;
  /**
   * Takes `cost` tokens, waiting in the queue when there are not enough. Rejects with
   * `RateLimitedError` when the queue is full or the wait would pass `maxWaitMs`, and with the
   * signal's reason when aborted.
   */
  acquire(cost?: number, options?: AcquireOptions): Promise<void>;
  /** Expected wait before `cost` tokens could be granted to a newcomer, ms (0: now). */
  waitTimeMs(cost?: number): number;
  /** Grants nothing before `epochMs` (a 429's Retry-After); tokens keep refilling meanwhile. */
  pauseUntil(epochMs: number): void;
  /**
   * Adopts what a provider says about its limit (`X-RateLimit-Remaining`, `X-RateLimit-Reset`,
   * `Retry-After`, also without the `X-` prefix). Headers it does not send change nothing.
   */
  observe(headers: RateLimitHeaders): void;
  /** Callers waiting now. */
  readonly queueLength: number;
  /** A caller started waiting. */
  readonly onQueued: Event<QueuedEvent>;
  /** A caller was refused. */
  readonly onRejected: Event<RejectedEvent>;
  /** Rejects every waiter with `RateLimitedError` and stops timers; later calls are refused. */
  close(): void;
}

/**
 * @internal The `execute` every limiter shares: take a token at once when one is there, else wait
 * in line (within the call's deadline), then run the call.
 */
export function limiterExecute(
  tryAcquire: (cost: number) => boolean,
  acquire: (cost: number, options: AcquireOptions) => Promise<void>,
  clock: Clock,
): Policy['execute'] {
  return (fn, arg) => {
    const opts = executeOptions(arg);
    if (tryAcquire(1)) return Promise.resolve(invoke(fn, passThroughContext(opts)));
    return acquire(1, {
      signal: opts.signal,
      priority: opts.priority,
      maxWaitMs: remainingMs(opts.deadline, clock),
    }).then(() => invoke(fn, passThroughContext(opts)));
  };
}
