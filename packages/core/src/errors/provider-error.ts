import { z } from 'zod';
import { StockadeError, serializeCause } from './stockade-error.js';

/**
 * Why a provider call failed. Policies (retry, breaker, failover) decide from this, never from
 * message text.
 *
 * | kind | meaning |
 * | --- | --- |
 * | `auth` | the key is missing, wrong or expired (401, Yahoo "Invalid Crumb" after one refresh) |
 * | `not_entitled` | a valid key asking for something its plan does not include (Polygon 403 NOT_AUTHORIZED) |
 * | `rate_limited` | throttled (429, Alpha Vantage `Note`/`Information`); see `retryAfterMs` |
 * | `transient` | 5xx, connection reset: worth retrying |
 * | `timeout` | no answer within the attempt's time |
 * | `not_found` | the symbol or range does not exist there |
 * | `bad_request` | the request itself is wrong; retrying cannot help |
 * | `bad_response` | the body did not parse or validate (schema drift, malformed JSON) |
 * | `unavailable` | the provider cannot serve this at all (unsupported symbol, capability off) |
 */
export const ProviderErrorKind = z.enum([
  'auth',
  'not_entitled',
  'rate_limited',
  'transient',
  'timeout',
  'not_found',
  'bad_request',
  'bad_response',
  'unavailable',
]);
/** See {@link ProviderErrorKind}. */
export type ProviderErrorKind = z.infer<typeof ProviderErrorKind>;

const RETRYABLE: ReadonlySet<ProviderErrorKind> = new Set([
  'rate_limited',
  'transient',
  'timeout',
  'bad_response',
  'unavailable',
]);

/** Whether a failure of this kind is worth another attempt (by default). */
export function isRetryableKind(kind: ProviderErrorKind): boolean {
  return RETRYABLE.has(kind);
}

/** Fields of a {@link ProviderError}. */
export interface ProviderErrorOptions {
  /** Provider name, e.g. `polygon`. */
  provider: string;
  /** Why it failed. */
  kind: ProviderErrorKind;
  /** HTTP status, when there was a response. */
  status?: number;
  /** Overrides the default retryability of `kind`. */
  retryable?: boolean;
  /** How long the provider asked us to wait (Retry-After, or a known quota window). */
  retryAfterMs?: number;
  /** The provider's request id (Polygon `X-Request-Id`, Yahoo `y-rid`). */
  requestId?: string;
  /** Which operation failed, e.g. `quotes` or `bars`. */
  operation?: string;
  /** The canonical symbols the call was for. */
  symbols?: readonly string[];
  /** Underlying error. */
  cause?: unknown;
}

/**
 * A provider call failed. Every failure a provider adapter meets — HTTP status, socket error,
 * malformed body, schema drift — surfaces as one of these with the right {@link ProviderErrorKind}.
 */
export class ProviderError extends StockadeError {
  /** Provider name. */
  readonly provider: string;
  /** Why it failed. */
  readonly kind: ProviderErrorKind;
  /** HTTP status, when there was a response. */
  readonly status: number | undefined;
  /** Whether another attempt may succeed. */
  readonly retryable: boolean;
  /** How long to wait before the next attempt, when the provider said. */
  readonly retryAfterMs: number | undefined;
  /** The provider's request id. */
  readonly requestId: string | undefined;
  /** Which operation failed. */
  readonly operation: string | undefined;
  /** The canonical symbols the call was for. */
  readonly symbols: readonly string[] | undefined;

  constructor(message: string, options: ProviderErrorOptions) {
    super('PROVIDER_ERROR', `${options.provider}: ${message}`, { cause: options.cause });
    this.provider = options.provider;
    this.kind = options.kind;
    this.status = options.status;
    this.retryable = options.retryable ?? isRetryableKind(options.kind);
    this.retryAfterMs = options.retryAfterMs;
    this.requestId = options.requestId;
    this.operation = options.operation;
    this.symbols = options.symbols;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      provider: this.provider,
      kind: this.kind,
      status: this.status,
      retryable: this.retryable,
      retryAfterMs: this.retryAfterMs,
      requestId: this.requestId,
      operation: this.operation,
      symbols: this.symbols,
      cause: this.cause === undefined ? undefined : serializeCause(this.cause),
    };
  }
}

/** Narrows an unknown value to a {@link ProviderError}, optionally of given kinds. */
export function isProviderError(err: unknown, ...kinds: ProviderErrorKind[]): err is ProviderError {
  return err instanceof ProviderError && (kinds.length === 0 || kinds.includes(err.kind));
}
