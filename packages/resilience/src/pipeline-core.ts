import type { Clock, ProviderError, ProviderErrorKind } from '@stockade/core';
import type { Bulkhead } from './bulkhead.js';
import type { CircuitBreaker } from './circuit-breaker.js';
import { Emitter } from './events.js';
import type { HedgePolicy } from './hedge.js';
import type { RateLimiter } from './rate-limiter.js';
import type { RetryPolicy } from './retry.js';
import type { TimeoutEvent } from './timeout.js';
import type { TimerWheel } from './timer-wheel.js';

/** The pipeline hook run on an `auth` failure: refresh the key; `true` means it changed, so try once more. */
export type AuthFailureHook = (error: ProviderError, context: { readonly signal: AbortSignal }) => Promise<boolean>;

/** One attempt ended (a call reached the provider and answered, failed or timed out). */
export interface AttemptEvent {
  /** Provider name. */
  readonly provider: string;
  /** 1 for the first attempt of its branch, 2 for the first retry, … */
  readonly attempt: number;
  /** 0 for the first call, 1 for the first hedge, … */
  readonly hedge: number;
  /** How long it took, ms. */
  readonly durationMs: number;
  /** How it ended. */
  readonly outcome: 'success' | 'failure';
  /** The error, when it failed. */
  readonly error?: unknown;
  /** The provider error kind, when it failed with one. */
  readonly kind?: ProviderErrorKind | undefined;
}

/** Which part of the pipeline refused a call. */
export type RejectedBy = 'breaker' | 'rate_limit' | 'bulkhead' | 'retry_budget';

/** A call or a retry was refused by a part of the pipeline. */
export interface PipelineRejectedEvent {
  /** Provider name. */
  readonly provider: string;
  /** Which part. */
  readonly by: RejectedBy;
  /** The error the caller got (or, for the retry budget, the last failure). */
  readonly error: unknown;
}

/** The provider said a capability is not in the plan; the manager should switch it off. Once per operation. */
export interface NotEntitledEvent {
  /** Provider name. */
  readonly provider: string;
  /** The operation, from the error or the call's options, when known. */
  readonly operation: string | undefined;
  /** The provider's error. */
  readonly error: ProviderError;
}

/** @internal Everything an operation reads, resolved once per pipeline. */
export interface PipelineCore {
  readonly provider: string;
  readonly clock: Clock;
  readonly timers: TimerWheel;
  readonly deadlineMs: number | undefined;
  readonly timeoutMs: number | undefined;
  readonly hedge: HedgePolicy | undefined;
  readonly retry: RetryPolicy | undefined;
  readonly breaker: CircuitBreaker | undefined;
  readonly limiter: RateLimiter | undefined;
  readonly bulkhead: Bulkhead | undefined;
  readonly onAuthFailure: AuthFailureHook | undefined;
  readonly attempts: Emitter<AttemptEvent>;
  readonly rejected: Emitter<PipelineRejectedEvent>;
  readonly timeouts: Emitter<TimeoutEvent>;
  readonly notEntitled: Emitter<NotEntitledEvent>;
  readonly notEntitledSeen: Set<string>;
}

/** @internal */
export function createCore(
  parts: Omit<PipelineCore, 'attempts' | 'rejected' | 'timeouts' | 'notEntitled' | 'notEntitledSeen'>,
): PipelineCore {
  return {
    ...parts,
    attempts: new Emitter(),
    rejected: new Emitter(),
    timeouts: new Emitter(),
    notEntitled: new Emitter(),
    notEntitledSeen: new Set(),
  };
}

/** @internal Emits `notEntitled` the first time an operation is refused. */
export function reportNotEntitled(core: PipelineCore, error: ProviderError, operation: string | undefined): void {
  const op = error.operation ?? operation;
  const key = op ?? '*';
  if (core.notEntitledSeen.has(key)) return;
  core.notEntitledSeen.add(key);
  core.notEntitled.emit({ provider: core.provider, operation: op, error });
}

/** @internal */
export function reportRejected(core: PipelineCore, by: RejectedBy, error: unknown): void {
  if (core.rejected.active) core.rejected.emit({ provider: core.provider, by, error });
}
