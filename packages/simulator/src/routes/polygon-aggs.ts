import { newYorkTimeToEpoch } from '@stockade/core';
import { dailyBars, groupBars, intradayBars, mergeBars, type SimBar, sessionBar } from '../bars.js';
import { splitFactorAt } from '../corporate-actions.js';
import { scaleBar } from '../market-view.js';
import type { PricePath } from '../price-path.js';
import type { Route, RouteContext, SimReply } from '../route.js';
import { fromPolygon } from '../symbols.js';
import { aggOf, driftAggs, polyError, polyReply, pricingUrl, statusOf } from './polygon-format.js';

const DAY_MS = 86_400_000;
const DEFAULT_LIMIT = 5000;
const MAX_LIMIT = 50_000;
const TIMESPANS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];
const AGGS_PATH = /^\/v2\/aggs\/ticker\/([^/]+)\/range\/([^/]+)\/([^/]+)\/([^/]+)\/([^/]+)$/;

/** Whether a path's days start at New York midnight (US listings) rather than UTC midnight. */
const newYorkDays = (path: PricePath | null) =>
  path !== null && (path.schedule.extendedHours || path.profile.assetClass === 'index');

/** Parses `from`/`to`: `YYYY-MM-DD` (the whole day) or epoch ms. */
function instantOf(value: string, end: boolean, path: PricePath | null): number | null {
  if (/^\d+$/.test(value)) return Number(value);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  let start: number;
  try {
    start = newYorkDays(path) ? newYorkTimeToEpoch(value, 0, 0) : Date.parse(`${value}T00:00:00Z`);
  } catch {
    return null;
  }
  // The end bound is the last millisecond before the next midnight (23 or 25 hours on DST days).
  if (end) {
    const next = new Date(Date.parse(`${value}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
    return (newYorkDays(path) ? newYorkTimeToEpoch(next, 0, 0) : Date.parse(`${next}T00:00:00Z`)) - 1;
  }
  if (Number.isNaN(start)) return null;
  return start;
}

/** Stamps a bucket of daily bars the way Polygon does: the bucket's first calendar day at midnight. */
function calendarBuckets(daily: SimBar[], timespan: string, multiplier: number): SimBar[] {
  const keyOf = (b: SimBar): number => {
    const d = new Date(b.t + 12 * 3_600_000); // noon: safely inside the bar's calendar day
    const y = d.getUTCFullYear();
    const m = d.getUTCMonth();
    if (timespan === 'week') return Math.floor((Math.floor(d.getTime() / DAY_MS) + 4) / (7 * multiplier));
    if (timespan === 'month') return Math.floor((y * 12 + m) / multiplier);
    if (timespan === 'quarter') return Math.floor((y * 4 + Math.floor(m / 3)) / multiplier);
    return Math.floor(y / multiplier);
  };
  const first = new Map<number, number>();
  for (const b of daily) if (!first.has(keyOf(b))) first.set(keyOf(b), b.t);
  return groupBars(daily, keyOf).map((g) => ({ ...g, t: first.get(g.t) ?? g.t }));
}

/**
 * Intraday bars for a page: at most `count`, from the start (ascending) or from the end
 * (descending, in windows that double going back), so that a page of a years-long minute range
 * costs a page, not the range.
 */
function intradayPage(
  path: PricePath,
  intervalMs: number,
  range: { from: number; to: number; now: number },
  count: number,
  desc: boolean,
): SimBar[] {
  const { from, to, now } = range;
  const base = { intervalMs, align: () => 0, extended: path.schedule.extendedHours, now };
  if (!desc) return intradayBars(path, { ...base, from, to, maxBars: count });
  const out: SimBar[] = [];
  let end = Math.min(to, now + 1);
  let span = Math.max(intervalMs * count, 3 * DAY_MS);
  while (end > from && out.length < count) {
    const start = Math.max(from, end - span);
    out.push(...intradayBars(path, { ...base, from: start, to: end }).reverse());
    end = start;
    span *= 2;
  }
  return out.slice(0, count);
}

function barsOf(
  path: PricePath,
  timespan: string,
  multiplier: number,
  from: number,
  to: number,
  now: number,
  page: { count: number; desc: boolean },
): SimBar[] {
  if (timespan === 'minute' || timespan === 'hour') {
    const intervalMs = multiplier * (timespan === 'minute' ? 60_000 : 3_600_000);
    return intradayPage(path, intervalMs, { from, to, now }, page.count, page.desc);
  }
  // Daily and longer: at most a few thousand sessions since 2000, built ascending and grouped.
  const daily = dailyBars(path, from, to, now, 'midnight');
  let out: SimBar[];
  if (timespan !== 'day') out = calendarBuckets(daily, timespan, multiplier);
  else if (multiplier === 1) out = daily;
  else {
    out = [];
    for (let i = 0; i < daily.length; i += multiplier) {
      const chunk = daily.slice(i, i + multiplier);
      out.push(mergeBars(chunk, (chunk[0] as SimBar).t));
    }
  }
  return page.desc ? out.reverse() : out;
}

/** Reads the paging cursor of a `next_url`: the query it stands for, base64url-encoded. */
function paramsOf(ctx: RouteContext): URLSearchParams {
  const cursor = ctx.query.get('cursor');
  if (cursor === null) return ctx.query;
  return new URLSearchParams(Buffer.from(cursor, 'base64url').toString('utf8'));
}

/**
 * `GET /v2/aggs/ticker/{t}/range/{m}/{span}/{from}/{to}`: aggregates, paged through `next_url`
 * when there are more than `limit` (default 5000, at most 50000); `results` left out when empty.
 */
export const aggsRoute: Route = {
  endpoint: 'aggs',
  keyed: true,
  handle(ctx): SimReply {
    const m = AGGS_PATH.exec(ctx.path);
    if (m === null) return polyError(ctx, 404, 'Not found');
    const [, rawTicker, rawMultiplier, timespan, rawFrom, rawTo] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const ticker = decodeURIComponent(rawTicker);
    const multiplier = Number(rawMultiplier);
    if (!Number.isInteger(multiplier) || multiplier < 1)
      return polyError(ctx, 400, `Invalid multiplier: ${rawMultiplier}`);
    if (!TIMESPANS.includes(timespan))
      return polyError(ctx, 400, `Invalid timespan: ${timespan}. Use one of ${TIMESPANS.join(', ')}`);
    const canonical = fromPolygon(ticker);
    const path = canonical === null ? null : ctx.view.path(canonical);
    const from = instantOf(rawFrom, false, path);
    const to = instantOf(rawTo, true, path);
    if (from === null)
      return polyError(ctx, 400, "Could not parse the time parameter: 'from'. Use YYYY-MM-DD or Unix MS Timestamps");
    if (to === null)
      return polyError(ctx, 400, "Could not parse the time parameter: 'to'. Use YYYY-MM-DD or Unix MS Timestamps");
    if (from > ctx.view.now) {
      return polyReply(ctx, 403, {
        status: 'NOT_AUTHORIZED',
        request_id: ctx.requestId,
        message: `Your plan doesn't include this data timeframe. Please upgrade your plan at ${pricingUrl(ctx)}`,
      });
    }
    const params = paramsOf(ctx);
    const adjusted = params.get('adjusted') !== 'false';
    const desc = params.get('sort') === 'desc';
    const limit = Math.min(MAX_LIMIT, Math.max(1, Number(params.get('limit') ?? DEFAULT_LIMIT) || DEFAULT_LIMIT));
    const now = ctx.view.now;
    // One bar past the page says whether there is a next page, and where it starts.
    const bars = path === null ? [] : barsOf(path, timespan, multiplier, from, to + 1, now, { count: limit + 1, desc });
    const page = bars.slice(0, limit);
    const body: Record<string, unknown> = { ticker, queryCount: page.length, resultsCount: page.length, adjusted };
    if (path !== null && page.length > 0) {
      const symbol = path.profile.symbol;
      if (ctx.view.isWrong(symbol)) ctx.served('wrongPrice');
      const results = page.map((b) => {
        const split = adjusted ? 1 : splitFactorAt(path, b.t, now);
        const scaled = scaleBar(b, ctx.view.factor(symbol, b.t) * split);
        return aggOf(path, { ...scaled, v: scaled.v / split });
      });
      driftAggs(ctx, results);
      body.results = results;
    }
    Object.assign(body, { status: statusOf(ctx), request_id: ctx.requestId });
    if (page.length > 0) body.count = page.length;
    const next = bars[limit];
    if (next !== undefined) {
      // Like the real API: the bound moves to the next bar and the cursor carries the query.
      const cursor = Buffer.from(`adjusted=${adjusted}&limit=${limit}&sort=${desc ? 'desc' : 'asc'}`).toString(
        'base64url',
      );
      const bounds = desc ? `${rawFrom}/${next.t}` : `${next.t}/${rawTo}`;
      body.next_url = `${ctx.baseUrl}/v2/aggs/ticker/${encodeURIComponent(ticker)}/range/${multiplier}/${timespan}/${bounds}?cursor=${cursor}`;
    }
    return polyReply(ctx, 200, body);
  },
};

