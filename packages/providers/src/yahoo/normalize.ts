import type { Bar, BarSeries, Dividend, Interval, MarketSession, Quote, Split } from '@stockade/core';
import { orderedBars } from '../normalized.js';
import type { SessionCalendar } from '../provider.js';
import { dateInZone } from '../time/time-zone.js';
import type { ChartMeta, ChartResult, QuoteItem } from './schemas.js';

const PROVIDER = 'yahoo';

/** Yahoo's `marketState` in the calendar's words. `PREPRE`/`POSTPOST` are the overnight gap. */
export function yahooMarketState(state: string | undefined): MarketSession {
  switch (state?.toUpperCase()) {
    case 'PRE':
      return 'pre';
    case 'REGULAR':
      return 'regular';
    case 'POST':
      return 'post';
    case 'PREPRE':
    case 'POSTPOST':
    case 'CLOSED':
      return 'closed';
    default:
      return 'unknown';
  }
}

/** The session at `now` from the chart's `currentTradingPeriod`, else from the calendar. */
function chartMarketState(meta: ChartMeta, symbol: string, now: number, calendar: SessionCalendar): MarketSession {
  const p = meta.currentTradingPeriod;
  const at = Math.floor(now / 1000);
  const within = (period: { start: number; end: number } | undefined) =>
    period !== undefined && at >= period.start && at < period.end;
  if (p?.regular !== undefined) {
    if (within(p.regular)) return 'regular';
    if (within(p.pre)) return 'pre';
    if (within(p.post)) return 'post';
    return 'closed';
  }
  return calendar.session(symbol, now);
}

const positive = (n: number | null | undefined): number | undefined =>
  typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;
const nonNegative = (n: number | null | undefined): number | undefined =>
  typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;

function changeOf(
  price: number,
  previousClose: number | undefined,
): { change: number | null; changePercent: number | null } {
  if (previousClose === undefined) return { change: null, changePercent: null };
  const change = price - previousClose;
  return { change, changePercent: (change / previousClose) * 100 };
}

/** What a quote needs besides the payload. */
export interface QuoteContext {
  /** Canonical symbol. */
  symbol: string;
  /** Now, epoch ms. */
  now: number;
  /** Calendar for the session when Yahoo does not state it. */
  calendar: SessionCalendar;
  /** Currency when Yahoo sends none (the pair's quote currency, or USD for US listings). */
  fallbackCurrency: string;
}

/** A `/v7/finance/quote` item as a core `Quote`. A `0` bid or ask means "none" at Yahoo and is dropped. */
export function quoteFromQuoteItem(item: QuoteItem, ctx: QuoteContext): Quote {
  const previousClose = positive(item.regularMarketPreviousClose);
  const q: Quote = {
    symbol: ctx.symbol,
    price: item.regularMarketPrice,
    ...changeOf(item.regularMarketPrice, previousClose),
    currency: item.currency ?? ctx.fallbackCurrency,
    exchange: item.exchange ?? '',
    marketState:
      item.marketState === undefined ? ctx.calendar.session(ctx.symbol, ctx.now) : yahooMarketState(item.marketState),
    asOf: Math.round(item.regularMarketTime * 1000),
    provider: PROVIDER,
    stale: false,
    delayed: (item.exchangeDataDelayedBy ?? 0) > 0,
    receivedAt: ctx.now,
  };
  const bid = positive(item.bid);
  const ask = positive(item.ask);
  if (bid !== undefined) {
    q.bid = bid;
    if (positive(item.bidSize) !== undefined) q.bidSize = item.bidSize as number;
  }
  if (ask !== undefined) {
    q.ask = ask;
    if (positive(item.askSize) !== undefined) q.askSize = item.askSize as number;
  }
  if (previousClose !== undefined) q.previousClose = previousClose;
  const open = positive(item.regularMarketOpen);
  const high = positive(item.regularMarketDayHigh);
  const low = positive(item.regularMarketDayLow);
  const volume = nonNegative(item.regularMarketVolume);
  if (open !== undefined) q.open = open;
  if (high !== undefined) q.high = high;
  if (low !== undefined) q.low = low;
  if (volume !== undefined) q.volume = volume;
  return q;
}

