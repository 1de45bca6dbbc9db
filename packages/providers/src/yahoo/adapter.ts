import { type BarSeries, ProviderError, parseSymbol, type Quote } from '@stockade/core';
import { z } from 'zod';
import { encodePathSegment, endpointUrl } from '../http/endpoint-url.js';
import { responseError } from '../http/errors.js';
import { parseJsonBody, tryParseJson, validateBody } from '../http/response-body.js';
import type { TransportResponse } from '../http/transport.js';
import { checkedQuote, checkedSeries } from '../normalized.js';
import { adapterBasics, httpOptionsShape, parseProviderOptions } from '../options.js';
import { runProbe } from '../probe.js';
import type {
  BarsOptions,
  CallOptions,
  Provider,
  ProviderCapabilities,
  ProviderHttpOptions,
  QuoteResults,
} from '../provider.js';
import { fanOutQuotes } from '../quote-fan-out.js';
import { type PlannedSymbol, planOne, planQuotes } from '../quote-plan.js';
import type { ProviderStream } from '../stream/types.js';
import { openYahooStream, YAHOO_STREAMING } from '../stream/yahoo-stream.js';
import { yahooDialect } from '../symbols/yahoo-dialect.js';
import { resolveBarRange } from '../time/bar-range.js';
import { type CrumbSession, createCrumbJar } from './crumb.js';
import { classifyYahooAnswer } from './errors.js';
import { quoteFromChart, quoteFromQuoteItem, seriesFromChart } from './normalize.js';
import { ChartQuoteMeta, ChartResponse, type ChartResult, QuoteItem, QuoteResponse } from './schemas.js';

/** Options of {@link yahooProvider}. */
export interface YahooOptions extends ProviderHttpOptions {
  /** API base URL; may carry a path prefix. @default 'https://query2.finance.yahoo.com' */
  baseUrl?: string;
  /** URL whose answer sets the `A3` cookie the crumb is minted for. @default 'https://fc.yahoo.com' */
  cookieUrl?: string;
  /** `User-Agent` sent with every request. @default a desktop browser's */
  userAgent?: string;
  /** Largest number of symbols per `/v7/finance/quote` request. @default 50 */
  maxBatchSize?: number;
  /** Include pre- and post-market bars in intraday series. @default false */
  includePrePost?: boolean;
  /** How long `/v7/finance/quote` is skipped after Yahoo answered "unable to access this feature", ms. @default 3_600_000 */
  quoteEndpointRetryMs?: number;
}

const YahooOptionsSchema = z.strictObject({
  ...httpOptionsShape,
  cookieUrl: z.url({ protocol: /^https?$/ }).optional(),
  userAgent: z.string().min(1).optional(),
  maxBatchSize: z.number().int().min(1).max(500).optional(),
  includePrePost: z.boolean().optional(),
  quoteEndpointRetryMs: z.number().int().nonnegative().optional(),
});

const DEFAULT_USER_AGENT =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';
const INTERVALS = {
  '1m': '1m',
  '5m': '5m',
  '15m': '15m',
  '30m': '30m',
  '1h': '60m',
  '1d': '1d',
  '1w': '1wk',
  '1mo': '1mo',
} as const;

/**
 * The Yahoo Finance adapter (the "yfinance" source). Single quotes and bars come from
 * `/v8/finance/chart`, which needs no crumb; batches from `/v7/finance/quote` with the cookie +
 * crumb flow (the crumb refreshed once on 401 "Invalid Crumb"), falling back to the chart per
 * symbol when Yahoo answers "User is unable to access this feature".
 *
 * @example
 * const yahoo = yahooProvider();
 * const { quotes, errors } = await yahoo.quotes(['AAPL', 'BRK.B', 'BTC-USD'], { signal: AbortSignal.timeout(5_000) });
 * const series = await yahoo.bars('AAPL', { interval: '1d', from: '2020-08-31', to: '2020-11-06' });
 * await yahoo.close();
 */
