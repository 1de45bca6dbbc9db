import { ProviderError, type ProviderErrorKind, redact } from '@stockade/core';

/** Where a failed request was going; every field ends up in the error, the URL redacted. */
export interface RequestContext {
  /** Provider name. */
  provider: string;
  /** Operation, e.g. `quotes`, `bars`, `probe`. */
  operation: string;
  /** Canonical symbols concerned. */
  symbols?: readonly string[];
  /** The request URL; redacted before it is written anywhere. */
  url: string;
}

const TRANSIENT_CODES = new Set([
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
  'UND_ERR_INFO',
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'EAI_AGAIN',
  'HPE_INVALID_CONSTANT',
  'HPE_INVALID_CHUNK_SIZE',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'ETIMEDOUT',
]);
const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_DESTROYED',
  'ClientDestroyedError',
]);

function codeOf(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  // Happy-eyeballs connects fail with an AggregateError whose members carry the codes.
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return codeOf(inner[0]);
  const cause = (err as { cause?: unknown }).cause;
  return cause === undefined ? undefined : codeOf(cause);
}

/** The kind a socket-level failure (no HTTP status) counts as. */
export function transportErrorKind(err: unknown): ProviderErrorKind {
  const code = codeOf(err);
  if (code !== undefined) {
    if (TIMEOUT_CODES.has(code)) return 'timeout';
    if (UNAVAILABLE_CODES.has(code)) return 'unavailable';
    if (TRANSIENT_CODES.has(code)) return 'transient';
  }
  return 'transient';
}

/**
 * Wraps a socket-level failure in a `ProviderError`. An abort is not a failure of the provider: the
 * caller's abort reason is rethrown as it is.
 */
export function transportError(err: unknown, ctx: RequestContext, signal?: AbortSignal): unknown {
  if (signal?.aborted) return signal.reason;
  if (err instanceof ProviderError) return err;
  const code = codeOf(err);
  const what = code ?? (err instanceof Error ? err.message : String(err));
  return new ProviderError(`request to ${redact(ctx.url)} failed: ${what}`, {
    provider: ctx.provider,
    kind: transportErrorKind(err),
    operation: ctx.operation,
    symbols: ctx.symbols,
    cause: err,
  });
}

/** The kind an HTTP error status counts as when the body says nothing more specific. */
export function statusKind(status: number): ProviderErrorKind {
  if (status === 401) return 'auth';
  if (status === 403) return 'not_entitled';
  if (status === 404 || status === 410) return 'not_found';
  if (status === 408) return 'timeout';
  if (status === 429) return 'rate_limited';
  if (status === 501) return 'unavailable';
  if (status >= 500) return 'transient';
  if (status >= 400) return 'bad_request';
  return 'bad_response';
}

/** The fields of an HTTP answer an error is built from. */
export interface ResponseFacts {
  /** HTTP status. */
  status: number;
  /** The provider's request id. */
  requestId?: string | undefined;
  /** `Retry-After` (or a known quota window), ms. */
  retryAfterMs?: number | undefined;
}

/**
 * A `ProviderError` for a response the adapter refuses, carrying its status, request id and
 * retry hint; `detail` (the provider's own words) is redacted by the error itself.
 */
export function responseError(
  ctx: Omit<RequestContext, 'url'>,
  response: ResponseFacts,
  kind: ProviderErrorKind,
  detail: string,
  cause?: unknown,
): ProviderError {
  return new ProviderError(`${detail} (HTTP ${response.status})`, {
    provider: ctx.provider,
    kind,
    status: response.status,
    requestId: response.requestId,
    retryAfterMs: response.retryAfterMs,
    operation: ctx.operation,
    symbols: ctx.symbols,
    cause,
  });
}