/**
 * A chart's `meta` (asked with `range=1d`) as a core `Quote`: price and time from
 * `regularMarketPrice`/`regularMarketTime`, previous close from `previousClose` or else
 * `chartPreviousClose`. The meta has no session open, and the day bar's float32 open is not the
 * quote endpoint's `regularMarketOpen`, so a chart quote states none rather than a different one.
 */
export function quoteFromChart(
  meta: ChartMeta & { regularMarketPrice: number; regularMarketTime: number },
  ctx: QuoteContext,
): Quote {
  const previousClose = positive(meta.previousClose) ?? positive(meta.chartPreviousClose);
  const asOf = Math.round(meta.regularMarketTime * 1000);
  const q: Quote = {
    symbol: ctx.symbol,
    price: meta.regularMarketPrice,
    ...changeOf(meta.regularMarketPrice, previousClose),
    currency: meta.currency ?? ctx.fallbackCurrency,
    exchange: meta.exchangeName ?? '',
    marketState: chartMarketState(meta, ctx.symbol, ctx.now, ctx.calendar),
    asOf,
    provider: PROVIDER,
    stale: false,
    delayed: false,
    receivedAt: ctx.now,
  };
  if (previousClose !== undefined) q.previousClose = previousClose;
  const high = positive(meta.regularMarketDayHigh);
  const low = positive(meta.regularMarketDayLow);
  const volume = nonNegative(meta.regularMarketVolume);
  if (high !== undefined) q.high = high;
  if (low !== undefined) q.low = low;
  if (volume !== undefined) q.volume = volume;
  return q;
}

/** What a series needs besides the payload. */
export interface SeriesContext {
  /** Canonical symbol. */
  symbol: string;
  /** Interval asked. */
  interval: Interval;
  /** Bars stamped at or after this are dropped (Yahoo appends a live bar past the range). */
  toMs: number;
  /** Intraday bars stamped before this are dropped. */
  fromMs: number;
}

/**
 * A chart as a core `BarSeries`. Entries whose open, high, low or close is `null` are dropped —
 * never turned into 0. OHLC are split-adjusted (Yahoo's own), `adjClose` split-and-dividend
 * adjusted; session dates are in the exchange's time zone.
 */
export function seriesFromChart(result: ChartResult, ctx: SeriesContext): BarSeries {
  const { meta } = result;
  const zone = meta.exchangeTimezoneName ?? 'America/New_York';
  const quote = result.indicators.quote[0] ?? {};
  const adjclose = result.indicators.adjclose?.[0]?.adjclose;
  const intraday = !['1d', '1w', '1mo'].includes(ctx.interval);
  const bars: Bar[] = [];
  const stamps = result.timestamp ?? [];
  for (let i = 0; i < stamps.length; i++) {
    const t = (stamps[i] as number) * 1000;
    if (t >= ctx.toMs || (intraday && t < ctx.fromMs)) continue;
    const o = quote.open?.[i];
    const h = quote.high?.[i];
    const l = quote.low?.[i];
    const c = quote.close?.[i];
    if (typeof o !== 'number' || typeof h !== 'number' || typeof l !== 'number' || typeof c !== 'number') continue;
    const bar: Bar = { t, sessionDate: dateInZone(t, zone), o, h, l, c };
    const v = quote.volume?.[i];
    if (typeof v === 'number') bar.v = v;
    const adj = adjclose?.[i];
    if (typeof adj === 'number') bar.adjClose = adj;
    bars.push(bar);
  }
  const splits: Split[] = Object.values(result.events?.splits ?? {})
    .map((s) => ({ t: s.date * 1000, numerator: s.numerator, denominator: s.denominator }))
    .sort((a, b) => a.t - b.t);
  const currency = meta.currency ?? undefined;
  const dividends: Dividend[] = Object.values(result.events?.dividends ?? {})
    .map((d) =>
      currency === undefined
        ? { t: d.date * 1000, amount: d.amount }
        : { t: d.date * 1000, amount: d.amount, currency },
    )
    .sort((a, b) => a.t - b.t);
  const series: BarSeries = {
    symbol: ctx.symbol,
    interval: ctx.interval,
    bars: orderedBars(bars),
    provider: PROVIDER,
    adjustment: 'split',
    splits,
    dividends,
    truncated: false,
  };
  if (currency !== undefined) series.currency = currency;
  return series;
}