export function yahooProvider(options: YahooOptions = {}): Provider {
  const o = parseProviderOptions(YahooOptionsSchema, options, 'yahoo') as YahooOptions;
  const name = 'yahoo';
  const { transport, calendar, probeSymbol, concurrency } = adapterBasics(name, o);
  const clock = transport.clock;
  const baseUrl = o.baseUrl ?? 'https://query2.finance.yahoo.com';
  const userAgent = o.userAgent ?? DEFAULT_USER_AGENT;
  const maxBatchSize = o.maxBatchSize ?? 50;
  const jar = createCrumbJar({ transport, baseUrl, cookieUrl: o.cookieUrl ?? 'https://fc.yahoo.com', userAgent });
  let quoteEndpointShutUntil = Number.NEGATIVE_INFINITY;

  const capabilities: ProviderCapabilities = {
    batchQuotes: true,
    maxBatchSize,
    intervals: ['1m', '5m', '15m', '30m', '1h', '1d', '1w', '1mo'],
    assetClasses: ['equity', 'etf', 'index', 'crypto', 'fx'],
    adjustments: ['split'],
    needsKey: false,
    freeTier: {
      note: 'No key and no published limit; Yahoo throttles bursts with HTTP 429 "Edge: Too Many Requests" (community reports: a few hundred requests per minute per IP).',
    },
    streaming: YAHOO_STREAMING,
  };
  const streams = new Set<ProviderStream>();

  async function fetchChart(
    p: PlannedSymbol<string>,
    query: Record<string, string | number | undefined>,
    operation: string,
    signal?: AbortSignal,
  ): Promise<ChartResult> {
    const url = endpointUrl(baseUrl, `/v8/finance/chart/${encodePathSegment(p.native)}`, query);
    const res = await transport.get(url, {
      headers: { 'user-agent': userAgent },
      signal,
      operation,
      symbols: [p.symbol],
    });
    const ctx = { provider: name, operation, symbols: [p.symbol] };
    const body = tryParseJson(res.text);
    const failure = classifyYahooAnswer(res.status, res.text, body);
    if (failure !== undefined) throw responseError(ctx, res, failure.kind, failure.detail);
    const chart = validateBody(ChartResponse, parseJsonBody(res.text, ctx, res), ctx, res, 'chart');
    const result = chart.chart.result?.[0];
    if (result === undefined) throw responseError(ctx, res, 'not_found', `no chart for ${p.native}`);
    return result;
  }

  const quoteContext = (symbol: string) => {
    const info = parseSymbol(symbol);
    return { symbol, now: clock.now(), calendar, fallbackCurrency: info.quoteCurrency ?? 'USD' };
  };

  async function chartQuote(
    p: PlannedSymbol<string>,
    signal: AbortSignal | undefined,
    operation = 'quotes',
  ): Promise<Quote> {
    const result = await fetchChart(p, { range: '1d', interval: '1d', includePrePost: 'false' }, operation, signal);
    const ctx = { provider: name, operation, symbols: [p.symbol] };
    const meta = validateBody(ChartQuoteMeta, result.meta, ctx, { status: 200 }, 'chart.result[0].meta');
    return checkedQuote(quoteFromChart(meta, quoteContext(p.symbol)), name, operation);
  }

  async function fetchQuoteBatch(
    chunk: PlannedSymbol<string>[],
    session: CrumbSession,
    signal?: AbortSignal,
  ): Promise<TransportResponse> {
    const url = endpointUrl(baseUrl, '/v7/finance/quote', {
      symbols: chunk.map((p) => p.native).join(','),
      crumb: session.crumb,
    });
    const headers: Record<string, string> = { 'user-agent': userAgent };
    if (session.cookie !== '') headers.cookie = session.cookie;
    return transport.get(url, { headers, signal, operation: 'quotes', symbols: chunk.map((p) => p.symbol) });
  }

  async function batchQuotes(chunk: PlannedSymbol<string>[], signal?: AbortSignal): Promise<QuoteResults> {
    const symbols = chunk.map((p) => p.symbol);
    const ctx = { provider: name, operation: 'quotes', symbols };
    let session = await jar.get(signal);
    let res = await fetchQuoteBatch(chunk, session, signal);
    let failure = classifyYahooAnswer(res.status, res.text, tryParseJson(res.text));
    if (failure?.crumbRejected) {
      // The frequent "401 from yfinance": the crumb expired. One fresh cookie + crumb, then it is auth.
      jar.invalidate(session);
      session = await jar.get(signal);
      res = await fetchQuoteBatch(chunk, session, signal);
      failure = classifyYahooAnswer(res.status, res.text, tryParseJson(res.text));
    }
    if (failure?.featureBlocked) {
      quoteEndpointShutUntil = clock.now() + (o.quoteEndpointRetryMs ?? 3_600_000);
      return fanOutQuotes(
        chunk,
        (p) => p.symbol,
        (p, s) => chartQuote(p, s),
        { concurrency, signal },
      );
    }
    if (failure !== undefined) throw responseError(ctx, res, failure.kind, failure.detail);
    const body = validateBody(QuoteResponse, parseJsonBody(res.text, ctx, res), ctx, res, 'quote');
    const byNative = new Map((body.quoteResponse.result ?? []).map((item) => [item.symbol.toUpperCase(), item]));
    const out: QuoteResults = { quotes: [], errors: [] };
    for (const p of chunk) {
      const item = byNative.get(p.native.toUpperCase());
      const one = { provider: name, operation: 'quotes', symbols: [p.symbol] };
      try {
        // Yahoo silently leaves unknown and delisted symbols out of the batch.
        if (item === undefined)
          throw responseError(one, res, 'not_found', `${p.native} is not known to Yahoo (left out of the quote batch)`);
        const parsed = validateBody(QuoteItem, item, one, res, `quote of ${p.native}`);
        out.quotes.push(checkedQuote(quoteFromQuoteItem(parsed, quoteContext(p.symbol)), name));
      } catch (err) {
        out.errors.push({ symbol: p.symbol, error: err as ProviderError });
      }
    }
    const first = out.errors[0];
    if (out.quotes.length === 0 && first !== undefined && first.error.kind === 'bad_response') throw first.error;
    return out;
  }

  return {
    name,
    capabilities,
    supports: (symbol) => yahooDialect.toProvider(symbol) !== null,
    async quotes(symbols, callOptions: CallOptions = {}) {
      const { signal } = callOptions;
      if (signal?.aborted) throw signal.reason;
      const plan = planQuotes(symbols, yahooDialect, name);
      const out: QuoteResults = { quotes: [], errors: [...plan.errors] };
      if (plan.send.length === 1 || (plan.send.length > 1 && clock.now() < quoteEndpointShutUntil)) {
        const r = await fanOutQuotes(
          plan.send,
          (p) => p.symbol,
          (p, s) => chartQuote(p, s),
          { concurrency, signal },
        );
        out.quotes.push(...r.quotes);
        out.errors.push(...r.errors);
        return out;
      }
      for (let i = 0; i < plan.send.length; i += maxBatchSize) {
        const r = await batchQuotes(plan.send.slice(i, i + maxBatchSize), signal);
        out.quotes.push(...r.quotes);
        out.errors.push(...r.errors);
      }
      return out;
    },
    async bars(symbol, barsOptions: BarsOptions): Promise<BarSeries> {
      const { signal } = barsOptions;
      if (signal?.aborted) throw signal.reason;
      const planned = planOne(symbol, yahooDialect, name, 'bars');
      const interval = INTERVALS[barsOptions.interval as keyof typeof INTERVALS];
      if (interval === undefined) {
        throw new ProviderError(
          `interval ${String(barsOptions.interval)} is not one of ${capabilities.intervals.join(', ')}`,
          { provider: name, kind: 'bad_request', operation: 'bars', symbols: [planned.symbol] },
        );
      }
      if (barsOptions.adjustment !== undefined && barsOptions.adjustment !== 'split') {
        throw new ProviderError(
          `Yahoo serves split-adjusted bars only (adjClose carries splits and dividends); ${barsOptions.adjustment} was asked`,
          { provider: name, kind: 'unavailable', retryable: false, operation: 'bars', symbols: [planned.symbol] },
        );
      }
      const range = resolveBarRange(barsOptions.from, barsOptions.to, name);
      const result = await fetchChart(
        planned,
        {
          interval,
          period1: Math.floor(range.fromMs / 1000),
          period2: Math.ceil(range.toMs / 1000),
          events: 'div|split',
          includePrePost: o.includePrePost === true ? 'true' : 'false',
        },
        'bars',
        signal,
      );
      return checkedSeries(
        seriesFromChart(result, {
          symbol: planned.symbol,
          interval: barsOptions.interval,
          fromMs: range.fromMs,
          toMs: range.toMs,
        }),
        name,
      );
    },
    probe(probeOptions: CallOptions = {}) {
      const { signal } = probeOptions;
      return runProbe(name, signal, () =>
        chartQuote(
          { symbol: probeSymbol, native: yahooDialect.toProvider(probeSymbol) ?? probeSymbol },
          signal,
          'probe',
        ),
      );
    },
    stream(streamOptions) {
      const stream = openYahooStream({ clock, calendar, userAgent }, streamOptions);
      streams.add(stream);
      stream.on((e) => {
        if (e.type === 'status' && e.status === 'closed') streams.delete(stream);
      });
      return stream;
    },
    poolStats: () => transport.stats(),
    onResponseHeaders: (listener) => transport.onResponseHeaders(listener),
    async close() {
      await Promise.all([...streams].map((s) => s.close()));
      await transport.close();
    },
  };
}