/** `GET /v2/aggs/ticker/{t}/prev`: the last completed session's bar, with `T`. */
export const prevRoute: Route = {
  endpoint: 'prev',
  keyed: true,
  handle(ctx) {
    const ticker = decodeURIComponent(ctx.path.split('/')[4] ?? '');
    const canonical = fromPolygon(ticker);
    const path = canonical === null ? null : ctx.view.path(canonical);
    const adjusted = ctx.query.get('adjusted') !== 'false';
    const body: Record<string, unknown> = { ticker, queryCount: 0, resultsCount: 0, adjusted };
    if (path !== null) {
      const now = ctx.view.now;
      let session = path.schedule.latest(now);
      while (session !== null && session.close > now) session = path.schedule.previous(session);
      const bar = session === null ? null : sessionBar(path, session, now, 'midnight');
      if (bar !== null) {
        if (ctx.view.isWrong(path.profile.symbol)) ctx.served('wrongPrice');
        const split = adjusted ? 1 : splitFactorAt(path, bar.t, now);
        const scaled = scaleBar(bar, ctx.view.factor(path.profile.symbol, bar.t) * split);
        const results = [aggOf(path, { ...scaled, v: scaled.v / split }, ticker)];
        driftAggs(ctx, results);
        Object.assign(body, { queryCount: 1, resultsCount: 1, results });
      }
    }
    Object.assign(body, { status: statusOf(ctx), request_id: ctx.requestId });
    if (body.results !== undefined) body.count = 1;
    return polyReply(ctx, 200, body);
  },
};
