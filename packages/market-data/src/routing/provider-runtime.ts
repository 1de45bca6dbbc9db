import type { RedisClient } from '@stockade/cache';
import type { Clock, KeyBuilder, KeyResolver, StockadeConfig } from '@stockade/core';
import type { Provider } from '@stockade/providers';
import {
  type CircuitBreaker,
  circuitBreaker,
  type HedgePolicy,
  hedge,
  multiBucket,
  type Pipeline,
  pipeline,
  type RateLimiter,
  retry,
  sharedTokenBucket,
  type TimerWheel,
  tokenBucket,
} from '@stockade/resilience';

/** What health and metrics read of one quota window. */
export interface QuotaGauge {
  /** `provider:window`, e.g. `polygon:minute`. */
  readonly name: string;
  /** Callers waiting for a token. */
  readonly queueLength: number;
  /** Calls left in the window now (for a Redis-shared quota: as Redis last reported). */
  tokens(): number;
}

/** Where provider quotas are counted when they are shared by every process on one Redis. */
export interface SharedQuotas {
  /** The manager's Redis (or Cluster). */
  redis: RedisClient;
  /** The key builder: every provider's windows share its `{bucket:provider}` hash tag. */
  keys: KeyBuilder;
  /** Processes sharing the quotas: each takes this share of a quota while Redis is unreachable. */
  expectedProcesses: number;
}

/** What the manager keeps per provider: the adapter and the policies every call to it goes through. */
export interface ProviderRuntime {
  /** Provider name. */
  readonly name: string;
  /** The adapter. */
  readonly provider: Provider;
  /** Lower is asked first. */
  readonly priority: number;
  /** Cost of one upstream call, in the configured unit. */
  readonly costPerCall: number;
  /** Deadline → retry → breaker → rate limit → attempt timeout, around every call. */
  readonly pipeline: Pipeline;
  /** The provider's breaker (shared by every operation). */
  readonly breaker: CircuitBreaker;
  /** The provider's quota buckets, all-or-none. */
  readonly limiter: RateLimiter | undefined;
  /** The windows behind `limiter`, one per configured quota. */
  readonly buckets: readonly QuotaGauge[];
  /** Hedging across providers, armed at the live percentile of this provider's latency. */
  readonly hedge: HedgePolicy;
  /** Capacity of the tightest quota, for `quotaLeft`. */
  readonly quotaLimit: number | null;
  /**
   * Operations the provider's plan refused (`not_entitled`), each with the time (epoch ms) it is
   * tried again: skipped until then, and re-enabled by the first success after it.
   */
  readonly notEntitled: Map<string, number>;
}

/** Parts shared by every provider runtime. */
export interface RuntimeContext {
  /** Time source. */
  clock: Clock;
  /** The shared timer wheel. */
  timers: TimerWheel;
  /** Resilience defaults from config. */
  resilience: StockadeConfig['resilience'];
  /** Refreshes a key once after a 401 (rotation). */
  keyResolver?: KeyResolver | undefined;
  /** Count quotas on Redis, across processes, instead of in this process. @default in-process */
  sharedQuotas?: SharedQuotas | undefined;
}

/**
 * Builds the pipeline of one provider from its config: one token per attempt from every quota
 * bucket at once (a provider's minute and day quotas are taken together or not at all). With
 * `sharedQuotas`, the windows live on Redis (one Lua script, one hash slot per provider), so N
 * processes together stay within the quota instead of N times it.
 */
