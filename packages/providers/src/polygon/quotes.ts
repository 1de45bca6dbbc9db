import type { Clock } from '@stockade/core';
import { isProviderError, type ProviderError, type Quote } from '@stockade/core';
import { encodePathSegment } from '../http/endpoint-url.js';
import { responseError } from '../http/errors.js';
import { validateBody } from '../http/response-body.js';
import { checkedQuote } from '../normalized.js';
import type { QuoteResults, SessionCalendar } from '../provider.js';
import { fanOutQuotes } from '../quote-fan-out.js';
import type { PlannedSymbol } from '../quote-plan.js';
import { marketOf, type PolygonMarket, snapshotPath } from './markets.js';
import { quoteFromIndexSnapshot, quoteFromPrev, quoteFromSnapshot } from './normalize.js';
import type { PolygonAnswer, PolygonRequester } from './requester.js';
import {
  AggsResponse,
  IndexSnapshot,
  IndexSnapshotResponse,
  SnapshotTicker,
  SnapshotTickerResponse,
  SnapshotTickersResponse,
} from './schemas.js';

/** What {@link createPolygonQuotes} works with. */
export interface PolygonQuotesOptions {
  /** Provider name. */
  name: string;
  /** Authenticated requests. */
  requester: PolygonRequester;
  /** Clock. */
  clock: Clock;
  /** Calendar for the session. */
  calendar: SessionCalendar;
  /** Largest batch. */
  maxBatchSize: number;
  /** Per-symbol concurrency. */
  concurrency: number;
  /** How long an endpoint the key is not entitled to is skipped, ms. */
  entitlementRetryMs: number;
}

/** Quotes one market's symbols. */
export type MarketQuotes = (items: PlannedSymbol<string>[], signal?: AbortSignal) => Promise<QuoteResults>;

/**
 * Polygon's quote strategies: multi-ticker snapshots per market (v3 for indices), falling back —
 * when the key is not entitled (403 NOT_AUTHORIZED) — to the single-ticker snapshot, then to the
 * previous session's aggregate, which every plan has. An endpoint found not entitled is skipped
 * for `entitlementRetryMs`.
 */
