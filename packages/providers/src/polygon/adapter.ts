import { type BarSeries, ProviderError } from '@stockade/core';
import { z } from 'zod';
import { encodePathSegment } from '../http/endpoint-url.js';
import { validateBody } from '../http/response-body.js';
import { createKeySource } from '../key-source.js';
import { checkedSeries } from '../normalized.js';
import { adapterBasics, httpOptionsShape, parseProviderOptions } from '../options.js';
import { runProbe } from '../probe.js';
import type {
  BarsOptions,
  CallOptions,
  Provider,
  ProviderCapabilities,
  ProviderHttpOptions,
  ProviderKeyResolver,
  QuoteResults,
} from '../provider.js';
import { planOne, planQuotes } from '../quote-plan.js';
import { openPolygonStream, POLYGON_STREAMING } from '../stream/polygon-stream.js';
import type { ProviderStream } from '../stream/types.js';
import { polygonDialect } from '../symbols/polygon-dialect.js';
import { resolveBarRange } from '../time/bar-range.js';
import { marketOf } from './markets.js';
import { seriesFromAggs } from './normalize.js';
import { nextPageUrl } from './pagination.js';
import { MASSIVE_PRESET, POLYGON_PRESET, type PolygonPreset } from './presets.js';
import { createPolygonQuotes } from './quotes.js';
import { createPolygonRequester } from './requester.js';
import { type Agg, AggsResponse } from './schemas.js';

/** Options of {@link polygonProvider} and {@link massiveProvider}. */
export interface PolygonOptions extends ProviderHttpOptions {
  /** API base URL; may carry a path prefix. @default 'https://api.polygon.io' (Massive: 'https://api.massive.com') */
  baseUrl?: string;
  /** The API key, sent as `Authorization: Bearer`. @default env POLYGON_API_KEY (Massive: MASSIVE_API_KEY) */
  apiKey?: string;
  /** Resolves the key per call instead of `apiKey`; refreshed once after a 401. @default undefined */
  keyResolver?: ProviderKeyResolver;
  /** Most pages of aggregates followed through `next_url`; a longer series is returned `truncated`. @default 20 */
  pageCap?: number;
  /** Aggregates per page (the `limit` parameter); Polygon's maximum is 50 000. @default 50_000 */
  pageSize?: number;
  /** Largest number of tickers in one snapshot request. @default 100 */
  maxBatchSize?: number;
  /** How long an endpoint answered 403 NOT_AUTHORIZED is skipped for this key, ms. @default 3_600_000 */
  entitlementRetryMs?: number;
}

const PolygonOptionsSchema = z.strictObject({
  ...httpOptionsShape,
  pageCap: z.number().int().min(1).max(1000).optional(),
  pageSize: z.number().int().min(1).max(50_000).optional(),
  maxBatchSize: z.number().int().min(1).max(1000).optional(),
  entitlementRetryMs: z.number().int().nonnegative().optional(),
});

const TIMESPANS = {
  '1m': [1, 'minute'],
  '5m': [5, 'minute'],
  '15m': [15, 'minute'],
  '30m': [30, 'minute'],
  '1h': [1, 'hour'],
  '1d': [1, 'day'],
  '1w': [1, 'week'],
  '1mo': [1, 'month'],
} as const;

/**
 * The Polygon / Massive adapter for one preset (name, base URL, key variable). Batch quotes come
 * from the snapshot tickers endpoints (v3 for indices), with per-symbol fallbacks when the key's
 * plan lacks them; bars from `/v2/aggs` with `next_url` pagination under a page cap.
 */
