import { type Clock, type ProviderErrorKind, systemClock } from '@stockade/core';
import {
  decorrelatedJitterGenerator,
  ExponentialBackoff,
  fullJitterGenerator,
  type GeneratorFn,
  type IBackoff,
  noJitterGenerator,
} from 'cockatiel';
import { z } from 'zod';
import { CallContext, executeOptions, invoke, type Policy } from './call-context.js';
import { type Classification, classify } from './classify.js';
import { Emitter, type Event } from './events.js';
import { ClockSchema, parseOptions } from './options.js';
import { type RetryBudget, type RetryBudgetOptions, retryBudget } from './retry-budget.js';
import { abortableSleep, raceSignal } from './sleep.js';

/** Exponential backoff with jitter (cockatiel's generators). */
export interface BackoffOptions {
  /**
   * First delay, ms (decorrelated jitter spreads around it).
   * @default 128
   */
  initialDelayMs?: number;
  /**
   * Longest single delay, ms.
   * @default 10000
   */
  maxDelayMs?: number;
  /**
   * Growth factor.
   * @default 2
   */
  exponent?: number;
  /**
   * `decorrelated` (Polly's, a good default), `full` (uniform in [0, delay)), or `none`.
   * @default 'decorrelated'
   */
  jitter?: 'decorrelated' | 'full' | 'none';
}

/** Options of {@link retry}. */
export interface RetryOptions {
  /**
   * Attempts in all, the first included.
   * @default 3
   */
  maxAttempts?: number;
  /**
   * Delays between attempts.
   * @default { initialDelayMs: 128, maxDelayMs: 10000, exponent: 2, jitter: 'decorrelated' }
   */
  backoff?: BackoffOptions;
  /**
   * Total of the delays of one operation, ms: a retry whose wait would pass it is not made.
   * @default 30000
   */
  maxTotalDelayMs?: number;
  /**
   * Share of recent requests that may be retried (Envoy-style); `false` for none.
   * @default retryBudget() — 20 % of requests plus 10 per 10 s
   */
  budget?: RetryBudget | RetryBudgetOptions | false;
  /**
   * Name in events (usually the provider).
   * @default undefined
   */
  name?: string;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
}

/** A retry was scheduled. */
export interface RetryEvent {
  /** Policy or provider name, when set. */
  readonly name: string | undefined;
  /** The attempt that failed, 1-based. */
  readonly attempt: number;
  /** Wait before the next attempt, ms (at least the provider's `retryAfterMs`). */
  readonly delayMs: number;
  /** What failed. */
  readonly error: unknown;
  /** Its kind, for provider errors. */
  readonly kind: ProviderErrorKind | undefined;
}

/** Why no further attempt is made. */
export type GiveUpReason = 'not_retryable' | 'attempts' | 'delay_budget' | 'retry_budget' | 'deadline';

/** Retrying stopped; the last error goes to the caller. */
export interface GiveUpEvent {
  /** Policy or provider name, when set. */
  readonly name: string | undefined;
  /** Attempts made. */
  readonly attempts: number;
  /** Why. */
  readonly reason: GiveUpReason;
  /** The last error. */
  readonly error: unknown;
}

/** Retries with backoff, Retry-After, a total delay budget and a retry budget; the sleep aborts at once. */
export interface RetryPolicy extends Policy {
  /** Attempts in all. */
  readonly maxAttempts: number;
  /** The retry budget, when there is one. */
  readonly budget: RetryBudget | undefined;
  /** A retry was scheduled. */
  readonly onRetry: Event<RetryEvent>;
  /** Retrying stopped. */
  readonly onGiveUp: Event<GiveUpEvent>;
  /** @internal Starts the bookkeeping of one operation (made on its first failure only). */
  start(): RetryRun;
  /** @internal */
  readonly retried: Emitter<RetryEvent>;
  /** @internal */
  readonly gaveUp: Emitter<GiveUpEvent>;
}

/** @internal One operation's retry state: attempts made, delay spent, where the backoff is. */
export interface RetryRun {
  /** The delay before the next attempt, or why there is none. Takes from the retry budget. */
  next(attempt: number, cls: Classification, now: number, deadline: number | undefined): number | GiveUpReason;
}

const Backoff = z
  .object({
    initialDelayMs: z.number().min(0).optional(),
    maxDelayMs: z.number().min(0).optional(),
    exponent: z.number().min(1).optional(),
    jitter: z.enum(['decorrelated', 'full', 'none']).optional(),
  })
  .strict();

