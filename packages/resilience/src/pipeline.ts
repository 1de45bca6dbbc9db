import { type Clock, systemClock } from '@stockade/core';
import { z } from 'zod';
import type { Bulkhead } from './bulkhead.js';
import { type ExecuteOptions, executeOptions, type Policy, type PolicyFn } from './call-context.js';
import type { BreakerStateEvent, CircuitBreaker } from './circuit-breaker.js';
import { type Event, mergeEvents, neverEvent } from './events.js';
import type { HedgeEvent, HedgePolicy } from './hedge.js';
import { ClockSchema, parseOptions } from './options.js';
import {
  type AttemptEvent,
  type AuthFailureHook,
  createCore,
  type NotEntitledEvent,
  type PipelineRejectedEvent,
} from './pipeline-core.js';
import { Operation } from './pipeline-operation.js';
import type { QueuedEvent, RateLimiter } from './rate-limiter.js';
import type { RetryEvent, RetryPolicy } from './retry.js';
import type { TimeoutEvent } from './timeout.js';
import { sharedTimerWheel, type TimerWheel } from './timer-wheel.js';

/** Options of {@link pipeline}: the parts, each optional. Their order is fixed (see {@link pipeline}). */
export interface PipelineOptions {
  /**
   * Provider name, in errors (an attempt timeout is a `ProviderError` of kind `timeout`) and events.
   * @default 'provider'
   */
  provider?: string;
  /**
   * Overall deadline of one `execute`, ms: every attempt, wait and sleep included.
   * @default none
   */
  deadlineMs?: number;
  /**
   * Hedging ({@link hedge}): another call when the first is slow.
   * @default none
   */
  hedge?: HedgePolicy;
  /**
   * Retrying ({@link retry}).
   * @default none
   */
  retry?: RetryPolicy;
  /**
   * The provider's circuit breaker ({@link circuitBreaker}); share one per provider.
   * @default none
   */
  breaker?: CircuitBreaker;
  /**
   * The provider's rate limiter: {@link tokenBucket}, {@link multiBucket} or {@link sharedTokenBucket}; one token per attempt.
   * @default none
   */
  rateLimit?: RateLimiter;
  /**
   * Concurrency limit ({@link bulkhead}).
   * @default none
   */
  bulkhead?: Bulkhead;
  /**
   * Time limit of one attempt, ms.
   * @default none
   */
  timeoutMs?: number;
  /**
   * Called once per operation on an `auth` failure, before the breaker opens: refresh the key
   * (the manager passes `keyResolver.refresh(provider)`) and resolve `true` if it changed, to try
   * once more. Without it, `auth` opens the breaker at once.
   * @default none
   */
  onAuthFailure?: AuthFailureHook;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Where deadlines, attempt timeouts and hedge delays are registered.
   * @default sharedTimerWheel(clock)
   */
  timers?: TimerWheel;
}

/** Every policy of one provider composed in the fixed order, plus the events the manager needs. */
export interface Pipeline extends Policy {
  /** Provider name. */
  readonly provider: string;
  /** The parts, as given. */
  readonly parts: Readonly<Pick<PipelineOptions, 'hedge' | 'retry' | 'breaker' | 'rateLimit' | 'bulkhead'>>;
  /** Whether a call could start now: breaker not open, a token available. Hedging across providers skips those without. */
  hasQuota(): boolean;
  /** Lets `notEntitled` fire again for an operation (or all), after the capability is switched back on. */
  resetNotEntitled(operation?: string): void;
  /** An attempt ended. */
  readonly onAttempt: Event<AttemptEvent>;
  /** A retry was scheduled, with its delay. */
  readonly onRetry: Event<RetryEvent>;
  /** The breaker changed state. */
  readonly onBreakerStateChange: Event<BreakerStateEvent>;
  /** A call started waiting for a token or a bulkhead slot. */
  readonly onQueued: Event<QueuedEvent>;
  /** A call or retry was refused by the breaker, the limiter, the bulkhead or the retry budget. */
  readonly onRejected: Event<PipelineRejectedEvent>;
  /** A hedge was fired. */
  readonly onHedge: Event<HedgeEvent>;
  /** An attempt timeout or the overall deadline passed. */
  readonly onTimeout: Event<TimeoutEvent>;
  /** The provider refused a capability the plan lacks (once per operation). */
  readonly onNotEntitled: Event<NotEntitledEvent>;
}

const part = <T>(method: string, what: string) =>
  z.custom<T>((p) => typeof (p as Record<string, unknown> | undefined)?.[method] === 'function', `expected ${what}`);

