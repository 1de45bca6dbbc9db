import { type Clock, hashTagOf, RateLimitedError, systemClock, ValidationError } from '@stockade/core';
import type { Cluster, Redis } from 'ioredis';
import { z } from 'zod';
import { Emitter, type Event, mergeEvents } from './events.js';
import { multiBucket } from './multi-bucket.js';
import { ClockSchema, parseOptions, QueueSchema } from './options.js';
import { parseRateLimitHeaders, type RateLimitHeaders } from './rate-limit-headers.js';
import { type AcquireOptions, limiterExecute, type RateLimiter } from './rate-limiter.js';
import { type ScriptBucket, scriptRunner } from './shared-bucket-script.js';
import { SharedQueue } from './shared-queue.js';
import { windowScriptRunner } from './shared-window-script.js';
import { sharedTimerWheel, type TimerWheel } from './timer-wheel.js';
import { type QueueOptions, type TokenBucket, tokenBucket } from './token-bucket.js';

/** One window of a shared limit: a Redis key and its size. */
export interface SharedBucketLimit {
  /**
   * Redis key; build it with core's `keys.bucket(provider, name)` (or `keys.quotaWindow(provider, name)`
   * for `window: 'sliding'`) so every window of a provider shares a slot.
   */
  key: string;
  /** Most tokens (the burst); with `window: 'sliding'`, most grants in one window. */
  capacity: number;
  /** Tokens added per second (`25 / 86_400` for 25 a day); with `window: 'sliding'` the window is `capacity / refillPerSecond` s. */
  refillPerSecond: number;
}

/** Options of {@link sharedTokenBucket}. Give `key` + `capacity` + `refillPerSecond`, or `buckets`. */
export interface SharedTokenBucketOptions {
  /** An ioredis `Redis` or `Cluster` client you own (ioredis is an optional peer dependency). Required. */
  redis: Redis | Cluster;
  /** Redis key of a single-window bucket, from `keys.bucket(provider, name)`. @default none */
  key?: string;
  /** Most tokens of the single-window bucket. @default none */
  capacity?: number;
  /** Tokens per second of the single-window bucket. @default none */
  refillPerSecond?: number;
  /** Several windows (e.g. minute and day), taken all or none. @default none */
  buckets?: readonly SharedBucketLimit[];
  /**
   * How spent tokens come back, as in `tokenBucket`. `refill`: continuously (a hash per key).
   * `sliding`: each grant leaves the window `capacity / refillPerSecond` s after it was made, so no
   * window ever holds more than `capacity` grants across all processes (a sorted set per key) —
   * the way providers count a quota. One key must always be used with one mode.
   * @default 'refill'
   */
  window?: 'refill' | 'sliding';
  /** Name in errors and events. @default the key(s) */
  name?: string;
  /** Queue limits for this process's waiters. @default { maxSize: 1000, maxWaitMs: 30000 } */
  queue?: QueueOptions;
  /** Processes sharing the limit; sets the default `share`. @default 1 */
  expectedProcesses?: number;
  /** This process's share of the limit when Redis is unreachable (0–1]. @default 1 / expectedProcesses */
  share?: number;
  /** How long a Redis call may take before the local fallback is used, ms. @default 500 */
  redisTimeoutMs?: number;
  /** How long to stay on the fallback before asking Redis again, ms. @default 1000 */
  retryRedisAfterMs?: number;
  /** Time source. @default systemClock */
  clock?: Clock;
  /** Wheel for waiters' deadlines. @default sharedTimerWheel(clock) */
  timers?: TimerWheel;
}

/** The shared bucket switched to (or back from) its local fallback. */
export interface FallbackEvent {
  /** Limiter name. */
  readonly limiter: string;
  /** True when the local fallback is now in use. */
  readonly active: boolean;
  /** Why, in words. */
  readonly reason: string;
  /** The Redis error, when there was one. */
  readonly error?: unknown;
}

/** Tokens were granted by Redis. */
export interface GrantedEvent {
  /** Limiter name. */
  readonly limiter: string;
  /** Tokens taken. */
  readonly cost: number;
  /** Redis's clock at the grant, epoch ms. */
  readonly at: number;
}

/** A token bucket shared by every process through one Lua script on Redis. */
export interface SharedTokenBucket extends RateLimiter {
  /** Whether the local fallback is in use now. */
  readonly usingFallback: boolean;
  /** Switched to or back from the fallback. */
  readonly onFallback: Event<FallbackEvent>;
  /** Tokens were granted by Redis. */
  readonly onGranted: Event<GrantedEvent>;
  /**
   * Tokens left per window, in the order of `buckets`: as Redis last reported them (no round
   * trip), or the local fallback's while it is in use. Each window's capacity before the first answer.
   */
  remaining(): readonly number[];
}

