import { dailyBars } from '../bars.js';
import { quoteSnapshot, scaleBar } from '../market-view.js';
import type { PricePath } from '../price-path.js';
import type { RouteContext, SimReply } from '../route.js';
import { canonicalOrNull } from '../symbols.js';
import { avReply, CURRENCY_NAMES, driftKeys, fixed, invalidCall, utcStamp } from './alphavantage-format.js';

const DAY_MS = 86_400_000;

/** The path of a currency pair: an fx pair, a crypto pair, or the inverse fx pair. */
function pairPath(ctx: RouteContext, from: string, to: string): { path: PricePath; inverse: boolean } | null {
  const candidates: Array<[string, boolean]> = [
    [`${from}${to}=X`, false],
    [`${from}-${to}`, false],
    [`${to}${from}=X`, true],
  ];
  for (const [symbol, inverse] of candidates) {
    const canonical = canonicalOrNull(symbol);
    const path = canonical === null ? null : ctx.view.path(canonical);
    if (path !== null) return { path, inverse };
  }
  return null;
}

const codeOf = (ctx: RouteContext, name: string) => (ctx.query.get(name) ?? '').toUpperCase();
const nameOf = (code: string) => CURRENCY_NAMES[code] ?? code;

/** `CURRENCY_EXCHANGE_RATE`: the realtime rate between two currencies, fiat or digital. */
export function currencyExchangeRate(ctx: RouteContext): SimReply {
  const from = codeOf(ctx, 'from_currency');
  const to = codeOf(ctx, 'to_currency');
  const pair = from === '' || to === '' ? null : pairPath(ctx, from, to);
  if (pair === null) return invalidCall('CURRENCY_EXCHANGE_RATE');
  const q = quoteSnapshot(ctx.view, pair.path);
  if (ctx.view.isWrong(pair.path.profile.symbol)) ctx.served('wrongPrice');
  const rate = pair.inverse ? 1 / q.price : q.price;
  const fields: Record<string, string> = {
    '1. From_Currency Code': from,
    '2. From_Currency Name': nameOf(from),
    '3. To_Currency Code': to,
    '4. To_Currency Name': nameOf(to),
    '5. Exchange Rate': fixed(rate, 8),
    '6. Last Refreshed': utcStamp(q.time),
    '7. Time Zone': 'UTC',
    '8. Bid Price': fixed(rate * 0.99997, 8),
    '9. Ask Price': fixed(rate * 1.00003, 8),
  };
  driftKeys(ctx, [fields], '5. Exchange Rate', '5. Rate');
  return avReply({ 'Realtime Currency Exchange Rate': fields });
}

/** `FX_DAILY`: daily bars of an fx pair (no volume), newest first. */
export function fxDaily(ctx: RouteContext): SimReply {
  const from = codeOf(ctx, 'from_symbol');
  const to = codeOf(ctx, 'to_symbol');
  const canonical = canonicalOrNull(`${from}${to}=X`);
  const path = from === '' || to === '' || canonical === null ? null : ctx.view.path(canonical);
  if (path === null) return invalidCall('FX_DAILY');
  const full = ctx.query.get('outputsize') === 'full';
  const now = ctx.view.now;
  const bars = dailyBars(path, full ? path.startsAt : now - 160 * DAY_MS, now, now, 'midnight');
  const kept = full ? bars : bars.slice(-100);
  if (ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
  const series: Record<string, Record<string, string>> = {};
  for (const bar of kept.reverse()) {
    const b = scaleBar(bar, ctx.view.factor(path.profile.symbol, bar.t));
    series[new Date(bar.t).toISOString().slice(0, 10)] = {
      '1. open': fixed(b.o, 5),
      '2. high': fixed(b.h, 5),
      '3. low': fixed(b.l, 5),
      '4. close': fixed(b.c, 5),
    };
  }
  driftKeys(ctx, Object.values(series), '4. close', '4. last');
  return avReply({
    'Meta Data': {
      '1. Information': 'Forex Daily Prices (open, high, low, close)',
      '2. From Symbol': from,
      '3. To Symbol': to,
      '4. Output Size': full ? 'Full size' : 'Compact',
      '5. Last Refreshed': utcStamp(Math.min(now, quoteSnapshot(ctx.view, path).time)),
      '6. Time Zone': 'UTC',
    },
    'Time Series FX (Daily)': series,
  });
}

/** `DIGITAL_CURRENCY_DAILY`: daily bars of a crypto pair over its whole history, newest first. */
export function digitalCurrencyDaily(ctx: RouteContext): SimReply {
  const symbol = codeOf(ctx, 'symbol');
  const market = codeOf(ctx, 'market');
  const canonical = canonicalOrNull(`${symbol}-${market}`);
  const path = symbol === '' || market === '' || canonical === null ? null : ctx.view.path(canonical);
  if (path === null || path.profile.assetClass !== 'crypto') return invalidCall('DIGITAL_CURRENCY_DAILY');
  const now = ctx.view.now;
  const bars = dailyBars(path, path.startsAt, now, now, 'midnight').filter((b) => !b.partial);
  if (ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
  const series: Record<string, Record<string, string>> = {};
  for (const bar of bars.reverse()) {
    const b = scaleBar(bar, ctx.view.factor(path.profile.symbol, bar.t));
    series[new Date(bar.t).toISOString().slice(0, 10)] = {
      '1. open': fixed(b.o, 8),
      '2. high': fixed(b.h, 8),
      '3. low': fixed(b.l, 8),
      '4. close': fixed(b.c, 8),
      '5. volume': fixed(b.v, 8),
    };
  }
  driftKeys(ctx, Object.values(series), '4. close', '4. last');
  const last = Object.keys(series)[0];
  return avReply({
    'Meta Data': {
      '1. Information': 'Daily Prices and Volumes for Digital Currency',
      '2. Digital Currency Code': symbol,
      '3. Digital Currency Name': nameOf(symbol),
      '4. Market Code': market,
      '5. Market Name': nameOf(market),
      '6. Last Refreshed': last === undefined ? '' : `${last} 00:00:00`,
      '7. Time Zone': 'UTC',
    },
    'Time Series (Digital Currency Daily)': series,
  });
}
