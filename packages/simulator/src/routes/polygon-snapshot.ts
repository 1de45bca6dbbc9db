import type { SimBar } from '../bars.js';
import { type QuoteSnapshot, quoteSnapshot } from '../market-view.js';
import type { PricePath } from '../price-path.js';
import { hashOf } from '../prng.js';
import { type Route, type RouteContext, round } from '../route.js';
import { fromPolygon, toPolygon } from '../symbols.js';
import type { Universe } from '../universe.js';
import { nanos, polyPrice, polyReply, polyVolume, statusOf } from './polygon-format.js';

const TRADE_CONDITIONS = [[14, 41], [12, 37], [37], [12], [14, 37, 41]];

/** Massive adds decimal-string twins of its share counts, for fractional shares. */
const decimal = (v: number) => (Number.isInteger(v) ? v.toFixed(1) : String(v));

function dayOf(path: PricePath, bar: SimBar | null, massive: boolean): Record<string, unknown> {
  const v = polyVolume(path, bar?.v ?? 0);
  const out: Record<string, unknown> = { c: polyPrice(path, bar?.c ?? 0) };
  if (massive) out.dv = decimal(v);
  Object.assign(out, {
    h: polyPrice(path, bar?.h ?? 0),
    l: polyPrice(path, bar?.l ?? 0),
    o: polyPrice(path, bar?.o ?? 0),
    v,
    vw: polyPrice(path, bar?.vw ?? 0),
  });
  return out;
}

/** The per-ticker snapshot object (`day`, `lastQuote`, `lastTrade`, `min`, `prevDay`, changes). */
function tickerSnapshot(ctx: RouteContext, q: QuoteSnapshot, ticker: string): Record<string, unknown> {
  const path = q.path;
  const massive = ctx.provider === 'massive';
  const h = hashOf(ticker, Math.floor(q.time / 1000));
  const price = polyPrice(path, q.price);
  const size = path.profile.assetClass === 'crypto' ? round(0.001 + (h % 1000) / 1000, 6) : 1 + (h % 500);
  const out: Record<string, unknown> = { day: dayOf(path, q.day, massive) };
  if (!(ctx.faults.notEntitled ?? []).includes('fmv')) out.fmv = price;
  out.lastQuote = {
    P: polyPrice(path, q.price * 1.0001),
    S: 1 + (h % 30),
    p: polyPrice(path, q.price * 0.9999),
    s: 1 + ((h >>> 8) % 30),
    t: nanos(q.time, ticker, 'quote'),
  };
  const lastTrade: Record<string, unknown> = { c: TRADE_CONDITIONS[h % TRADE_CONDITIONS.length] };
  if (massive) lastTrade.ds = decimal(size);
  Object.assign(lastTrade, {
    i: String(h % 100_000_000),
    p: price,
    s: size,
    t: nanos(q.time, ticker, 'trade'),
    x: 1 + (h % 20),
  });
  out.lastTrade = lastTrade;
  const min = q.minute;
  const minVolume = polyVolume(path, min?.v ?? 0);
  const dayVolume = polyVolume(path, q.day?.v ?? 0);
  const minute: Record<string, unknown> = { av: dayVolume, c: polyPrice(path, min?.c ?? q.price) };
  if (massive) Object.assign(minute, { dav: decimal(dayVolume), dv: decimal(minVolume) });
  Object.assign(minute, {
    h: polyPrice(path, min?.h ?? q.price),
    l: polyPrice(path, min?.l ?? q.price),
    n: min?.n ?? 0,
    o: polyPrice(path, min?.o ?? q.price),
    t: min?.t ?? Math.floor(q.time / 60_000) * 60_000,
    v: minVolume,
    vw: polyPrice(path, min?.vw ?? q.price),
  });
  out.min = minute;
  out.prevDay = dayOf(path, q.previousDay, false);
  const change = q.price - q.previousClose;
  Object.assign(out, {
    ticker,
    todaysChange: round(change, 4),
    todaysChangePerc: round((change / q.previousClose) * 100, 4),
    updated: nanos(q.time, ticker, 'trade'),
  });
  if (ctx.faults.schemaDrift === true) {
    (lastTrade as { price?: unknown }).price = lastTrade.p;
    delete lastTrade.p;
  }
  return out;
}

/** The tickers a snapshot asks for, or every listed one of the market when it names none. */
function requestedTickers(ctx: RouteContext, universe: Universe, market: 'stocks' | 'crypto' | 'forex'): string[] {
  const list = ctx.query.get('tickers');
  if (list !== null && list.trim() !== '')
    return list
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '');
  const klass = { stocks: ['equity', 'etf'], crypto: ['crypto'], forex: ['fx'] }[market];
  return universe
    .listed()
    .filter((s) => {
      const path = universe.lookup(s);
      return path !== null && klass.includes(path.profile.assetClass);
    })
    .map((s) => toPolygon(s))
    .filter((t): t is string => t !== null);
}

