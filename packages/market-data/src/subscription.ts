import type { Logger, MarketCalendar, Quote } from '@stockade/core';
import { ValidationError } from '@stockade/core';
import type { QuoteOptions } from './manager-options.js';
import type { QuoteResult } from './quote-service.js';

/** Options of `manager.subscribe()`. */
export interface SubscribeOptions extends Omit<QuoteOptions, 'signal'> {
  /** Poll interval while any symbol's market is open, ms. @default 5_000 */
  intervalMs?: number;
  /** Poll interval while every symbol's market is closed, ms. @default 60_000 */
  closedIntervalMs?: number;
  /** Stops the subscription. @default undefined */
  signal?: AbortSignal;
  /** Called with a symbol's typed error when it cannot be quoted. @default ignored */
  onError?: (result: Extract<QuoteResult, { ok: false }>) => void;
}

/** A running subscription. */
export interface Subscription {
  /** Stops polling; no callback runs after it returns. */
  close(): void;
}

/**
 * A poll loop over `quotes()` that calls `onQuote` only when a symbol's price or timestamp
 * changed, and waits longer between polls while every symbol's market is closed.
 */
export function createSubscription(
  source: { quotes(symbols: readonly string[], options?: QuoteOptions): Promise<QuoteResult[]> },
  symbols: readonly string[],
  onQuote: (quote: Quote) => void,
  options: SubscribeOptions & { calendar: MarketCalendar; logger: Logger },
): Subscription {
  if (!Array.isArray(symbols) || symbols.length === 0) {
    throw new ValidationError('subscribe() needs a non-empty array of symbols');
  }
  if (typeof onQuote !== 'function') throw new ValidationError('subscribe() needs an onQuote callback');
  const intervalMs = options.intervalMs ?? 5_000;
  const closedIntervalMs = Math.max(intervalMs, options.closedIntervalMs ?? 60_000);
  const last = new Map<string, string>();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const { calendar, logger, onError, signal, intervalMs: _i, closedIntervalMs: _c, ...quoteOptions } = options;

  const poll = async () => {
    try {
      const results = await source.quotes(symbols, { ...quoteOptions, signal: controller.signal });
      for (const r of results) {
        if (stopped) return;
        if (!r.ok) {
          onError?.(r);
          continue;
        }
        const fingerprint = `${r.quote.price}|${r.quote.asOf}|${r.quote.stale}`;
        if (last.get(r.quote.symbol) === fingerprint) continue;
        last.set(r.quote.symbol, fingerprint);
        onQuote(r.quote);
      }
    } catch (err) {
      if (!stopped) logger.warn({ err }, 'subscription poll failed');
    } finally {
      if (!stopped) schedule();
    }
  };
  const schedule = () => {
    const anyOpen = symbols.some((s) => {
      try {
        const session = calendar.session(s);
        return session !== 'closed';
      } catch {
        return true;
      }
    });
    timer = setTimeout(poll, anyOpen ? intervalMs : closedIntervalMs);
    timer.unref();
  };
  const close = () => {
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    controller.abort();
  };
  signal?.addEventListener('abort', close, { once: true });
  void poll();
  return { close };
}