export function createPolygonQuotes(o: PolygonQuotesOptions): MarketQuotes {
  const { name, requester } = o;
  const notEntitledUntil = new Map<string, number>();
  const entitled = (endpoint: string) => (notEntitledUntil.get(endpoint) ?? Number.NEGATIVE_INFINITY) <= o.clock.now();
  const notEntitled = (err: unknown, endpoint: string): err is ProviderError => {
    if (!isProviderError(err, 'not_entitled')) return false;
    notEntitledUntil.set(endpoint, o.clock.now() + o.entitlementRetryMs);
    return true;
  };
  const context = (symbol: string, answer: PolygonAnswer) => {
    const m = marketOf(symbol);
    return {
      provider: name,
      symbol,
      now: o.clock.now(),
      calendar: o.calendar,
      delayed: answer.delayed,
      currency: m.currency,
      exchange: m.exchange,
    };
  };
  const ctxOf = (symbols: readonly string[]) => ({ provider: name, operation: 'quotes', symbols });

  function fromSnapshot(p: PlannedSymbol<string>, item: unknown, answer: PolygonAnswer): Quote {
    const ctx = ctxOf([p.symbol]);
    if (marketOf(p.symbol).market === 'indices') {
      const s = validateBody(IndexSnapshot, item, ctx, answer.response, `index snapshot of ${p.native}`);
      return checkedQuote(quoteFromIndexSnapshot(s, context(p.symbol, answer)), name);
    }
    const t = validateBody(SnapshotTicker, item, ctx, answer.response, `snapshot of ${p.native}`);
    const q = quoteFromSnapshot(t, context(p.symbol, answer));
    if (q === undefined)
      throw responseError(ctx, answer.response, 'not_found', `the snapshot of ${p.native} holds no price`);
    return checkedQuote(q, name);
  }

  async function prevQuote(p: PlannedSymbol<string>, signal?: AbortSignal): Promise<Quote> {
    const ctx = ctxOf([p.symbol]);
    const answer = await requester.get(
      { path: `/v2/aggs/ticker/${encodePathSegment(p.native)}/prev`, query: { adjusted: 'true' } },
      'quotes',
      [p.symbol],
      signal,
    );
    const body = validateBody(AggsResponse, answer.body, ctx, answer.response, 'previous close');
    const agg = body.results?.[0];
    if (agg === undefined)
      throw responseError(ctx, answer.response, 'not_found', `no previous session for ${p.native}`);
    return checkedQuote(quoteFromPrev(agg, context(p.symbol, answer), marketOf(p.symbol).zone), name);
  }

  async function singleQuote(p: PlannedSymbol<string>, signal?: AbortSignal): Promise<Quote> {
    const market = marketOf(p.symbol).market;
    const endpoint = market === 'indices' ? 'snapshot:indices' : `snapshot_ticker:${market}`;
    if (market !== 'indices' && entitled(endpoint)) {
      try {
        const path = `${snapshotPath(market)}/${encodePathSegment(p.native)}`;
        const answer = await requester.get({ path }, 'quotes', [p.symbol], signal);
        const body = validateBody(SnapshotTickerResponse, answer.body, ctxOf([p.symbol]), answer.response, 'snapshot');
        return fromSnapshot(p, body.ticker, answer);
      } catch (err) {
        if (!notEntitled(err, endpoint)) throw err;
      }
    }
    if (market === 'indices' && entitled(endpoint)) {
      try {
        const r = await batch([p], 'indices', signal);
        if (r.quotes[0] !== undefined) return r.quotes[0];
        throw r.errors[0]?.error;
      } catch (err) {
        if (!notEntitled(err, endpoint)) throw err;
      }
    }
    return prevQuote(p, signal);
  }

  async function batch(
    chunk: PlannedSymbol<string>[],
    market: PolygonMarket,
    signal?: AbortSignal,
  ): Promise<QuoteResults> {
    const symbols = chunk.map((p) => p.symbol);
    const tickers = chunk.map((p) => p.native).join(',');
    const answer =
      market === 'indices'
        ? await requester.get(
            { path: '/v3/snapshot/indices', query: { 'ticker.any_of': tickers } },
            'quotes',
            symbols,
            signal,
          )
        : await requester.get({ path: snapshotPath(market), query: { tickers } }, 'quotes', symbols, signal);
    const items =
      market === 'indices'
        ? (validateBody(IndexSnapshotResponse, answer.body, ctxOf(symbols), answer.response, 'index snapshot')
            .results ?? [])
        : (validateBody(SnapshotTickersResponse, answer.body, ctxOf(symbols), answer.response, 'snapshot').tickers ??
          []);
    const byTicker = new Map(items.map((item) => [item.ticker.toUpperCase(), item]));
    const out: QuoteResults = { quotes: [], errors: [] };
    for (const p of chunk) {
      try {
        const item = byTicker.get(p.native.toUpperCase());
        // A ticker the snapshot does not know is left out (indices: listed with an error and no value).
        if (item === undefined || (market === 'indices' && typeof (item as { value?: unknown }).value !== 'number')) {
          throw responseError(
            ctxOf([p.symbol]),
            answer.response,
            'not_found',
            `${p.native} is not in the ${market} snapshot`,
          );
        }
        out.quotes.push(fromSnapshot(p, item, answer));
      } catch (err) {
        out.errors.push({ symbol: p.symbol, error: err as ProviderError });
      }
    }
    const first = out.errors[0];
    if (out.quotes.length === 0 && first !== undefined && first.error.kind === 'bad_response') throw first.error;
    return out;
  }

  return async (items, signal) => {
    const out: QuoteResults = { quotes: [], errors: [] };
    const byMarket = new Map<PolygonMarket, PlannedSymbol<string>[]>();
    for (const p of items) {
      const market = marketOf(p.symbol).market;
      byMarket.set(market, [...(byMarket.get(market) ?? []), p]);
    }
    const perSymbol = (list: PlannedSymbol<string>[]) =>
      fanOutQuotes(
        list,
        (p) => p.symbol,
        (p, s) => singleQuote(p, s),
        { concurrency: o.concurrency, signal },
      );
    for (const [market, list] of byMarket) {
      const endpoint = `snapshot:${market}`;
      for (let i = 0; i < list.length; i += o.maxBatchSize) {
        const chunk = list.slice(i, i + o.maxBatchSize);
        let r: QuoteResults | undefined;
        if (chunk.length > 1 && entitled(endpoint)) {
          try {
            r = await batch(chunk, market, signal);
          } catch (err) {
            if (!notEntitled(err, endpoint)) throw err;
          }
        }
        r ??= await perSymbol(chunk);
        out.quotes.push(...r.quotes);
        out.errors.push(...r.errors);
      }
    }
    return out;
  };
}
