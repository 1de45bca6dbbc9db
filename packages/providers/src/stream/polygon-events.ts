import type { Bar, MarketState, Quote, Trade } from '@stockade/core';
import type { SessionCalendar } from '../provider.js';
import { dateInZone } from '../time/time-zone.js';
import type { PolygonAggregateMessage, PolygonQuoteMessage, PolygonTradeMessage } from './polygon-frames.js';
import type { StreamBarEvent, StreamQuoteEvent, StreamStamps, StreamTradeEvent } from './types.js';

/** What normalizing a Polygon event needs besides the event. */
export interface PolygonEventContext {
  /** Provider name. */
  provider: string;
  /** Canonical symbol of `sym`. */
  symbol: string;
  /** Frame arrival, epoch ms. */
  receivedAt: number;
  /** Monotonic stamps, when asked for. */
  stamps: StreamStamps | undefined;
  /** The feed is 15-minute delayed. */
  delayed: boolean;
  /** Calendar for a quote's session. */
  calendar: SessionCalendar;
  /** Last trade price seen on this stream for the symbol (a quote's `price`). */
  lastTradePrice: number | undefined;
}

const finitePrice = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n >= 0;

/** A `T` event as a trade, or `undefined` when it has no usable price or size. */
export function tradeEvent(m: PolygonTradeMessage, ctx: PolygonEventContext): StreamTradeEvent | undefined {
  const size = m.s ?? (m.ds === undefined ? undefined : Number(m.ds));
  if (!finitePrice(m.p) || size === undefined || !Number.isFinite(size) || size < 0) return undefined;
  const trade: Trade = {
    symbol: ctx.symbol,
    price: m.p,
    size,
    t: validTime(m.t) ?? ctx.receivedAt,
    provider: ctx.provider,
  };
  if (m.x !== undefined) trade.exchange = m.x;
  if (m.c !== undefined) trade.conditions = m.c;
  const event: StreamTradeEvent = { type: 'trade', trade, receivedAt: ctx.receivedAt };
  if (m.q !== undefined) event.sequence = m.q;
  if (ctx.stamps !== undefined) event.stamps = ctx.stamps;
  return event;
}

/**
 * A `Q` (NBBO) event as a core quote. `price` is the last trade seen on this stream, else the
 * midpoint, else whichever side is present; `undefined` when neither side has a price. Sizes
 * stay as sent (the spec says round lots).
 */
export function quoteEvent(m: PolygonQuoteMessage, ctx: PolygonEventContext): StreamQuoteEvent | undefined {
  const bid = finitePrice(m.bp) && m.bp > 0 ? m.bp : undefined;
  const ask = finitePrice(m.ap) && m.ap > 0 ? m.ap : undefined;
  const price =
    ctx.lastTradePrice ?? (bid !== undefined && ask !== undefined ? (bid + ask) / 2 : (bid ?? ask ?? undefined));
  if (price === undefined) return undefined;
  const asOf = Math.min(validTime(m.t) ?? ctx.receivedAt, ctx.receivedAt);
  const quote: Quote = {
    symbol: ctx.symbol,
    price,
    change: null,
    changePercent: null,
    currency: 'USD',
    exchange: 'US',
    marketState: ctx.calendar.session(ctx.symbol, asOf) as MarketState,
    asOf,
    provider: ctx.provider,
    stale: false,
    delayed: ctx.delayed,
    receivedAt: ctx.receivedAt,
  };
  if (bid !== undefined) {
    quote.bid = bid;
    if (m.bs !== undefined && m.bs >= 0) quote.bidSize = m.bs;
  }
  if (ask !== undefined) {
    quote.ask = ask;
    if (m.as !== undefined && m.as >= 0) quote.askSize = m.as;
  }
  const event: StreamQuoteEvent = { type: 'quote', quote };
  if (m.q !== undefined) event.sequence = m.q;
  if (ctx.stamps !== undefined) event.stamps = ctx.stamps;
  return event;
}

/** An `AM` / `A` event as a bar, or `undefined` when OHLC or the window start is missing. */
export function barEvent(m: PolygonAggregateMessage, ctx: PolygonEventContext): StreamBarEvent | undefined {
  const { o, h, l, c, s } = m;
  if (!finitePrice(o) || !finitePrice(h) || !finitePrice(l) || !finitePrice(c) || h < l) return undefined;
  const t = validTime(s);
  if (t === undefined) return undefined;
  const bar: Bar = { t, sessionDate: sessionDateOf(t), o, h, l, c };
  if (m.v !== undefined && Number.isFinite(m.v) && m.v >= 0) bar.v = m.v;
  if (finitePrice(m.vw)) bar.vwap = m.vw;
  if (m.n !== undefined && Number.isInteger(m.n) && m.n >= 0) bar.trades = m.n;
  const event: StreamBarEvent = {
    type: 'bar',
    symbol: ctx.symbol,
    interval: m.ev === 'AM' ? '1m' : '1s',
    bar,
    provider: ctx.provider,
    receivedAt: ctx.receivedAt,
  };
  if (ctx.stamps !== undefined) event.stamps = ctx.stamps;
  return event;
}

/** The exchange time of an aggregate: its window end, else start. */
export function aggregateTime(m: PolygonAggregateMessage): number | undefined {
  return validTime(m.e) ?? validTime(m.s);
}

function validTime(t: number | undefined): number | undefined {
  return t !== undefined && Number.isInteger(t) && t >= 0 && t < 8.64e15 ? t : undefined;
}

// US sessions are New York dates; a date per hour of the epoch is cached since bars come in order.
let cachedHour = Number.NaN;
let cachedDate = '';
function sessionDateOf(t: number): string {
  const hour = Math.floor(t / 3_600_000);
  if (hour !== cachedHour) {
    cachedHour = hour;
    cachedDate = dateInZone(t, 'America/New_York');
  }
  return cachedDate;
}
