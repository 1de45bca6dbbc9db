/**
 * Response headers as a provider adapter has them: a fetch `Headers`, or undici's / node's plain
 * object (`{ 'retry-after': '2' }`, values possibly arrays).
 */
export type RateLimitHeaders =
  | { get(name: string): string | null }
  | Readonly<Record<string, string | readonly string[] | number | undefined>>;

/** What a provider said about its limit. Absent fields were not sent (or did not parse). */
export interface RateLimitState {
  /** Calls left in the provider's current window. */
  readonly remaining?: number;
  /** Epoch ms when the provider's window resets. */
  readonly resetAt?: number;
  /** Epoch ms before which the provider asked not to be called again (Retry-After). */
  readonly retryAt?: number;
}

function read(headers: RateLimitHeaders, name: string): string | undefined {
  if (typeof (headers as { get?: unknown }).get === 'function') {
    return (headers as { get(name: string): string | null }).get(name) ?? undefined;
  }
  const record = headers as Readonly<Record<string, string | readonly string[] | number | undefined>>;
  let value = record[name];
  if (value === undefined) {
    // Plain objects are usually lower-cased already; fall back to a case-insensitive scan.
    for (const key of Object.keys(record)) {
      if (key.toLowerCase() === name) {
        value = record[key];
        break;
      }
    }
  }
  if (value === undefined) return undefined;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return value;
  return value[0];
}

function first(headers: RateLimitHeaders, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = read(headers, name);
    if (value !== undefined && value.trim() !== '') return value.trim();
  }
  return undefined;
}

/**
 * Reads a reset value that providers write three ways: epoch seconds, epoch milliseconds, or
 * seconds from now (the IETF draft's `RateLimit-Reset`).
 */
function parseReset(value: string, now: number): number | undefined {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) return undefined;
  if (n >= 1e12) return n;
  if (n >= 1e9) return n * 1000;
  return now + n * 1000;
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string, now: number): number | undefined {
  if (/^\d+(\.\d+)?$/.test(value)) return now + Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : date;
}

/**
 * Reads `X-RateLimit-Remaining` / `X-RateLimit-Reset` / `Retry-After` (and the un-prefixed
 * `RateLimit-*` forms) from a response.
 *
 * @example
 * parseRateLimitHeaders({ 'retry-after': '2' }, Date.parse('2026-03-10T15:00:00Z'))
 * // → { retryAt: 1773154802000 }
 */
export function parseRateLimitHeaders(headers: RateLimitHeaders, now: number): RateLimitState {
  const out: { remaining?: number; resetAt?: number; retryAt?: number } = {};
  const remaining = first(headers, 'x-ratelimit-remaining', 'ratelimit-remaining');
  if (remaining !== undefined) {
    const n = Number(remaining);
    if (Number.isFinite(n) && n >= 0) out.remaining = Math.floor(n);
  }
  const reset = first(headers, 'x-ratelimit-reset', 'ratelimit-reset');
  if (reset !== undefined) {
    const at = parseReset(reset, now);
    if (at !== undefined) out.resetAt = at;
  }
  const retryAfter = first(headers, 'retry-after');
  if (retryAfter !== undefined) {
    const at = parseRetryAfter(retryAfter, now);
    if (at !== undefined) out.retryAt = at;
  }
  return out;
}