const Limit = z.object({
  key: z.string().min(1),
  capacity: z.number().positive(),
  refillPerSecond: z.number().positive(),
});
const Options = z
  .object({
    redis: z.custom<Redis | Cluster>(
      (r) => typeof (r as Redis | undefined)?.evalsha === 'function',
      'an ioredis client',
    ),
    key: z.string().min(1).optional(),
    capacity: z.number().positive().optional(),
    refillPerSecond: z.number().positive().optional(),
    buckets: z.array(Limit).min(1).optional(),
    window: z.enum(['refill', 'sliding']).optional(),
    name: z.string().min(1).optional(),
    queue: QueueSchema.optional(),
    expectedProcesses: z.number().int().positive().optional(),
    share: z.number().gt(0).max(1).optional(),
    redisTimeoutMs: z.number().positive().optional(),
    retryRedisAfterMs: z.number().min(0).optional(),
    clock: ClockSchema.optional(),
    timers: z.custom<TimerWheel>((t) => typeof (t as TimerWheel | undefined)?.schedule === 'function').optional(),
  })
  .strict()
  .refine((o) => (o.buckets === undefined) !== (o.key === undefined), {
    message: 'give either key (with capacity and refillPerSecond) or buckets',
    path: ['key'],
  })
  .refine((o) => o.key === undefined || (o.capacity !== undefined && o.refillPerSecond !== undefined), {
    message: 'key needs capacity and refillPerSecond',
    path: ['capacity'],
  });

/**
 * Creates a {@link SharedTokenBucket}: the token-bucket contract (FIFO with priorities here,
 * all-or-none across windows, pause on Retry-After, headers adopted) across processes. With Redis
 * unreachable (not connected, erroring, or slower than `redisTimeoutMs`) it falls back to a local
 * bucket sized to this process's `share` and says so in `onFallback`; it asks Redis again after
 * `retryRedisAfterMs`.
 *
 * @example
 * const redis = new Redis(process.env.REDIS_URL);
 * const av = sharedTokenBucket({
 *   redis,
 *   buckets: [
 *     { key: keys.bucket('alphavantage', 'minute'), capacity: 5, refillPerSecond: 5 / 60 },
 *     { key: keys.bucket('alphavantage', 'day'), capacity: 25, refillPerSecond: 25 / 86_400 },
 *   ],
 *   expectedProcesses: 2,
 * });
 * av.onFallback((e) => log.warn(e, 'shared rate limit on local fallback'));
 * await av.acquire(1, { signal });
 *
 * // Counted the way Polygon counts: never more than 5 calls in any 60 s, across every process.
 * const polygon = sharedTokenBucket({
 *   redis,
 *   window: 'sliding',
 *   buckets: [{ key: keys.quotaWindow('polygon', 'minute'), capacity: 5, refillPerSecond: 5 / 60 }],
 * });
 */