function snapshotOf(ctx: RouteContext, ticker: string): Record<string, unknown> | null {
  const canonical = fromPolygon(ticker);
  const path = canonical === null ? null : ctx.view.path(canonical);
  if (path === null || path.profile.assetClass === 'index') return null;
  if (ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
  return tickerSnapshot(ctx, quoteSnapshot(ctx.view, path), toPolygon(path.profile.symbol) ?? ticker);
}

/** `GET /v2/snapshot/locale/{us|global}/markets/{stocks|crypto|forex}/tickers?tickers=A,B`. */
export function snapshotRoute(universe: Universe, market: 'stocks' | 'crypto' | 'forex'): Route {
  return {
    endpoint: 'snapshot',
    keyed: true,
    handle(ctx) {
      const tickers: Record<string, unknown>[] = [];
      for (const t of requestedTickers(ctx, universe, market)) {
        const snap = snapshotOf(ctx, t);
        if (snap !== null) tickers.push(snap);
      }
      if (ctx.faults.schemaDrift === true) ctx.served('schemaDrift');
      return polyReply(ctx, 200, { count: tickers.length, status: statusOf(ctx), tickers });
    },
  };
}

/** `GET /v2/snapshot/locale/…/tickers/{ticker}`: one ticker; 404 NOT_FOUND when unknown. */
export const snapshotTickerRoute: Route = {
  endpoint: 'snapshot_ticker',
  keyed: true,
  handle(ctx) {
    const ticker = decodeURIComponent(ctx.path.slice(ctx.path.lastIndexOf('/') + 1));
    const snap = snapshotOf(ctx, ticker);
    if (snap === null)
      return polyReply(ctx, 404, { request_id: ctx.requestId, status: 'NOT_FOUND', message: 'Ticker not found.' });
    if (ctx.faults.schemaDrift === true) ctx.served('schemaDrift');
    return polyReply(ctx, 200, { request_id: ctx.requestId, status: statusOf(ctx), ticker: snap });
  },
};

/** `GET /v3/snapshot/indices?ticker.any_of=I:SPX,I:DJI`: index values and their session. */
export const indicesSnapshotRoute: Route = {
  endpoint: 'snapshot_indices',
  keyed: true,
  handle(ctx) {
    const list = ctx.query.get('ticker.any_of') ?? ctx.query.get('ticker') ?? '';
    const results = list
      .split(',')
      .map((t) => t.trim())
      .filter((t) => t !== '')
      .map((ticker) => {
        const canonical = fromPolygon(ticker);
        const path = canonical === null ? null : ctx.view.path(canonical);
        if (path === null || path.profile.assetClass !== 'index') {
          return { ticker, error: 'NOT_FOUND', message: 'Ticker not found.' };
        }
        if (ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
        const q = quoteSnapshot(ctx.view, path);
        const px = (v: number) => round(v, 2);
        const change = q.price - q.previousClose;
        return {
          value: px(q.price),
          name: path.profile.longName,
          ticker,
          market_status: q.state === 'REGULAR' ? 'open' : 'closed',
          type: 'indices',
          session: {
            change: px(change),
            change_percent: px((change / q.previousClose) * 100),
            close: px(q.day?.c ?? q.price),
            high: px(q.day?.h ?? q.price),
            low: px(q.day?.l ?? q.price),
            open: px(q.day?.o ?? q.price),
            previous_close: px(q.previousClose),
          },
          timeframe: ctx.faults.delayedPlan === true ? 'DELAYED' : 'REAL-TIME',
          last_updated: nanos(q.time, ticker, 'index'),
        };
      });
    return polyReply(ctx, 200, { results, status: 'OK', request_id: ctx.requestId });
  },
};

/** `GET /v2/last/trade/{ticker}`: the last trade; timestamps in nanoseconds. */
export const lastTradeRoute: Route = {
  endpoint: 'last_trade',
  keyed: true,
  handle(ctx) {
    const ticker = decodeURIComponent(ctx.path.slice('/v2/last/trade/'.length));
    const canonical = fromPolygon(ticker);
    const path = canonical === null ? null : ctx.view.path(canonical);
    if (path === null || path.profile.assetClass === 'index' || path.profile.assetClass === 'fx') {
      return polyReply(ctx, 404, { status: 'NOT_FOUND', request_id: ctx.requestId, message: 'Data not found.' });
    }
    if (ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
    const q = quoteSnapshot(ctx.view, path);
    const h = hashOf(ticker, Math.floor(q.time / 1000));
    const size = path.profile.assetClass === 'crypto' ? round(0.001 + (h % 1000) / 1000, 6) : 1 + (h % 500);
    const t = nanos(q.time, ticker, 'trade');
    const results: Record<string, unknown> = {
      T: ticker,
      c: TRADE_CONDITIONS[h % TRADE_CONDITIONS.length],
      f: t - 30_000,
      i: String(h % 100_000_000),
      p: polyPrice(path, q.price),
      q: 1 + (hashOf(ticker, 'seq', Math.floor(q.time / 1000)) % 10_000_000),
      r: 202,
      s: size,
      t,
      x: 1 + (h % 20),
      y: Math.floor(q.time) * 1e6 - 2_000_000,
      z: path.profile.exchange === 'NMS' ? 3 : 1,
    };
    if (ctx.provider === 'massive') results.ds = decimal(size);
    if (ctx.faults.schemaDrift === true) {
      results.price = results.p;
      delete results.p;
      ctx.served('schemaDrift');
    }
    return polyReply(ctx, 200, { results, status: statusOf(ctx), request_id: ctx.requestId });
  },
};
