import { ProviderError, type ProviderErrorKind, type Quote } from '@stockade/core';
import type { QuoteResults } from './provider.js';

// Failures that say the provider as a whole cannot answer now: further per-symbol calls would
// fail the same way and only spend quota, so the call stops and rejects.
const WHOLE_CALL_KINDS: ReadonlySet<ProviderErrorKind> = new Set(['auth', 'rate_limited']);

/**
 * Runs one quote task per item, at most `concurrency` at a time, and gathers a
 * {@link QuoteResults}. A per-item `ProviderError` lands in `errors`; an `auth` or `rate_limited`
 * failure stops the rest and rejects; when nothing succeeded and every failure is retryable the
 * call rejects with the first, since the provider as a whole did not answer.
 */
export async function fanOutQuotes<T>(
  items: readonly T[],
  symbolOf: (item: T) => string,
  task: (item: T, signal: AbortSignal) => Promise<Quote | Quote[]>,
  options: { concurrency: number; signal?: AbortSignal | undefined },
): Promise<QuoteResults> {
  const out: QuoteResults = { quotes: [], errors: [] };
  if (items.length === 0) return out;
  const outer = options.signal;
  if (outer?.aborted) throw outer.reason;
  const inner = new AbortController();
  const forward = () => inner.abort(outer?.reason);
  outer?.addEventListener('abort', forward, { once: true });
  let stop: unknown;
  let next = 0;
  const worker = async () => {
    while (stop === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        const q = await task(item, inner.signal);
        if (Array.isArray(q)) out.quotes.push(...q);
        else out.quotes.push(q);
      } catch (err) {
        if (stop !== undefined) return;
        if (outer?.aborted) {
          stop = outer.reason;
        } else if (err instanceof ProviderError && !WHOLE_CALL_KINDS.has(err.kind)) {
          out.errors.push({ symbol: symbolOf(item), error: err });
        } else {
          stop = err;
          inner.abort(err);
        }
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(options.concurrency, items.length) }, worker));
  } finally {
    outer?.removeEventListener('abort', forward);
  }
  if (stop !== undefined) throw stop;
  if (out.quotes.length === 0 && out.errors.length > 0 && out.errors.every((e) => e.error.retryable)) {
    throw (out.errors[0] as { error: ProviderError }).error;
  }
  return out;
}