export function createPolygonAdapter(preset: PolygonPreset, options: PolygonOptions = {}): Provider {
  const { name } = preset;
  const o = parseProviderOptions(PolygonOptionsSchema, options, name) as PolygonOptions;
  const { transport, calendar, probeSymbol, concurrency } = adapterBasics(name, o);
  const baseUrl = o.baseUrl ?? preset.baseUrl;
  const keys = createKeySource(name, o.apiKey, o.keyResolver, preset.keyVariables);
  const requester = createPolygonRequester(name, baseUrl, transport, keys);
  const pageCap = o.pageCap ?? 20;
  const maxBatchSize = o.maxBatchSize ?? 100;
  const quotesOf = createPolygonQuotes({
    name,
    requester,
    clock: transport.clock,
    calendar,
    maxBatchSize,
    concurrency,
    entitlementRetryMs: o.entitlementRetryMs ?? 3_600_000,
  });

  const capabilities: ProviderCapabilities = {
    batchQuotes: true,
    maxBatchSize,
    intervals: ['1m', '5m', '15m', '30m', '1h', '1d', '1w', '1mo'],
    assetClasses: ['equity', 'etf', 'index', 'crypto', 'fx'],
    adjustments: ['split', 'raw'],
    needsKey: true,
    freeTier: {
      requestsPerMinute: 5,
      note: 'Basic (free) plan: 5 requests per minute, end-of-day data and 2 years of history; snapshots, last trade/quote and recent data need a paid plan (403 NOT_AUTHORIZED otherwise).',
    },
    streaming: POLYGON_STREAMING,
  };
  const streams = new Set<ProviderStream>();

  async function bars(symbol: string, barsOptions: BarsOptions): Promise<BarSeries> {
    const { signal } = barsOptions;
    if (signal?.aborted) throw signal.reason;
    const p = planOne(symbol, polygonDialect, name, 'bars');
    const timespan = TIMESPANS[barsOptions.interval as keyof typeof TIMESPANS];
    if (timespan === undefined) {
      throw new ProviderError(
        `interval ${String(barsOptions.interval)} is not one of ${capabilities.intervals.join(', ')}`,
        { provider: name, kind: 'bad_request', operation: 'bars', symbols: [p.symbol] },
      );
    }
    const adjustment = barsOptions.adjustment ?? 'split';
    if (adjustment !== 'split' && adjustment !== 'raw') {
      throw new ProviderError(`${name} aggregates are split-adjusted or raw; ${adjustment} was asked`, {
        provider: name,
        kind: 'unavailable',
        retryable: false,
        operation: 'bars',
        symbols: [p.symbol],
      });
    }
    const range = resolveBarRange(barsOptions.from, barsOptions.to, name);
    const ctx = { provider: name, operation: 'bars', symbols: [p.symbol] };
    const results: Agg[] = [];
    let delayed = false;
    let truncated = false;
    let next: URL | { path: string; query: Record<string, string | number> } | undefined = {
      path: `/v2/aggs/ticker/${encodePathSegment(p.native)}/range/${timespan[0]}/${timespan[1]}/${range.from}/${range.to}`,
      query: { adjusted: adjustment === 'split' ? 'true' : 'false', sort: 'asc', limit: o.pageSize ?? 50_000 },
    };
    for (let page = 0; next !== undefined; page++) {
      if (page === pageCap) {
        truncated = true;
        break;
      }
      const answer = await requester.get(next, 'bars', [p.symbol], signal);
      const body = validateBody(AggsResponse, answer.body, ctx, answer.response, 'aggregates');
      results.push(...(body.results ?? []));
      delayed ||= answer.delayed;
      next = body.next_url === undefined || body.next_url === '' ? undefined : nextPageUrl(body.next_url, baseUrl);
    }
    const m = marketOf(p.symbol);
    return checkedSeries(
      seriesFromAggs(results, {
        provider: name,
        symbol: p.symbol,
        interval: barsOptions.interval,
        zone: m.zone,
        adjustment,
        delayed,
        truncated,
        currency: m.currency,
      }),
      name,
    );
  }

  return {
    name,
    capabilities,
    supports: (symbol) => polygonDialect.toProvider(symbol) !== null,
    async quotes(symbols, callOptions: CallOptions = {}) {
      const { signal } = callOptions;
      if (signal?.aborted) throw signal.reason;
      const plan = planQuotes(symbols, polygonDialect, name);
      const r = await quotesOf(plan.send, signal);
      const out: QuoteResults = { quotes: r.quotes, errors: [...plan.errors, ...r.errors] };
      return out;
    },
    bars,
    probe(probeOptions: CallOptions = {}) {
      const { signal } = probeOptions;
      return runProbe(name, signal, async () => {
        const p = planOne(probeSymbol, polygonDialect, name, 'probe');
        const answer = await requester.get(
          { path: `/v2/aggs/ticker/${encodePathSegment(p.native)}/prev` },
          'probe',
          [p.symbol],
          signal,
        );
        validateBody(
          AggsResponse,
          answer.body,
          { provider: name, operation: 'probe', symbols: [p.symbol] },
          answer.response,
          'previous close',
        );
      });
    },
    stream(streamOptions) {
      const stream = openPolygonStream({ name, keys, clock: transport.clock, calendar }, streamOptions);
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

/**
 * The Polygon.io adapter (`https://api.polygon.io`, key from `POLYGON_API_KEY` by default).
 *
 * @example
 * const polygon = polygonProvider({ apiKey: process.env.POLYGON_API_KEY });
 * const { quotes, errors } = await polygon.quotes(['AAPL', 'BRK.B', 'BTC-USD']);
 * const series = await polygon.bars('BTC-USD', { interval: '1d', from: '2023-01-01', to: '2023-01-10' });
 */
export function polygonProvider(options: PolygonOptions = {}): Provider {
  return createPolygonAdapter(POLYGON_PRESET, options);
}

/**
 * The Massive adapter: Polygon renamed (2025-10-30), same paths and shapes, at
 * `https://api.massive.com` with the key from `MASSIVE_API_KEY` by default.
 *
 * @example
 * const massive = massiveProvider({ apiKey: process.env.MASSIVE_API_KEY });
 * const series = await massive.bars('AAPL', { interval: '1d', from: '2023-01-01', to: '2023-01-10' });
 */
export function massiveProvider(options: PolygonOptions = {}): Provider {
  return createPolygonAdapter(MASSIVE_PRESET, options);
}
