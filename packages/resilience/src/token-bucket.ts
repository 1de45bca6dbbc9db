import { type Clock, systemClock, ValidationError } from '@stockade/core';
import { z } from 'zod';
import { ClockSchema, parseOptions, QueueSchema } from './options.js';
import { parseRateLimitHeaders, type RateLimitHeaders } from './rate-limit-headers.js';
import { type AcquireOptions, limiterExecute, type RateLimiter } from './rate-limiter.js';
import { SlidingWindowCounter } from './sliding-window-counter.js';
import { sharedTimerWheel, type TimerWheel } from './timer-wheel.js';
import { type Gate, WaitQueue } from './wait-queue.js';

/** How long callers may queue for tokens. */
export interface QueueOptions {
  /**
   * Most callers waiting at once; the next one gets `RateLimitedError` at once.
   * @default 1000
   */
  maxSize?: number;
  /**
   * Longest wait, ms. A caller whose expected wait is longer is refused at once (with the wait as
   * `retryAfterMs`) rather than after waiting.
   * @default 30000
   */
  maxWaitMs?: number;
}

/** Options of {@link tokenBucket}. */
export interface TokenBucketOptions {
  /**
   * Name in errors and events, e.g. `polygon:minute`.
   * @default 'bucket'
   */
  name?: string;
  /** Most tokens held (the burst). Required. */
  capacity: number;
  /** Tokens added per second. Required; `5 / 60` for five a minute. */
  refillPerSecond: number;
  /**
   * Tokens at creation.
   * @default capacity
   */
  initialTokens?: number;
  /**
   * How spent tokens come back. `refill`: continuously, at `refillPerSecond` (a burst of
   * `capacity`, then the refill rate). `sliding`: each token returns exactly
   * `capacity / refillPerSecond` seconds after it was spent, so no window of that length ever
   * holds more than `capacity` grants — the way providers count a quota ("5 per minute").
   * @default 'refill'
   */
  window?: 'refill' | 'sliding';
  /**
   * Queue limits.
   * @default { maxSize: 1000, maxWaitMs: 30000 }
   */
  queue?: QueueOptions;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Wheel for waiters' deadlines.
   * @default sharedTimerWheel(clock)
   */
  timers?: TimerWheel;
}

/** An in-process token bucket. */
export interface TokenBucket extends RateLimiter {
  /** Most tokens held. */
  readonly capacity: number;
  /** Tokens added per second. */
  readonly refillPerSecond: number;
  /** Tokens available now (fractional), after refilling by elapsed time. */
  tokens(): number;
  /** @internal The arithmetic underneath, for taking from several buckets all-or-none. */
  readonly gate: Gate;
}

const Options = z
  .object({
    name: z.string().min(1).optional(),
    capacity: z.number().positive(),
    refillPerSecond: z.number().positive().finite(),
    initialTokens: z.number().min(0).optional(),
    window: z.enum(['refill', 'sliding']).optional(),
    queue: QueueSchema.optional(),
    clock: ClockSchema.optional(),
    timers: z.custom<TimerWheel>((t) => typeof (t as TimerWheel | undefined)?.schedule === 'function').optional(),
  })
  .strict();

/**
 * Tokens refilled by arithmetic when read (no timer while nobody waits). A pause (Retry-After)
 * grants nothing before its end; the refill goes on meanwhile, since a provider's Retry-After
 * usually points at its window's reset, when a fresh burst is fine. (When a provider's headers
 * say how many calls are left, `observe` clamps the bucket to that.)
 */
class TokenCounter implements Gate {
  private level: number;
  private last: number;
  private pausedUntil = 0;
  private readonly perMs: number;

  constructor(
    readonly capacity: number,
    refillPerSecond: number,
    initial: number,
    now: number,
  ) {
    this.perMs = refillPerSecond / 1000;
    this.level = Math.min(initial, capacity);
    this.last = now;
  }

  refill(now: number): number {
    if (now > this.last) {
      const level = this.level + (now - this.last) * this.perMs;
      this.level = Math.min(level, this.capacity);
      this.last = now;
    }
    return this.level;
  }

