import { dailyBars, intradayBars, type SimBar } from '../bars.js';
import { splitFactorAt } from '../corporate-actions.js';
import { quoteSnapshot, scaleBar } from '../market-view.js';
import type { PricePath } from '../price-path.js';
import type { RouteContext, SimReply } from '../route.js';
import { fromAlphaVantage } from '../symbols.js';
import { avReply, driftKeys, easternStamp, fixed, invalidCall } from './alphavantage-format.js';

const DAY_MS = 86_400_000;
const INTERVALS: Readonly<Record<string, number>> = { '1min': 1, '5min': 5, '15min': 15, '30min': 30, '60min': 60 };

function equityPath(ctx: RouteContext): PricePath | null {
  const symbol = ctx.query.get('symbol');
  const canonical = symbol === null ? null : fromAlphaVantage(symbol);
  return canonical === null ? null : ctx.view.path(canonical);
}

/** Formats a bar the way Alpha Vantage's equity series do. */
function ohlcv(bar: SimBar, volumeDivisor = 1): Record<string, string> {
  return {
    '1. open': fixed(bar.o, 4),
    '2. high': fixed(bar.h, 4),
    '3. low': fixed(bar.l, 4),
    '4. close': fixed(bar.c, 4),
    '5. volume': String(Math.round(bar.v / volumeDivisor)),
  };
}

/** `GLOBAL_QUOTE`: the latest price and day figures; `{"Global Quote": {}}` for an unknown symbol. */
export function globalQuote(ctx: RouteContext): SimReply {
  if (ctx.query.get('symbol') === null) return invalidCall('GLOBAL_QUOTE');
  const path = equityPath(ctx);
  if (path === null) return avReply({ 'Global Quote': {} });
  const q = quoteSnapshot(ctx.view, path);
  if (ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
  const change = q.price - q.previousClose;
  const fields: Record<string, string> = {
    '01. symbol': (ctx.query.get('symbol') ?? '').toUpperCase(),
    '02. open': fixed(q.day?.o ?? q.price, 4),
    '03. high': fixed(q.day?.h ?? q.price, 4),
    '04. low': fixed(q.day?.l ?? q.price, 4),
    '05. price': fixed(q.price, 4),
    '06. volume': String(Math.round(q.day?.v ?? 0)),
    '07. latest trading day': q.session?.date ?? '',
    '08. previous close': fixed(q.previousClose, 4),
    '09. change': fixed(change, 4),
    '10. change percent': `${fixed((change / q.previousClose) * 100, 4)}%`,
  };
  driftKeys(ctx, [fields], '05. price', '05. last');
  return avReply({ 'Global Quote': fields });
}

/** `TIME_SERIES_DAILY`: raw (split-unadjusted) daily bars of completed sessions, newest first. */
export function timeSeriesDaily(ctx: RouteContext): SimReply {
  const path = equityPath(ctx);
  if (path === null) return invalidCall('TIME_SERIES_DAILY');
  const full = ctx.query.get('outputsize') === 'full';
  const now = ctx.view.now;
  const from = full ? Math.max(path.startsAt, now - 20 * 365 * DAY_MS) : now - 160 * DAY_MS;
  const bars = dailyBars(path, from, now, now, 'midnight').filter((b) => !b.partial);
  const kept = full ? bars : bars.slice(-100);
  if (kept.length > 0 && ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
  const series: Record<string, Record<string, string>> = {};
  for (const bar of kept.reverse()) {
    const split = splitFactorAt(path, bar.t, now);
    const scaled = scaleBar(bar, ctx.view.factor(path.profile.symbol, bar.t) * split);
    // Before a split there were fewer shares at a higher price.
    series[easternStamp(bar.t).slice(0, 10)] = ohlcv(scaled, split);
  }
  const dates = Object.keys(series);
  driftKeys(ctx, Object.values(series), '4. close', '4. last');
  return avReply({
    'Meta Data': {
      '1. Information': 'Daily Prices (open, high, low, close) and Volumes',
      '2. Symbol': (ctx.query.get('symbol') ?? '').toUpperCase(),
      '3. Last Refreshed': dates[0] ?? '',
      '4. Output Size': full ? 'Full size' : 'Compact',
      '5. Time Zone': 'US/Eastern',
    },
    'Time Series (Daily)': series,
  });
}

/** `TIME_SERIES_INTRADAY`: complete intraday bars, newest first, stamped with their start (US/Eastern). */
export function timeSeriesIntraday(ctx: RouteContext): SimReply {
  const path = equityPath(ctx);
  const interval = ctx.query.get('interval') ?? '';
  const minutes = INTERVALS[interval];
  if (path === null || minutes === undefined) return invalidCall('TIME_SERIES_INTRADAY');
  const extended = ctx.query.get('extended_hours') !== 'false' && path.schedule.extendedHours;
  const full = ctx.query.get('outputsize') === 'full';
  const now = ctx.view.now;
  const month = ctx.query.get('month');
  let from: number;
  let to = now;
  if (month !== null && /^\d{4}-\d{2}$/.test(month)) {
    from = Date.parse(`${month}-01T00:00:00Z`);
    const d = new Date(from);
    to = Math.min(now, Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  } else if (full) {
    from = now - 30 * DAY_MS;
  } else {
    // Enough sessions back for 100 bars.
    const perSession = (extended ? 960 : 390) / minutes;
    let s = path.schedule.latest(now);
    for (let i = 0; s !== null && i < Math.ceil(100 / perSession); i++) s = path.schedule.previous(s);
    from = s?.midnight ?? now - 7 * DAY_MS;
  }
  const bars = intradayBars(path, {
    from,
    to,
    intervalMs: minutes * 60_000,
    align: (s) => s.midnight,
    extended,
    now,
  }).filter((b) => !b.partial);
  const kept = full || month !== null ? bars : bars.slice(-100);
  if (ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
  const series: Record<string, Record<string, string>> = {};
  for (const bar of kept.reverse()) {
    series[easternStamp(bar.t)] = ohlcv(scaleBar(bar, ctx.view.factor(path.profile.symbol, bar.t)));
  }
  driftKeys(ctx, Object.values(series), '4. close', '4. last');
  return avReply({
    'Meta Data': {
      '1. Information': `Intraday (${interval}) open, high, low, close prices and volume`,
      '2. Symbol': (ctx.query.get('symbol') ?? '').toUpperCase(),
      '3. Last Refreshed': Object.keys(series)[0] ?? '',
      '4. Interval': interval,
      '5. Output Size': full ? 'Full size' : 'Compact',
      '6. Time Zone': 'US/Eastern',
    },
    [`Time Series (${interval})`]: series,
  });
}