export function sharedTokenBucket(options: SharedTokenBucketOptions): SharedTokenBucket {
  const o = parseOptions(Options, options, 'sharedTokenBucket');
  const limits: ScriptBucket[] = o.buckets ?? [
    { key: o.key as string, capacity: o.capacity as number, refillPerSecond: o.refillPerSecond as number },
  ];
  const tags = new Set(limits.map((l) => hashTagOf(l.key)));
  if (tags.size > 1) {
    throw new ValidationError(
      'sharedTokenBucket: every key must share one hash tag (use keys.bucket(provider, name))',
      [{ path: 'buckets', message: `found ${tags.size} hash tags: ${[...tags].join(', ')}` }],
    );
  }
  const name = o.name ?? limits.map((l) => l.key).join('+');
  const clock = o.clock ?? systemClock;
  const timers = o.timers ?? sharedTimerWheel(clock);
  const capacity = Math.min(...limits.map((l) => l.capacity));
  const share = o.share ?? 1 / (o.expectedProcesses ?? 1);
  const retryAfter = o.retryRedisAfterMs ?? 1000;
  const queueLimits = { maxSize: o.queue?.maxSize ?? 1000, maxWaitMs: o.queue?.maxWaitMs ?? 30_000 };
  const fallbackEvents = new Emitter<FallbackEvent>();
  const sliding = o.window === 'sliding';
  const runScript = sliding ? windowScriptRunner(options.redis, limits) : scriptRunner(options.redis, limits);
  let remaining: readonly number[] = limits.map((l) => l.capacity);
  const redis = options.redis as { status?: string };
  const redisTimeoutMs = o.redisTimeoutMs ?? 500;

  const localBuckets: TokenBucket[] = limits.map((l) => {
    // A sliding window keeps its length; its share is a whole number of grants.
    const capacity = sliding ? Math.max(1, Math.floor(l.capacity * share)) : Math.max(1, l.capacity * share);
    const refillPerSecond = sliding ? (capacity * l.refillPerSecond) / l.capacity : l.refillPerSecond * share;
    return tokenBucket({
      name: `${l.key}:local`,
      capacity,
      refillPerSecond,
      window: sliding ? 'sliding' : 'refill',
      queue: queueLimits,
      clock,
      timers,
    });
  });
  const local: RateLimiter =
    localBuckets.length === 1
      ? (localBuckets[0] as TokenBucket)
      : multiBucket({ name: `${name}:local`, buckets: localBuckets, queue: queueLimits, clock, timers });

  let fallbackUntil = 0;
  let fallback = false;
  const enterFallback = (reason: string, error?: unknown): void => {
    fallbackUntil = clock.now() + retryAfter;
    if (fallback) return;
    fallback = true;
    if (fallbackEvents.active) fallbackEvents.emit({ limiter: name, active: true, reason, error });
  };
  const leaveFallback = (): void => {
    if (!fallback) return;
    fallback = false;
    if (fallbackEvents.active) fallbackEvents.emit({ limiter: name, active: false, reason: 'Redis answers again' });
  };
  const onFallbackNow = (): boolean => fallback && clock.now() < fallbackUntil;

  /** Asks Redis, bounded by `redisTimeoutMs`; throws when Redis is down or slow. */
  const ask = (mode: 'take' | 'pause' | 'clamp', x: number) => {
    const status = redis.status;
    if (status === 'end' || status === 'close' || status === 'reconnecting') {
      return Promise.reject(new RateLimitedError(name, `Redis is ${status}`));
    }
    const reply = runScript(mode, x).then((r) => {
      if (r.remaining.length === limits.length) remaining = r.remaining;
      return r;
    });
    return new Promise<Awaited<typeof reply>>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new RateLimitedError(name, `Redis did not answer within ${redisTimeoutMs} ms`)),
        redisTimeoutMs,
      );
      timer.unref();
      reply.then(
        (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  };

  const queue = new SharedQueue(
    name,
    queueLimits,
    clock,
    timers,
    {
      ask: (cost) => ask('take', cost),
      useLocal: (cost, waiter) => local.acquire(cost, waiter),
      onRedisError: (err) => enterFallback('Redis unreachable', err),
      onRedisOk: leaveFallback,
      onFallbackNow,
    },
    redisTimeoutMs,
  );

  const broadcast = (mode: 'pause' | 'clamp', x: number): void => {
    if (onFallbackNow()) return;
    ask(mode, x).then(leaveFallback, (err: unknown) => enterFallback('Redis unreachable', err));
  };

  const acquire = (cost = 1, acquireOptions: AcquireOptions = {}): Promise<void> => {
    if (!(cost > 0 && cost <= capacity)) {
      return Promise.reject(
        new ValidationError(`${name}: cost must be > 0 and ≤ capacity ${capacity}, got ${cost}`, [
          { path: 'cost', message: `expected a number in (0, ${capacity}]` },
        ]),
      );
    }
    if (acquireOptions.signal?.aborted) return Promise.reject(acquireOptions.signal.reason);
    if (onFallbackNow()) return local.acquire(cost, acquireOptions);
    return queue.enqueue(cost, acquireOptions);
  };

  return {
    name,
    get usingFallback() {
      return fallback;
    },
    onFallback: fallbackEvents.on,
    onGranted: queue.granted.on,
    remaining: () => (onFallbackNow() ? localBuckets.map((b) => b.tokens()) : remaining),
    // Waiters on the local fallback queue and are refused there too: one stream of each.
    onQueued: mergeEvents(queue.queued.on, local.onQueued),
    onRejected: mergeEvents(queue.rejected.on, local.onRejected),
    get queueLength() {
      return queue.length + local.queueLength;
    },
    tryAcquire: (cost = 1) => onFallbackNow() && local.tryAcquire(cost),
    acquire,
    waitTimeMs: (cost = 1) => (onFallbackNow() ? local.waitTimeMs(cost) : queue.expectedWaitMs()),
    pauseUntil(epochMs) {
      local.pauseUntil(epochMs);
      const ms = epochMs - clock.now();
      if (ms > 0) broadcast('pause', ms);
    },
    observe(headers: RateLimitHeaders) {
      local.observe(headers);
      const now = clock.now();
      const said = parseRateLimitHeaders(headers, now);
      if (said.remaining !== undefined) broadcast('clamp', said.remaining);
      const until = Math.max(said.retryAt ?? 0, said.remaining === 0 ? (said.resetAt ?? 0) : 0);
      if (until > now) broadcast('pause', until - now);
    },
    execute: limiterExecute(() => false, acquire, clock),
    close() {
      queue.close();
      local.close();
    },
  };
}