  waitMs(cost: number, now: number): number {
    const level = this.refill(now);
    if (now < this.pausedUntil) {
      const pause = this.pausedUntil - now;
      const then = Math.min(this.capacity, level + pause * this.perMs);
      return pause + Math.max(0, cost - then) / this.perMs;
    }
    return level >= cost ? 0 : (cost - level) / this.perMs;
  }

  take(cost: number, now: number): void {
    this.refill(now);
    this.level -= cost;
  }

  /** The hot path: refill, check and take in one pass. */
  tryTake(cost: number, now: number): boolean {
    if (now < this.pausedUntil) return false;
    if (this.refill(now) < cost) return false;
    this.level -= cost;
    return true;
  }

  pause(until: number, now: number): void {
    if (until > this.pausedUntil && until > now) this.pausedUntil = until;
  }

  clamp(remaining: number, now: number): void {
    if (this.refill(now) > remaining) this.level = remaining;
  }
}

/**
 * Creates an in-process token bucket: `capacity` tokens, refilled at `refillPerSecond`, with a
 * FIFO queue (priorities first) for callers who have to wait.
 *
 * @example
 * const perMinute = tokenBucket({ name: 'alphavantage:minute', capacity: 5, refillPerSecond: 5 / 60 });
 * await perMinute.acquire(1, { signal });     // waits in line, or RateLimitedError
 * const quote = await perMinute.execute(({ signal }) => fetchQuote('AAPL', { signal }));
 */
export function tokenBucket(options: TokenBucketOptions): TokenBucket {
  const o = parseOptions(Options, options, 'tokenBucket');
  const name = o.name ?? 'bucket';
  const clock = o.clock ?? systemClock;
  const counter: TokenCounter | SlidingWindowCounter =
    o.window === 'sliding'
      ? new SlidingWindowCounter(o.capacity, (o.capacity / o.refillPerSecond) * 1000)
      : new TokenCounter(o.capacity, o.refillPerSecond, o.initialTokens ?? o.capacity, clock.now());
  if (o.window === 'sliding' && o.initialTokens !== undefined) counter.clamp(o.initialTokens, clock.now());
  const queue = new WaitQueue(
    name,
    counter,
    { maxSize: o.queue?.maxSize ?? 1000, maxWaitMs: o.queue?.maxWaitMs ?? 30_000 },
    clock,
    o.timers ?? sharedTimerWheel(clock),
  );
  let closed = false;

  const badCost = (cost: number): ValidationError | undefined =>
    cost > 0 && cost <= o.capacity
      ? undefined
      : new ValidationError(`${name}: cost must be > 0 and ≤ capacity ${o.capacity}, got ${cost}`, [
          { path: 'cost', message: `expected a number in (0, ${o.capacity}]` },
        ]);

  const tryAcquire = (cost = 1, now = clock.now()): boolean =>
    !closed && queue.length === 0 && counter.tryTake(cost, now);

  const acquire = (cost = 1, acquireOptions: AcquireOptions = {}): Promise<void> => {
    const invalid = badCost(cost);
    if (invalid !== undefined) return Promise.reject(invalid);
    if (acquireOptions.signal?.aborted) return Promise.reject(acquireOptions.signal.reason);
    if (tryAcquire(cost)) return Promise.resolve();
    return queue.enqueue(cost, acquireOptions);
  };

  return {
    name,
    capacity: o.capacity,
    refillPerSecond: o.refillPerSecond,
    gate: counter,
    tokens: () => counter.refill(clock.now()),
    tryAcquire,
    acquire,
    waitTimeMs: (cost = 1) => counter.waitMs(queue.costAhead(0) + cost, clock.now()),
    pauseUntil(epochMs) {
      counter.pause(epochMs, clock.now());
      queue.drain();
    },
    observe(headers: RateLimitHeaders) {
      const now = clock.now();
      const said = parseRateLimitHeaders(headers, now);
      if (said.remaining !== undefined) counter.clamp(said.remaining, now);
      if (said.remaining === 0 && said.resetAt !== undefined) counter.pause(said.resetAt, now);
      if (said.retryAt !== undefined) counter.pause(said.retryAt, now);
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
