import { type Adjustment, type BarSeries, ProviderError, parseSymbol, type Quote } from '@stockade/core';
import { z } from 'zod';
import { endpointUrl } from '../http/endpoint-url.js';
import { responseError, statusKind } from '../http/errors.js';
import { parseJsonBody, validateBody } from '../http/response-body.js';
import { createKeySource } from '../key-source.js';
import { checkedQuote, checkedSeries } from '../normalized.js';
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
import { fanOutQuotes } from '../quote-fan-out.js';
import { type PlannedSymbol, planOne, planQuotes } from '../quote-plan.js';
import { type AlphaVantageInstrument, alphaVantageDialect } from '../symbols/alphavantage-dialect.js';
import { resolveBarRange } from '../time/bar-range.js';
import { classifyAlphaVantageBody } from './errors.js';
import { planSeries, type SeriesPlan } from './functions.js';
import { barFromEntry, quoteFromExchangeRate, quoteFromGlobalQuote, seriesOf } from './normalize.js';
import { ExchangeRateResponse, GlobalQuote, GlobalQuoteResponse, SeriesEntry, SeriesMeta } from './schemas.js';

/** Options of {@link alphaVantageProvider}. */
export interface AlphaVantageOptions extends ProviderHttpOptions {
  /** API base URL; may carry a path prefix. @default 'https://www.alphavantage.co' */
  baseUrl?: string;
  /** The API key (sent as `apikey=` in the query string, which is why it is redacted everywhere). @default env ALPHA_VANTAGE_API_KEY */
  apiKey?: string;
  /** Resolves the key per call instead of `apiKey`; refreshed once after an auth failure. @default undefined */
  keyResolver?: ProviderKeyResolver;
  /** The key's plan includes real-time US data (`entitlement=realtime`); otherwise quotes are marked delayed. @default false */
  realtime?: boolean;
}

const AlphaVantageOptionsSchema = z.strictObject({ ...httpOptionsShape, realtime: z.boolean().optional() });

/**
 * The Alpha Vantage adapter: `GLOBAL_QUOTE` per equity, `CURRENCY_EXCHANGE_RATE` per crypto or
 * fx pair; bars from `TIME_SERIES_DAILY` (raw), `TIME_SERIES_INTRADAY` (split- and
 * dividend-adjusted unless raw is asked), `DIGITAL_CURRENCY_DAILY`, `FX_DAILY` and their weekly
 * and monthly forms. Its HTTP-200 error bodies are classified by key; the key, which travels in
 * the query string, is redacted from every URL and message.
 *
 * @example
 * const av = alphaVantageProvider({ apiKey: process.env.ALPHA_VANTAGE_API_KEY });
 * const { quotes } = await av.quotes(['MSFT']);
 */
