import type { Clock, KeyResolver, StockadeConfig } from '@stockade/core';
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
  type TimerWheel,
  type TokenBucket,
  tokenBucket,
} from '@stockade/resilience';

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
  /** The buckets behind `limiter`, one per configured quota. */
  readonly buckets: readonly TokenBucket[];
  /** Hedging across providers, armed at the live percentile of this provider's latency. */
  readonly hedge: HedgePolicy;
  /** Capacity of the tightest quota, for `quotaLeft`. */
  readonly quotaLimit: number | null;
  /** Operations the provider's plan refused (`not_entitled`): skipped until re-enabled. */
  readonly notEntitled: Set<string>;
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
}

/**
 * Builds the pipeline of one provider from its config: one token per attempt from every quota
 * bucket at once (a provider's minute and day quotas are taken together or not at all).
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
  const buckets = quotas.map((q) =>
    tokenBucket({
      name: `${name}:${q.name}`,
      capacity: q.limit,
      refillPerSecond: (q.limit * 1000) / q.perMs,
      // Providers count a quota over a sliding window: a token returns perMs after it was spent.
      window: 'sliding',
      // A caller waits for a token only briefly: beyond that, the next provider is the better answer.
      queue: { maxSize: 256, maxWaitMs: Math.min(1_000, resilience.deadlineMs) },
      clock,
      timers,
    }),
  );
  const limiter =
    buckets.length === 0
      ? undefined
      : buckets.length === 1
        ? buckets[0]
        : multiBucket({
            name,
            buckets,
            queue: { maxSize: 256, maxWaitMs: Math.min(1_000, resilience.deadlineMs) },
            clock,
            timers,
          });
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
    notEntitled: new Set(),
  };
}

/** Whole tokens left now in the provider's tightest bucket, or null when it has no quota. */
export function quotaLeft(runtime: ProviderRuntime): number | null {
  if (runtime.buckets.length === 0) return null;
  let left = Number.POSITIVE_INFINITY;
  for (const b of runtime.buckets) left = Math.min(left, Math.floor(b.tokens()));
  return left;
}