const Options = z
  .object({
    maxAttempts: z.number().int().min(1).optional(),
    backoff: Backoff.optional(),
    maxTotalDelayMs: z.number().min(0).optional(),
    budget: z.union([z.literal(false), z.record(z.string(), z.unknown())]).optional(),
    name: z.string().optional(),
    clock: ClockSchema.optional(),
  })
  .strict();

const GENERATORS: Record<'decorrelated' | 'full' | 'none', GeneratorFn<unknown>> = {
  decorrelated: decorrelatedJitterGenerator as GeneratorFn<unknown>,
  full: fullJitterGenerator as GeneratorFn<unknown>,
  none: noJitterGenerator as GeneratorFn<unknown>,
};

const isBudget = (b: unknown): b is RetryBudget => typeof (b as RetryBudget | undefined)?.tryRetry === 'function';

/**
 * Creates a {@link RetryPolicy}. Decides from the classification table: only retryable kinds are
 * retried, a `rate_limited` error waits at least its `retryAfterMs`, and nothing waits past the
 * operation's deadline.
 *
 * @example
 * const policy = retry({ maxAttempts: 4, backoff: { initialDelayMs: 200, jitter: 'full' } });
 * policy.onRetry((e) => log.info({ attempt: e.attempt, delayMs: e.delayMs }, 'retrying'));
 * const bars = await policy.execute(({ signal }) => provider.bars('AAPL', { signal }), { signal });
 */
export function retry(options: RetryOptions = {}): RetryPolicy {
  const o = parseOptions(Options, options, 'retry');
  const clock = o.clock ?? systemClock;
  const maxAttempts = o.maxAttempts ?? 3;
  const maxTotal = o.maxTotalDelayMs ?? 30_000;
  const factory = new ExponentialBackoff({
    generator: GENERATORS[o.backoff?.jitter ?? 'decorrelated'],
    initialDelay: o.backoff?.initialDelayMs ?? 128,
    maxDelay: o.backoff?.maxDelayMs ?? 10_000,
    exponent: o.backoff?.exponent ?? 2,
  });
  const rawBudget = options.budget;
  const budget: RetryBudget | undefined =
    rawBudget === false ? undefined : isBudget(rawBudget) ? rawBudget : retryBudget({ clock, ...(rawBudget ?? {}) });
  const retried = new Emitter<RetryEvent>();
  const gaveUp = new Emitter<GiveUpEvent>();

  const start = (): RetryRun => {
    let backoff: IBackoff<unknown> | undefined;
    let spent = 0;
    return {
      next(attempt, cls, now, deadline) {
        if (!cls.retryable) return 'not_retryable';
        if (attempt >= maxAttempts) return 'attempts';
        backoff = (backoff ?? factory).next(undefined);
        const delay = Math.max(Math.round(backoff.duration), cls.retryAfterMs ?? 0);
        if (spent + delay > maxTotal) return 'delay_budget';
        if (deadline !== undefined && now + delay >= deadline) return 'deadline';
        if (budget !== undefined && !budget.tryRetry()) return 'retry_budget';
        spent += delay;
        return delay;
      },
    };
  };

  return {
    maxAttempts,
    budget,
    onRetry: retried.on,
    onGiveUp: gaveUp.on,
    start,
    retried,
    gaveUp,
    async execute(fn, arg) {
      const opts = executeOptions(arg);
      const signal = opts.signal;
      if (signal?.aborted) throw signal.reason;
      budget?.recordRequest();
      let run: RetryRun | undefined;
      for (let attempt = 1; ; attempt++) {
        const context = new CallContext(attempt, opts.deadline);
        try {
          return await raceSignal(invoke(fn, context), signal, context);
        } catch (err) {
          if (signal?.aborted) throw signal.reason;
          const cls = classify(err);
          run ??= start();
          const delay = run.next(attempt, cls, clock.now(), opts.deadline);
          if (typeof delay !== 'number') {
            if (gaveUp.active) gaveUp.emit({ name: o.name, attempts: attempt, reason: delay, error: err });
            throw err;
          }
          if (retried.active) retried.emit({ name: o.name, attempt, delayMs: delay, error: err, kind: cls.kind });
          await abortableSleep(delay, signal);
        }
      }
    },
  };
}
