import type { Adjustment, Bar, BarSeries, Interval, Quote } from '@stockade/core';
import { orderedBars } from '../normalized.js';
import type { SessionCalendar } from '../provider.js';
import { dateInZone, toEpochMs, wallTimeToEpoch } from '../time/time-zone.js';
import type { Agg, IndexSnapshot, SnapshotTicker } from './schemas.js';

/** What a quote needs besides the payload. */
export interface QuoteContext {
  /** Provider name (`polygon` or `massive`). */
  provider: string;
  /** Canonical symbol. */
  symbol: string;
  /** Now, epoch ms. */
  now: number;
  /** Calendar for the session. */
  calendar: SessionCalendar;
  /** The answer's `status` was `DELAYED`. */
  delayed: boolean;
  /** Currency of the prices. */
  currency: string;
  /** Market the symbol trades in (`US`, `CRYPTO`, `FX`, `INDEX`). */
  exchange: string;
}

const positive = (n: number | undefined): number | undefined =>
  typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : undefined;

function base(ctx: QuoteContext, price: number, asOf: number, previousClose: number | undefined): Quote {
  const change = previousClose === undefined ? null : price - previousClose;
  const q: Quote = {
    symbol: ctx.symbol,
    price,
    change,
    changePercent: change === null || previousClose === undefined ? null : (change / previousClose) * 100,
    currency: ctx.currency,
    exchange: ctx.exchange,
    marketState: ctx.calendar.session(ctx.symbol, ctx.now),
    asOf: Math.min(asOf, ctx.now),
    provider: ctx.provider,
    stale: false,
    delayed: ctx.delayed,
    receivedAt: ctx.now,
  };
  if (previousClose !== undefined) q.previousClose = previousClose;
  return q;
}

/**
 * A v2 snapshot ticker as a core `Quote`: the last trade's price (else the latest minute's or
 * day's close, else the quote's midpoint), `lastQuote.p`/`P` as bid/ask with `s`/`S` sizes
 * (forex: `b`/`a`), `day` for the session's open/high/low/volume — dropped while still all zeros
 * before the open — and `prevDay.c` as the previous close. Returns `undefined` when the
 * snapshot holds no price at all.
 */
export function quoteFromSnapshot(t: SnapshotTicker, ctx: QuoteContext): Quote | undefined {
  const bid = positive(t.lastQuote?.p ?? t.lastQuote?.b);
  const ask = positive(t.lastQuote?.P ?? t.lastQuote?.a);
  const mid = bid !== undefined && ask !== undefined ? (bid + ask) / 2 : undefined;
  const price = positive(t.lastTrade?.p) ?? positive(t.min?.c) ?? positive(t.day?.c) ?? mid;
  if (price === undefined) return undefined;
  const stamp = t.lastTrade?.t ?? t.updated ?? t.lastQuote?.t ?? t.min?.t;
  const q = base(ctx, price, stamp === undefined ? ctx.now : toEpochMs(stamp), positive(t.prevDay?.c));
  if (bid !== undefined) {
    q.bid = bid;
    if (positive(t.lastQuote?.s) !== undefined) q.bidSize = t.lastQuote?.s as number;
  }
  if (ask !== undefined) {
    q.ask = ask;
    if (positive(t.lastQuote?.S) !== undefined) q.askSize = t.lastQuote?.S as number;
  }
  const open = positive(t.day?.o);
  if (open !== undefined) {
    q.open = open;
    const high = positive(t.day?.h);
    const low = positive(t.day?.l);
    if (high !== undefined) q.high = high;
    if (low !== undefined) q.low = low;
    if (typeof t.day?.v === 'number' && t.day.v >= 0) q.volume = t.day.v;
  }
  return q;
}

/** A v3 index snapshot as a core `Quote` (indices have no volume, bid or ask). */
export function quoteFromIndexSnapshot(s: IndexSnapshot, ctx: QuoteContext): Quote {
  const q = base(
    { ...ctx, delayed: ctx.delayed || s.timeframe?.toUpperCase() === 'DELAYED' },
    s.value,
    s.last_updated === undefined ? ctx.now : toEpochMs(s.last_updated),
    positive(s.session?.previous_close),
  );
  const open = positive(s.session?.open);
  const high = positive(s.session?.high);
  const low = positive(s.session?.low);
  if (open !== undefined) q.open = open;
  if (high !== undefined) q.high = high;
  if (low !== undefined) q.low = low;
  return q;
}

/**
 * The previous session's aggregate (`/prev`) as a core `Quote`, for keys whose plan has no
 * snapshots: the close is the price, true at that session's end (16:00 New York for US markets,
 * the day's end for crypto and fx).
 */
export function quoteFromPrev(agg: Agg, ctx: QuoteContext, zone: string): Quote {
  const day = dateInZone(agg.t, zone);
  const end = zone === 'UTC' ? agg.t + 86_400_000 - 1 : (wallTimeToEpoch(`${day} 16:00`, zone) ?? agg.t);
  const q = base(ctx, agg.c, end, undefined);
  q.open = agg.o;
  q.high = agg.h;
  q.low = agg.l;
  if (typeof agg.v === 'number') q.volume = agg.v;
  return q;
}

/** What a series needs besides the bars. */
export interface SeriesContext {
  /** Provider name. */
  provider: string;
  /** Canonical symbol. */
  symbol: string;
  /** Interval asked. */
  interval: Interval;
  /** Zone of the session date: New York for US equities and indices, UTC for crypto and fx. */
  zone: string;
  /** `split` (adjusted=true) or `raw`. */
  adjustment: Adjustment;
  /** Some page answered `DELAYED`. */
  delayed: boolean;
  /** The page cap cut the series short. */
  truncated: boolean;
  /** Currency of the prices. */
  currency: string;
}

/** Aggregates as a core `BarSeries`; `v`, `vw`, `n` are kept only when sent (index bars have none). */
export function seriesFromAggs(aggs: readonly Agg[], ctx: SeriesContext): BarSeries {
  const bars: Bar[] = aggs.map((a) => {
    const t = toEpochMs(a.t);
    const bar: Bar = { t, sessionDate: dateInZone(t, ctx.zone), o: a.o, h: a.h, l: a.l, c: a.c };
    if (typeof a.v === 'number') bar.v = a.v;
    if (typeof a.vw === 'number') bar.vwap = a.vw;
    if (typeof a.n === 'number') bar.trades = Math.round(a.n);
    return bar;
  });
  return {
    symbol: ctx.symbol,
    interval: ctx.interval,
    bars: orderedBars(bars),
    provider: ctx.provider,
    adjustment: ctx.adjustment,
    splits: [],
    dividends: [],
    truncated: ctx.truncated,
    delayed: ctx.delayed,
    currency: ctx.currency,
  };
}
