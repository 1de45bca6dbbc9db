import type { Adjustment, Bar, BarSeries, Interval, Quote } from '@stockade/core';
import { orderedBars } from '../normalized.js';
import type { SessionCalendar } from '../provider.js';
import type { AlphaVantageInstrument } from '../symbols/alphavantage-dialect.js';
import { dateInZone, wallTimeToEpoch } from '../time/time-zone.js';
import type { ExchangeRate, GlobalQuote } from './schemas.js';

const PROVIDER = 'alphavantage';

// Where a listing's regular session closes, for the instant a GLOBAL_QUOTE (which has only a date) was true.
const CLOSES: Readonly<Record<string, { zone: string; close: string }>> = {
  '': { zone: 'America/New_York', close: '16:00' },
  DEX: { zone: 'Europe/Berlin', close: '17:30' },
  LON: { zone: 'Europe/London', close: '16:30' },
  TRT: { zone: 'America/Toronto', close: '16:00' },
  TRV: { zone: 'America/Toronto', close: '16:00' },
  BSE: { zone: 'Asia/Kolkata', close: '15:30' },
  SHH: { zone: 'Asia/Shanghai', close: '15:00' },
  SHZ: { zone: 'Asia/Shanghai', close: '15:00' },
};

/** What a quote needs besides the payload. */
export interface QuoteContext {
  /** Canonical symbol. */
  symbol: string;
  /** Now, epoch ms. */
  now: number;
  /** Calendar for the session. */
  calendar: SessionCalendar;
  /** Whether the key's plan serves real-time data. */
  realtime: boolean;
}

/**
 * A `GLOBAL_QUOTE` as a core `Quote`. Alpha Vantage gives only the latest trading day, so `asOf`
 * is that day's close on the listing's exchange, or now when the day is still running.
 */
export function quoteFromGlobalQuote(
  g: GlobalQuote,
  instrument: AlphaVantageInstrument & { kind: 'equity' },
  exchange: string,
  ctx: QuoteContext,
): Quote {
  const suffix = /\.([A-Z]{3})$/.exec(instrument.symbol)?.[1] ?? '';
  const venue = CLOSES[suffix] ?? (CLOSES[''] as { zone: string; close: string });
  const day = g['07. latest trading day'];
  const close = wallTimeToEpoch(`${day} ${venue.close}`, venue.zone) ?? ctx.now;
  const today = dateInZone(ctx.now, venue.zone);
  const change = g['05. price'] - g['08. previous close'];
  const q: Quote = {
    symbol: ctx.symbol,
    price: g['05. price'],
    open: g['02. open'],
    high: g['03. high'],
    low: g['04. low'],
    previousClose: g['08. previous close'],
    change,
    changePercent: g['08. previous close'] > 0 ? (change / g['08. previous close']) * 100 : null,
    currency: instrument.currency,
    exchange,
    marketState: day === today ? ctx.calendar.session(ctx.symbol, ctx.now) : 'closed',
    asOf: Math.min(close, ctx.now),
    provider: PROVIDER,
    stale: false,
    delayed: !ctx.realtime,
    receivedAt: ctx.now,
  };
  const volume = g['06. volume'];
  if (volume !== undefined) q.volume = volume;
  return q;
}

/** A `CURRENCY_EXCHANGE_RATE` (crypto or fx pair) as a core `Quote`; there is no previous close, so no change. */
export function quoteFromExchangeRate(r: ExchangeRate, ctx: QuoteContext): Quote {
  const asOf = wallTimeToEpoch(r['6. Last Refreshed'], r['7. Time Zone'] ?? 'UTC') ?? ctx.now;
  const q: Quote = {
    symbol: ctx.symbol,
    price: r['5. Exchange Rate'],
    change: null,
    changePercent: null,
    currency: r['3. To_Currency Code'],
    exchange: 'CCY',
    marketState: ctx.calendar.session(ctx.symbol, ctx.now),
    asOf: Math.min(asOf, ctx.now),
    provider: PROVIDER,
    stale: false,
    delayed: false,
    receivedAt: ctx.now,
  };
  const bid = r['8. Bid Price'];
  const ask = r['9. Ask Price'];
  if (bid !== undefined && bid > 0) q.bid = bid;
  if (ask !== undefined && ask > 0) q.ask = ask;
  return q;
}

/** What a series needs besides the payload. */
export interface SeriesContext {
  /** Canonical symbol. */
  symbol: string;
  /** Interval asked. */
  interval: Interval;
  /** Time zone of the stamps (the series' `Time Zone` meta field). */
  zone: string;
  /** Range asked, epoch ms, end exclusive; entries outside are dropped. */
  fromMs: number;
  /** See `fromMs`. */
  toMs: number;
  /** The adjustment the function used. */
  adjustment: Adjustment;
  /** Currency of the prices. */
  currency: string;
}

function field(entry: Record<string, string>, number: string, name: string): string | undefined {
  // "1. open", or DIGITAL_CURRENCY_DAILY's older "1a. open (USD)".
  for (const [key, value] of Object.entries(entry)) {
    if (key === `${number}. ${name}` || key.startsWith(`${number}a. ${name}`)) return value;
  }
  return undefined;
}

/** Why an entry could not be read, or the bar. */
export type EntryResult = { bar: Bar } | { problem: string };

/**
 * One time-series entry as a bar. Stamps are the exchange's wall time as Alpha Vantage writes
 * them: a date for daily and longer (the bar is stamped at that day's 00:00 there), a date-time
 * for intraday.
 */
export function barFromEntry(stamp: string, entry: Record<string, string>, zone: string): EntryResult {
  const t = wallTimeToEpoch(stamp, zone);
  if (t === undefined) return { problem: `stamp ${JSON.stringify(stamp)} is not a date` };
  const read = (n: string, name: string) => {
    const raw = field(entry, n, name);
    return raw === undefined || !/^-?\d+(\.\d+)?$/.test(raw.trim()) ? undefined : Number(raw);
  };
  const o = read('1', 'open');
  const h = read('2', 'high');
  const l = read('3', 'low');
  const c = read('4', 'close');
  if (o === undefined || h === undefined || l === undefined || c === undefined) {
    return { problem: `entry ${stamp} lacks a numeric "1. open", "2. high", "3. low" or "4. close"` };
  }
  const bar: Bar = { t, sessionDate: stamp.slice(0, 10), o, h, l, c };
  const v = read('5', 'volume');
  if (v !== undefined) bar.v = v;
  return { bar };
}

/** Builds the series from read bars, keeping those inside the range. */
export function seriesOf(bars: Bar[], ctx: SeriesContext): BarSeries {
  return {
    symbol: ctx.symbol,
    interval: ctx.interval,
    bars: orderedBars(bars.filter((b) => inRange(b, ctx))),
    provider: PROVIDER,
    adjustment: ctx.adjustment,
    splits: [],
    dividends: [],
    truncated: false,
    currency: ctx.currency,
  };
}

// Daily and longer bars are compared by date: their local-midnight stamp can fall on the UTC day
// before, which would drop the first day of a range in zones east of UTC.
function inRange(bar: Bar, ctx: SeriesContext): boolean {
  if (ctx.interval === '1d' || ctx.interval === '1w' || ctx.interval === '1mo') {
    const from = new Date(ctx.fromMs).toISOString().slice(0, 10);
    const to = new Date(ctx.toMs - 1).toISOString().slice(0, 10);
    return bar.sessionDate >= from && bar.sessionDate <= to;
  }
  return bar.t >= ctx.fromMs && bar.t < ctx.toMs;
}
