import { newYorkOffsetMs } from '@stockade/core';
import { gatewayPage, type ProviderDialect, type Route, type RouteContext, type SimReply } from '../route.js';
import { KNOWN_PROFILES, profileOf } from '../symbol-profiles.js';
import { currencyExchangeRate, digitalCurrencyDaily, fxDaily } from './alphavantage-currency.js';
import { avReply, driftKeys, fixed, invalidCall } from './alphavantage-format.js';
import { globalQuote, timeSeriesDaily, timeSeriesIntraday } from './alphavantage-series.js';

/** `SYMBOL_SEARCH`: best matches among the simulator's US equities and ETFs. */
function symbolSearch(ctx: RouteContext, listed: () => readonly string[]): SimReply {
  const keywords = (ctx.query.get('keywords') ?? '').trim().toUpperCase();
  if (keywords === '') return invalidCall('SYMBOL_SEARCH');
  const symbols = listed().length > 0 ? listed() : [...KNOWN_PROFILES.keys()];
  const offsetHours = newYorkOffsetMs(ctx.view.now) / 3_600_000;
  const matches: Array<{ score: number; fields: Record<string, string> }> = [];
  for (const symbol of symbols) {
    const p = profileOf(symbol);
    if ((p.assetClass !== 'equity' && p.assetClass !== 'etf') || ctx.view.path(symbol) === null) continue;
    const name = p.longName.toUpperCase();
    const score =
      symbol === keywords
        ? 1
        : symbol.startsWith(keywords)
          ? keywords.length / symbol.length
          : name.includes(keywords)
            ? (0.5 * keywords.length) / name.length
            : 0;
    if (score === 0) continue;
    matches.push({
      score,
      fields: {
        '1. symbol': symbol,
        '2. name': p.longName,
        '3. type': p.assetClass === 'etf' ? 'ETF' : 'Equity',
        '4. region': 'United States',
        '5. marketOpen': '09:30',
        '6. marketClose': '16:00',
        '7. timezone': `UTC${offsetHours < 0 ? '-' : '+'}${String(Math.abs(offsetHours)).padStart(2, '0')}`,
        '8. currency': 'USD',
        '9. matchScore': fixed(score, 4),
      },
    });
  }
  matches.sort((a, b) => b.score - a.score || (a.fields['1. symbol'] ?? '').localeCompare(b.fields['1. symbol'] ?? ''));
  const bestMatches = matches.slice(0, 10).map((m) => m.fields);
  driftKeys(ctx, bestMatches, '1. symbol', '1. ticker');
  return avReply({ bestMatches });
}

const NOTE =
  'Thank you for using Alpha Vantage! Our standard API call frequency is {N} calls per minute and 500 calls per day. Please visit https://www.alphavantage.co/premium/ if you would like to target a higher API call frequency.';

/** Alpha Vantage: `/query?function=…`; every error is an HTTP 200 with one key. */
export function createAlphaVantageDialect(listed: () => readonly string[]): ProviderDialect {
  const handlers: Readonly<Record<string, (ctx: RouteContext) => SimReply>> = {
    GLOBAL_QUOTE: globalQuote,
    TIME_SERIES_DAILY: timeSeriesDaily,
    TIME_SERIES_INTRADAY: timeSeriesIntraday,
    SYMBOL_SEARCH: (ctx) => symbolSearch(ctx, listed),
    CURRENCY_EXCHANGE_RATE: currencyExchangeRate,
    FX_DAILY: fxDaily,
    DIGITAL_CURRENCY_DAILY: digitalCurrencyDaily,
  };
  const routes = new Map<string, Route>(
    Object.entries(handlers).map(([fn, handle]) => [fn, { endpoint: fn, keyed: true, handle }] as const),
  );
  return {
    match(path, query) {
      if (path !== '/query') return null;
      const fn = query.get('function') ?? '';
      return (
        routes.get(fn) ?? {
          endpoint: fn === '' ? 'unknown' : fn,
          keyed: true,
          handle: () => avReply({ 'Error Message': `This API function (${fn}) does not exist.` }),
        }
      );
    },
    apiKeyOf: (query) => query.get('apikey') ?? undefined,
    unauthorized: () =>
      avReply({
        'Error Message':
          'the parameter apikey is invalid or missing. Please claim your free API key on (https://www.alphavantage.co/support/#api-key). It should take less than 20 seconds.',
      }),
    quotaExceeded(ctx, breach) {
      if (breach === 'day') {
        // The real message echoes the key: adapters must redact it before logging.
        return avReply({
          Information: `We have detected your API key as ${ctx.apiKey ?? ''} and our standard API rate limit is ${ctx.faults.quota?.perDay ?? 25} requests per day. Please subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly remove all daily rate limits.`,
        });
      }
      return avReply({ Note: NOTE.replace('{N}', String(ctx.faults.quota?.perMinute ?? 5)) });
    },
    rateLimited: (_ctx, retryAfterSec) => ({
      ...avReply({ Note: NOTE.replace('{N}', '5') }),
      status: 429,
      headers: { 'retry-after': String(retryAfterSec) },
    }),
    serverError: (_ctx, status) => gatewayPage(status),
    notEntitled: () =>
      avReply({
        Information:
          'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints',
      }),
    notFound: () => ({ status: 404, contentType: 'text/html', body: '<h1>Not Found</h1>' }),
  };
}