export function createProviderRuntime(
  provider: Provider,
  config:
    | {
        priority: number;
        costPerCall: number;
        quotas: ReadonlyArray<{ readonly name: string; readonly limit: number; readonly perMs: number }>;
        timeoutMs: number;
      }
    | undefined,
  ctx: RuntimeContext,
): ProviderRuntime {
  const { clock, timers, resilience } = ctx;
  const name = provider.name;
  const quotas = config?.quotas ?? [];
  // A caller waits for a token only briefly: beyond that, the next provider is the better answer.
  const queue = { maxSize: 256, maxWaitMs: Math.min(1_000, resilience.deadlineMs) };
  const { limiter, buckets } =
    ctx.sharedQuotas === undefined || quotas.length === 0
      ? localQuotas(name, quotas, queue, ctx)
      : sharedQuotas(name, quotas, queue, ctx, ctx.sharedQuotas);
  const breaker = circuitBreaker({
    name,
    breaker: { consecutive: resilience.breaker.consecutiveFailures },
    halfOpenAfterMs: resilience.breaker.halfOpenAfterMs,
    clock,
  });
  const hedgePolicy = hedge({
    name,
    afterPercentile: resilience.hedge.percentile,
    afterMs: resilience.attemptTimeoutMs / 2,
    budget: { ratio: resilience.hedge.budgetRatio, minPerWindow: 1 },
    clock,
    timers,
  });
  const keyResolver = ctx.keyResolver;
  const p = pipeline({
    provider: name,
    deadlineMs: resilience.deadlineMs,
    retry: retry({
      name,
      maxAttempts: resilience.retry.maxAttempts,
      backoff: { initialDelayMs: resilience.retry.baseDelayMs, maxDelayMs: resilience.retry.maxDelayMs },
      budget: { ratio: resilience.retry.budgetRatio },
      clock,
    }),
    breaker,
    ...(limiter === undefined ? {} : { rateLimit: limiter }),
    timeoutMs: Math.min(config?.timeoutMs ?? resilience.attemptTimeoutMs, resilience.attemptTimeoutMs),
    ...(keyResolver === undefined
      ? {}
      : { onAuthFailure: (_err, { signal }) => keyResolver.refresh(name, { signal }) }),
    clock,
    timers,
  });
  const quotaLimit = quotas.length === 0 ? null : Math.min(...quotas.map((q) => q.limit));
  return {
    name,
    provider,
    priority: config?.priority ?? 100,
    costPerCall: config?.costPerCall ?? 0,
    pipeline: p,
    breaker,
    limiter,
    buckets,
    hedge: hedgePolicy,
    quotaLimit,
    notEntitled: new Map(),
  };
}

/** Whole tokens left now in the provider's tightest bucket, or null when it has no quota. */
export function quotaLeft(runtime: ProviderRuntime): number | null {
  if (runtime.buckets.length === 0) return null;
  let left = Number.POSITIVE_INFINITY;
  for (const b of runtime.buckets) left = Math.min(left, Math.floor(b.tokens()));
  return left;
}

type Quotas = ReadonlyArray<{ readonly name: string; readonly limit: number; readonly perMs: number }>;
type QueueLimits = { maxSize: number; maxWaitMs: number };

function localQuotas(name: string, quotas: Quotas, queue: QueueLimits, ctx: RuntimeContext) {
  const { clock, timers } = ctx;
  const buckets = quotas.map((q) =>
    tokenBucket({
      name: `${name}:${q.name}`,
      capacity: q.limit,
      refillPerSecond: (q.limit * 1000) / q.perMs,
      // Providers count a quota over a sliding window: a token returns perMs after it was spent.
      window: 'sliding',
      queue,
      clock,
      timers,
    }),
  );
  const limiter: RateLimiter | undefined =
    buckets.length === 0
      ? undefined
      : buckets.length === 1
        ? buckets[0]
        : multiBucket({ name, buckets, queue, clock, timers });
  return { limiter, buckets };
}

function sharedQuotas(name: string, quotas: Quotas, queue: QueueLimits, ctx: RuntimeContext, shared: SharedQuotas) {
  const limiter = sharedTokenBucket({
    redis: shared.redis,
    name,
    window: 'sliding',
    buckets: quotas.map((q) => ({
      key: shared.keys.quotaWindow(name, q.name),
      capacity: q.limit,
      refillPerSecond: (q.limit * 1000) / q.perMs,
    })),
    expectedProcesses: shared.expectedProcesses,
    queue,
    clock: ctx.clock,
    timers: ctx.timers,
  });
  const buckets: QuotaGauge[] = quotas.map((q, i) => ({
    name: `${name}:${q.name}`,
    get queueLength() {
      return limiter.queueLength;
    },
    tokens: () => limiter.remaining()[i] ?? q.limit,
  }));
  return { limiter, buckets };
}
