import { type Clock, systemClock, ValidationError } from '@stockade/core';
import { z } from 'zod';
import { ClockSchema, parseOptions, QueueSchema } from './options.js';
import type { RateLimitHeaders } from './rate-limit-headers.js';
import { type AcquireOptions, limiterExecute, type RateLimiter } from './rate-limiter.js';
import { sharedTimerWheel, type TimerWheel } from './timer-wheel.js';
import type { QueueOptions, TokenBucket } from './token-bucket.js';
import { type Gate, WaitQueue } from './wait-queue.js';

/** Options of {@link multiBucket}. */
export interface MultiBucketOptions {
  /**
   * Name in errors and events, e.g. `alphavantage`.
   * @default the buckets' names joined with `+`
   */
  name?: string;
  /** The buckets a call takes from, all or none (e.g. a per-minute and a per-day bucket). Required, at least one. */
  buckets: readonly TokenBucket[];
  /**
   * Queue limits for callers who wait on the combination.
   * @default { maxSize: 1000, maxWaitMs: 30000 }
   */
  queue?: QueueOptions;
  /**
   * Time source; use the buckets' clock.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Wheel for waiters' deadlines.
   * @default sharedTimerWheel(clock)
   */
  timers?: TimerWheel;
}

/** Several buckets a call takes from all at once or not at all. */
export interface MultiBucket extends RateLimiter {
  /** The buckets, in the order given. */
  readonly buckets: readonly TokenBucket[];
}

const Options = z
  .object({
    name: z.string().min(1).optional(),
    buckets: z
      .array(
        z.custom<TokenBucket>(
          (b) => typeof (b as TokenBucket | undefined)?.gate?.waitMs === 'function',
          'a tokenBucket()',
        ),
      )
      .min(1),
    queue: QueueSchema.optional(),
    clock: ClockSchema.optional(),
    timers: z.custom<TimerWheel>((t) => typeof (t as TimerWheel | undefined)?.schedule === 'function').optional(),
  })
  .strict();

/**
 * The slowest bucket decides the wait (each bucket's own waiters count: they were there first);
 * a take touches every bucket.
 */
class AllOf implements Gate {
  constructor(private readonly buckets: readonly TokenBucket[]) {}

  waitMs(cost: number): number {
    let wait = 0;
    for (const b of this.buckets) {
      const w = b.waitTimeMs(cost);
      if (w > wait) wait = w;
    }
    return wait;
  }

  take(cost: number, now: number): void {
    for (const b of this.buckets) b.gate.take(cost, now);
  }
}

/**
 * Combines token buckets so that a call takes one token from each or from none: Alpha Vantage's
 * free tier is 5 a minute and 25 a day, and a call that passes the minute bucket but not the day
 * bucket must not spend the minute token.
 *
 * @example
 * const av = multiBucket({
 *   name: 'alphavantage',
 *   buckets: [
 *     tokenBucket({ name: 'alphavantage:minute', capacity: 5, refillPerSecond: 5 / 60 }),
 *     tokenBucket({ name: 'alphavantage:day', capacity: 25, refillPerSecond: 25 / 86_400 }),
 *   ],
 * });
 * await av.acquire();
 */
export function multiBucket(options: MultiBucketOptions): MultiBucket {
  const o = parseOptions(Options, options, 'multiBucket');
  const buckets = o.buckets as readonly TokenBucket[];
  const name = o.name ?? buckets.map((b) => b.name).join('+');
  const clock = o.clock ?? systemClock;
  const gate = new AllOf(buckets);
  const capacity = Math.min(...buckets.map((b) => b.capacity));
  const queue = new WaitQueue(
    name,
    gate,
    { maxSize: o.queue?.maxSize ?? 1000, maxWaitMs: o.queue?.maxWaitMs ?? 30_000 },
    clock,
    o.timers ?? sharedTimerWheel(clock),
  );
  let closed = false;

  const tryAcquire = (cost = 1, now = clock.now()): boolean => {
    if (closed || queue.length > 0) return false;
    if (gate.waitMs(cost) > 0) return false;
    gate.take(cost, now);
    return true;
  };

  const acquire = (cost = 1, acquireOptions: AcquireOptions = {}): Promise<void> => {
    if (!(cost > 0 && cost <= capacity)) {
      return Promise.reject(
        new ValidationError(`${name}: cost must be > 0 and ≤ the smallest capacity ${capacity}, got ${cost}`, [
          { path: 'cost', message: `expected a number in (0, ${capacity}]` },
        ]),
      );
    }
    if (acquireOptions.signal?.aborted) return Promise.reject(acquireOptions.signal.reason);
    if (tryAcquire(cost)) return Promise.resolve();
    return queue.enqueue(cost, acquireOptions);
  };

  return {
    name,
    buckets,
    tryAcquire,
    acquire,
    waitTimeMs: (cost = 1) => gate.waitMs(queue.costAhead(0) + cost),
    pauseUntil(epochMs) {
      for (const b of buckets) b.pauseUntil(epochMs);
      queue.drain();
    },
    observe(headers: RateLimitHeaders) {
      // A provider's remaining count bounds every window at once: nothing can exceed it now.
      for (const b of buckets) b.observe(headers);
      queue.drain();
    },
    get queueLength() {
      return queue.length;
    },
    onQueued: queue.queued.on,
    onRejected: queue.rejected.on,
    execute: limiterExecute(tryAcquire, acquire, clock),
    close() {
      closed = true;
      queue.close();
    },
  };
}
