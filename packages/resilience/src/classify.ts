import {
  CircuitOpenError,
  isAbortError,
  ProviderError,
  type ProviderErrorKind,
  RateLimitedError,
  TimeoutError,
} from '@stockade/core';

/** What the policies do about one kind of failure. */
export interface KindPolicy {
  /** Whether the failure is recorded as a failure by the circuit breaker. */
  readonly countsAgainstBreaker: boolean;
  /** Whether it opens the breaker at once, whatever the counts say. */
  readonly opensBreaker: boolean;
  /** Whether another attempt may be made. */
  readonly retryable: boolean;
  /** Whether the wait before the next attempt is at least the error's `retryAfterMs`, and the provider's bucket pauses until then. */
  readonly honoursRetryAfter: boolean;
  /** Whether the key is refreshed (through the pipeline's `onAuthFailure`) and the call tried once more first. */
  readonly refreshesKey: boolean;
  /** Whether the capability is switched off for that provider (one `notEntitled` event). */
  readonly disablesCapability: boolean;
}

const policy = (p: KindPolicy): KindPolicy => Object.freeze(p);
const FAILURE = policy({
  countsAgainstBreaker: true,
  opensBreaker: false,
  retryable: true,
  honoursRetryAfter: false,
  refreshesKey: false,
  disablesCapability: false,
});
const ANSWERED = policy({
  countsAgainstBreaker: false,
  opensBreaker: false,
  retryable: false,
  honoursRetryAfter: false,
  refreshesKey: false,
  disablesCapability: false,
});

/**
 * The classification table as code: what every policy does for each `ProviderErrorKind`.
 *
 * | kind | counts against the breaker | retried | notes |
 * | --- | --- | --- | --- |
 * | transient, timeout, unavailable, bad_response | yes | yes | |
 * | rate_limited | no | yes, not before `retryAfterMs` | also pauses the provider's bucket until then |
 * | auth | opens it at once | no | after one `onAuthFailure` (key refresh) retry |
 * | not_entitled | no | no | the capability is switched off for that provider; one event |
 * | not_found, bad_request | no | no | |
 */
export const classificationTable: Readonly<Record<ProviderErrorKind, KindPolicy>> = Object.freeze({
  transient: FAILURE,
  timeout: FAILURE,
  unavailable: FAILURE,
  bad_response: FAILURE,
  rate_limited: policy({ ...ANSWERED, retryable: true, honoursRetryAfter: true }),
  auth: policy({ ...ANSWERED, opensBreaker: true, refreshesKey: true }),
  not_entitled: policy({ ...ANSWERED, disablesCapability: true }),
  not_found: ANSWERED,
  bad_request: ANSWERED,
});

/**
 * How a failure was classified. `origin` says where it came from:
 * - `provider`: a `ProviderError` (or core's `TimeoutError`, read as kind `timeout`);
 * - `local`: refused by one of our own policies before reaching the provider (open circuit,
 *   rate limiter, bulkhead) — never recorded by the breaker, never retried;
 * - `aborted`: the caller's signal — never recorded, never retried;
 * - `unknown`: anything else thrown by the call (a bug in an adapter, a raw socket error): counted
 *   against the breaker so a broken adapter is noticed, but not retried since nothing says it may help.
 */
export interface Classification extends KindPolicy {
  /** Where the failure came from. */
  readonly origin: 'provider' | 'local' | 'aborted' | 'unknown';
  /** The provider error kind, when there is one. */
  readonly kind: ProviderErrorKind | undefined;
  /** How long the provider asked us to wait, ms, when it said. */
  readonly retryAfterMs: number | undefined;
}

const NOT_RECORDED: KindPolicy = policy({ ...ANSWERED });
const LOCAL: Classification = Object.freeze({
  ...NOT_RECORDED,
  origin: 'local',
  kind: undefined,
  retryAfterMs: undefined,
});
const ABORTED: Classification = Object.freeze({
  ...NOT_RECORDED,
  origin: 'aborted',
  kind: undefined,
  retryAfterMs: undefined,
});
const UNKNOWN: Classification = Object.freeze({
  ...FAILURE,
  retryable: false,
  origin: 'unknown',
  kind: undefined,
  retryAfterMs: undefined,
});
const TIMEOUT: Classification = Object.freeze({
  ...FAILURE,
  origin: 'provider',
  kind: 'timeout',
  retryAfterMs: undefined,
});

/**
 * Classifies a failure from its type and `kind` — never from message text.
 *
 * A `ProviderError`'s own `retryable` flag is respected (an adapter may know that this
 * `unavailable` will not pass), so `retryable` is the kind's default unless the adapter overrode it.
 *
 * @example
 * classify(new ProviderError('429', { provider: 'polygon', kind: 'rate_limited', retryAfterMs: 2000 }))
 * // → { origin: 'provider', kind: 'rate_limited', retryable: true, countsAgainstBreaker: false, retryAfterMs: 2000, … }
 */
export function classify(err: unknown): Classification {
  if (err instanceof ProviderError) {
    const base = classificationTable[err.kind];
    return {
      ...base,
      retryable: base.refreshesKey || base.disablesCapability ? false : err.retryable,
      origin: 'provider',
      kind: err.kind,
      retryAfterMs: err.retryAfterMs,
    };
  }
  if (err instanceof CircuitOpenError || err instanceof RateLimitedError) return LOCAL;
  if (err instanceof TimeoutError) return TIMEOUT;
  if (isAbortError(err)) return ABORTED;
  return UNKNOWN;
}