export function alphaVantageProvider(options: AlphaVantageOptions = {}): Provider {
  const o = parseProviderOptions(AlphaVantageOptionsSchema, options, 'alphavantage') as AlphaVantageOptions;
  const name = 'alphavantage';
  const { transport, calendar, probeSymbol, concurrency } = adapterBasics(name, o);
  const clock = transport.clock;
  const baseUrl = o.baseUrl ?? 'https://www.alphavantage.co';
  const keys = createKeySource(name, o.apiKey, o.keyResolver, [
    'STOCKADE_PROVIDERS_ALPHAVANTAGE_API_KEY',
    'ALPHA_VANTAGE_API_KEY',
    'ALPHAVANTAGE_API_KEY',
  ]);
  const realtime = o.realtime === true;

  const capabilities: ProviderCapabilities = {
    batchQuotes: false,
    maxBatchSize: 1,
    intervals: ['1m', '5m', '15m', '30m', '1h', '1d', '1w', '1mo'],
    assetClasses: ['equity', 'etf', 'crypto', 'fx'],
    adjustments: ['raw', 'split_dividend'],
    needsKey: true,
    freeTier: {
      requestsPerDay: 25,
      note: '25 requests per day on a free key (formerly 5 per minute and 500 per day); real-time and 15-minute delayed US data, adjusted daily series and intraday crypto/fx are premium.',
    },
  };

  async function query(
    params: Record<string, string>,
    operation: string,
    symbols: readonly string[],
    signal?: AbortSignal,
  ): Promise<Record<string, unknown>> {
    const ctx = { provider: name, operation, symbols };
    for (let attempt = 0; ; attempt++) {
      const key = await keys.get(signal);
      const url = endpointUrl(baseUrl, '/query', {
        ...params,
        ...(realtime ? { entitlement: 'realtime' } : {}),
        apikey: key,
      });
      const res = await transport.get(url, { signal, operation, symbols });
      if (res.status !== 200)
        throw responseError(ctx, res, statusKind(res.status), res.text.trim().slice(0, 200) || `HTTP ${res.status}`);
      const body = parseJsonBody(res.text, ctx, res);
      const failure = classifyAlphaVantageBody(body, clock.now());
      if (failure === undefined) {
        if (typeof body !== 'object' || body === null || Array.isArray(body))
          throw responseError(ctx, res, 'bad_response', 'expected a JSON object');
        return body as Record<string, unknown>;
      }
      if (failure.kind === 'auth' && attempt === 0 && (await keys.refresh())) continue;
      throw responseError(
        ctx,
        { ...res, retryAfterMs: res.retryAfterMs ?? failure.retryAfterMs },
        failure.kind,
        failure.detail,
      );
    }
  }

  const quoteContext = (symbol: string) => ({ symbol, now: clock.now(), calendar, realtime });

  async function quoteOne(
    p: PlannedSymbol<AlphaVantageInstrument>,
    signal: AbortSignal | undefined,
    operation = 'quotes',
  ): Promise<Quote> {
    const ctx = { provider: name, operation, symbols: [p.symbol] };
    const facts = { status: 200 };
    const instrument = p.native;
    if (instrument.kind === 'equity') {
      const body = validateBody(
        GlobalQuoteResponse,
        await query({ function: 'GLOBAL_QUOTE', symbol: instrument.symbol }, operation, [p.symbol], signal),
        ctx,
        facts,
        'GLOBAL_QUOTE',
      );
      if (Object.keys(body['Global Quote']).length === 0)
        throw responseError(
          ctx,
          facts,
          'not_found',
          `${instrument.symbol} is not known to Alpha Vantage (empty Global Quote)`,
        );
      const g = validateBody(GlobalQuote, body['Global Quote'], ctx, facts, 'GLOBAL_QUOTE "Global Quote"');
      return checkedQuote(
        quoteFromGlobalQuote(g, instrument, parseSymbol(p.symbol).exchange ?? 'US', quoteContext(p.symbol)),
        name,
        operation,
      );
    }
    const [from, to] =
      instrument.kind === 'crypto' ? [instrument.symbol, instrument.market] : [instrument.from, instrument.to];
    const body = validateBody(
      ExchangeRateResponse,
      await query(
        { function: 'CURRENCY_EXCHANGE_RATE', from_currency: from, to_currency: to },
        operation,
        [p.symbol],
        signal,
      ),
      ctx,
      facts,
      'CURRENCY_EXCHANGE_RATE',
    );
    return checkedQuote(
      quoteFromExchangeRate(body['Realtime Currency Exchange Rate'], quoteContext(p.symbol)),
      name,
      operation,
    );
  }

  async function fetchSeries(
    p: PlannedSymbol<AlphaVantageInstrument>,
    plan: SeriesPlan,
    range: { fromMs: number; toMs: number },
    interval: BarsOptions['interval'],
    signal?: AbortSignal,
  ): Promise<BarSeries> {
    const ctx = { provider: name, operation: 'bars', symbols: [p.symbol] };
    const facts = { status: 200 };
    const body = await query(plan.params, 'bars', [p.symbol], signal);
    const seriesKey = Object.keys(body).find((k) => /time series/i.test(k));
    if (seriesKey === undefined)
      throw responseError(
        ctx,
        facts,
        'bad_response',
        `${plan.params.function} answered without a time series (keys: ${Object.keys(body).join(', ')})`,
      );
    const meta =
      validateBody(SeriesMeta.optional(), body['Meta Data'], ctx, facts, `${plan.params.function} "Meta Data"`) ?? {};
    const zoneKey = Object.keys(meta).find((k) => /time zone/i.test(k));
    const zone = (zoneKey === undefined ? undefined : meta[zoneKey]) ?? plan.defaultZone;
    const entries = validateBody(
      z.record(z.string(), SeriesEntry),
      body[seriesKey],
      ctx,
      facts,
      `${plan.params.function} "${seriesKey}"`,
    );
    const bars = [];
    for (const [stamp, entry] of Object.entries(entries)) {
      const read = barFromEntry(stamp, entry, zone);
      if ('problem' in read)
        throw responseError(ctx, facts, 'bad_response', `${plan.params.function}: ${read.problem}`);
      bars.push(read.bar);
    }
    return checkedSeries(
      seriesOf(bars, {
        symbol: p.symbol,
        interval,
        zone,
        ...range,
        adjustment: plan.adjustment,
        currency: plan.currency,
      }),
      name,
    );
  }

  return {
    name,
    capabilities,
    supports: (symbol) => alphaVantageDialect.toProvider(symbol) !== null,
    async quotes(symbols, callOptions: CallOptions = {}) {
      const { signal } = callOptions;
      if (signal?.aborted) throw signal.reason;
      const plan = planQuotes(symbols, alphaVantageDialect, name);
      const out: QuoteResults = { quotes: [], errors: [...plan.errors] };
      const r = await fanOutQuotes(
        plan.send,
        (p) => p.symbol,
        (p, s) => quoteOne(p, s),
        { concurrency, signal },
      );
      out.quotes.push(...r.quotes);
      out.errors.push(...r.errors);
      return out;
    },
    async bars(symbol, barsOptions: BarsOptions) {
      const { signal } = barsOptions;
      if (signal?.aborted) throw signal.reason;
      const p = planOne(symbol, alphaVantageDialect, name, 'bars');
      const range = resolveBarRange(barsOptions.from, barsOptions.to, name);
      const plan = planSeries(
        p.native,
        barsOptions.interval,
        barsOptions.adjustment as Adjustment | undefined,
        range,
        clock.now(),
      );
      if ('unavailable' in plan) {
        throw new ProviderError(plan.unavailable, {
          provider: name,
          kind: plan.kind,
          retryable: false,
          operation: 'bars',
          symbols: [p.symbol],
        });
      }
      return fetchSeries(p, plan, range, barsOptions.interval, signal);
    },
    probe(probeOptions: CallOptions = {}) {
      const { signal } = probeOptions;
      return runProbe(name, signal, async () => {
        const p = planOne(probeSymbol, alphaVantageDialect, name, 'probe');
        return quoteOne(p, signal, 'probe');
      });
    },
    poolStats: () => transport.stats(),
    onResponseHeaders: (listener) => transport.onResponseHeaders(listener),
    close: () => transport.close(),
  };
}