const Options = z
  .object({
    provider: z.string().min(1).optional(),
    deadlineMs: z.number().positive().optional(),
    hedge: part<HedgePolicy>('delayMs', 'a hedge() policy').optional(),
    retry: part<RetryPolicy>('start', 'a retry() policy').optional(),
    breaker: part<CircuitBreaker>('admit', 'a circuitBreaker()').optional(),
    rateLimit: part<RateLimiter>(
      'tryAcquire',
      'a rate limiter (tokenBucket, multiBucket, sharedTokenBucket)',
    ).optional(),
    bulkhead: part<Bulkhead>('tryEnter', 'a bulkhead()').optional(),
    timeoutMs: z.number().positive().optional(),
    onAuthFailure: z.custom<AuthFailureHook>((f) => typeof f === 'function', 'expected a function').optional(),
    clock: ClockSchema.optional(),
    timers: part<TimerWheel>('schedule', 'a timerWheel()').optional(),
  })
  .strict();

/**
 * Composes one provider's policies, outermost first: **overall deadline → hedge → retry (with
 * its budget) → circuit breaker → rate limit (one token per attempt) → bulkhead → attempt
 * timeout → the call**. Every part is optional.
 *
 * - The deadline is outermost so nothing inside waits past it: no retry sleep, no queue wait.
 * - Retry is outside the breaker so each attempt is judged, and an open breaker stops the retries.
 * - The token is taken per attempt, inside retry, so retries can never exceed a quota.
 * - The timeout is innermost so a hang counts as a failure of that attempt.
 *
 * It runs as one fused state machine, not as nested `execute` calls: on the success path (token
 * available, breaker closed) it arms no timer (deadlines sit on the shared wheel) and makes no
 * `AbortController` unless the call reads `context.signal` — then one serves every part.
 *
 * @example
 * const polygon = pipeline({
 *   provider: 'polygon',
 *   deadlineMs: 5_000,
 *   retry: retry({ maxAttempts: 3 }),
 *   breaker: circuitBreaker({ name: 'polygon' }),
 *   rateLimit: tokenBucket({ name: 'polygon', capacity: 5, refillPerSecond: 5 / 60 }),
 *   timeoutMs: 2_000,
 *   onAuthFailure: (_err, { signal }) => keys.refresh('polygon', { signal }),
 * });
 * polygon.onBreakerStateChange((e) => health.breaker(e.breaker, e.to));
 * const quote = await polygon.execute(({ signal }) => adapter.quote('AAPL', { signal }), { signal });
 */
export function pipeline(options: PipelineOptions = {}): Pipeline {
  const o = parseOptions(Options, options, 'pipeline');
  const clock = o.clock ?? systemClock;
  const core = createCore({
    provider: o.provider ?? 'provider',
    clock,
    timers: o.timers ?? sharedTimerWheel(clock),
    deadlineMs: o.deadlineMs,
    timeoutMs: o.timeoutMs,
    hedge: o.hedge,
    retry: o.retry,
    breaker: o.breaker,
    limiter: o.rateLimit,
    bulkhead: o.bulkhead,
    onAuthFailure: o.onAuthFailure,
  });

  return {
    provider: core.provider,
    parts: { hedge: o.hedge, retry: o.retry, breaker: o.breaker, rateLimit: o.rateLimit, bulkhead: o.bulkhead },
    execute<T>(fn: PolicyFn<T>, arg?: ExecuteOptions | AbortSignal): Promise<T> {
      const opts = executeOptions(arg);
      const signal = opts.signal;
      if (signal?.aborted) return Promise.reject(signal.reason);
      return new Operation(core, fn, opts).start() as Promise<T>;
    },
    hasQuota() {
      if (core.breaker !== undefined && core.breaker.state !== 'closed' && core.breaker.state !== 'half_open') {
        const at = core.breaker.retryAt;
        if (at === undefined || at > clock.now()) return false;
      }
      return core.limiter === undefined || core.limiter.waitTimeMs(1) === 0;
    },
    resetNotEntitled(operation?: string) {
      if (operation === undefined) core.notEntitledSeen.clear();
      else core.notEntitledSeen.delete(operation);
    },
    onAttempt: core.attempts.on,
    onRetry: o.retry?.onRetry ?? neverEvent,
    onBreakerStateChange: o.breaker?.onStateChange ?? neverEvent,
    onQueued: mergeEvents(o.rateLimit?.onQueued, o.bulkhead?.onQueued),
    onRejected: core.rejected.on,
    onHedge: o.hedge?.onHedge ?? neverEvent,
    onTimeout: core.timeouts.on,
    onNotEntitled: core.notEntitled.on,
  };
}
