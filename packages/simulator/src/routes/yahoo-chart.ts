import { dailyBars, groupBars, intradayBars, mergeBars, type SimBar } from '../bars.js';
import { dividendFactors, dividendsBetween, splitsBetween } from '../corporate-actions.js';
import { quoteSnapshot, scaleBar } from '../market-view.js';
import type { PricePath } from '../price-path.js';
import { unitOf } from '../prng.js';
import { priceDigits, type Route, type RouteContext, round, type SimReply } from '../route.js';
import { fromYahoo, toYahoo } from '../symbols.js';
import { chartMeta } from './yahoo-chart-meta.js';
import { chartError } from './yahoo-errors.js';
import { VALID_RANGES } from './yahoo-labels.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const INTRADAY: Readonly<Record<string, number>> = {
  '1m': 1,
  '2m': 2,
  '5m': 5,
  '15m': 15,
  '30m': 30,
  '60m': 60,
  '90m': 90,
  '1h': 60,
};
const VALID_INTERVALS = ['1m', '2m', '5m', '15m', '30m', '60m', '90m', '1h', '1d', '5d', '1wk', '1mo', '3mo'];
// Yahoo leaves out about one intraday bar in a few hundred, as all-null entries.
const NULL_BAR_RATE = 1 / 300;

/** The window `[from, to)` in ms a chart request asks for, or an error reply. */
function windowOf(
  ctx: RouteContext,
  path: PricePath,
  now: number,
): { from: number; to: number; range: string } | SimReply {
  const q = ctx.query;
  const p1 = q.get('period1');
  const p2 = q.get('period2');
  if (p1 !== null || p2 !== null) {
    const from = Number(p1 ?? 0);
    const to = p2 === null ? Math.floor(now / 1000) : Number(p2);
    if (!Number.isFinite(from) || !Number.isFinite(to)) {
      return chartError(
        400,
        'Bad Request',
        `Invalid input - period1=${p1} and period2=${p2} must be unix timestamps in seconds`,
      );
    }
    if (to < from) {
      return chartError(
        400,
        'Bad Request',
        `Invalid input - start date cannot be after end date. startDate = ${from}, endDate = ${to}`,
      );
    }
    // Yahoo includes a bar stamped exactly at period2.
    return { from: from * 1000, to: to * 1000 + 1, range: '' };
  }
  const range = q.get('range') ?? '1d';
  if (!VALID_RANGES.includes(range)) {
    return chartError(
      400,
      'Bad Request',
      `Invalid input - range=${range} is not supported. Valid ranges: [${VALID_RANGES.join(', ')}]`,
    );
  }
  const to = now + 1;
  if (range === '1d' || range === '5d') {
    let s = path.schedule.latest(now);
    for (let i = 1; s !== null && i < (range === '1d' ? 1 : 5); i++) s = path.schedule.previous(s);
    return { from: s === null ? now - DAY_MS : s.midnight, to, range };
  }
  if (range === 'max') return { from: path.startsAt, to, range };
  const d = new Date(now);
  if (range === 'ytd') return { from: Date.UTC(d.getUTCFullYear(), 0, 1), to, range };
  const months = { '1mo': 1, '3mo': 3, '6mo': 6, '1y': 12, '2y': 24, '5y': 60, '10y': 120 }[range] ?? 1;
  return {
    from: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - months, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()),
    to,
    range,
  };
}

function barsOf(path: PricePath, interval: string, from: number, to: number, now: number, prePost: boolean): SimBar[] {
  const minutes = INTRADAY[interval];
  const us = path.schedule.extendedHours || path.profile.assetClass === 'index';
  if (minutes !== undefined) {
    return intradayBars(path, {
      from,
      to,
      intervalMs: minutes * MINUTE_MS,
      align: (s) => (us ? s.open : s.midnight),
      extended: prePost && path.schedule.extendedHours,
      now,
    });
  }
  const daily = dailyBars(path, from, to, now, us ? 'open' : 'midnight');
  switch (interval) {
    case '5d': {
      const out: SimBar[] = [];
      for (let i = 0; i < daily.length; i += 5) {
        const chunk = daily.slice(i, i + 5);
        out.push(mergeBars(chunk, (chunk[0] as SimBar).t));
      }
      return out;
    }
    case '1wk':
      // Weeks start on Monday; the bucket is stamped with its first bar.
      return restamp(
        groupBars(daily, (b) => Math.floor((b.t / DAY_MS + 3) / 7)),
        daily,
        (b) => Math.floor((b.t / DAY_MS + 3) / 7),
      );
    case '1mo':
    case '3mo': {
      const span = interval === '1mo' ? 1 : 3;
      const key = (b: SimBar) => {
        const d = new Date(b.t);
        return d.getUTCFullYear() * 12 + Math.floor(d.getUTCMonth() / span);
      };
      return restamp(groupBars(daily, key), daily, key);
    }
    default:
      return daily;
  }
}

/** Stamps grouped bars with the time of the first daily bar of their group. */
function restamp(groups: SimBar[], daily: readonly SimBar[], key: (b: SimBar) => number): SimBar[] {
  const first = new Map<number, number>();
  for (const b of daily) if (!first.has(key(b))) first.set(key(b), b.t);
  return groups.map((g) => ({ ...g, t: first.get(g.t) ?? g.t }));
}

/** `GET /v8/finance/chart/{symbol}`: bars, meta and events; no crumb needed. */
export const chartRoute: Route = {
  endpoint: 'chart',
  keyed: false,
  handle(ctx) {
    const requested = decodeURIComponent(ctx.path.slice('/v8/finance/chart/'.length));
    const canonical = fromYahoo(requested);
    const path = canonical === null ? null : ctx.view.path(canonical);
    if (path === null) return chartError(404, 'Not Found', 'No data found, symbol may be delisted');
    const interval = ctx.query.get('interval') ?? '1d';
    if (!VALID_INTERVALS.includes(interval)) {
      return chartError(
        400,
        'Bad Request',
        `Invalid input - interval=${interval} is not supported. Valid intervals: [${VALID_INTERVALS.join(', ')}]`,
      );
    }
    const now = ctx.view.now;
    const window = windowOf(ctx, path, now);
    if ('status' in window) return window;
    const { from, to, range } = window;
    const startSec = Math.floor(from / 1000);
    const endSec = Math.floor(to / 1000);
    if (to <= path.startsAt)
      return chartError(400, 'Bad Request', `Data doesn't exist for startDate = ${startSec}, endDate = ${endSec}`);
    const minutes = INTRADAY[interval];
    if (minutes !== undefined) {
      if (minutes === 1 && to - from > 8 * DAY_MS) {
        return chartError(
          422,
          'Unprocessable Entity',
          `1m data not available for startTime=${startSec} and endTime=${endSec}. Only 7 days worth of 1m granularity data are allowed to be fetched per request.`,
        );
      }
      const maxAge = minutes === 1 ? 30 : minutes >= 60 ? 730 : 60;
      if (from < now - maxAge * DAY_MS) {
        return chartError(
          422,
          'Unprocessable Entity',
          `${interval} data not available for startTime=${startSec} and endTime=${endSec}. The requested range must be within the last ${maxAge} days.`,
        );
      }
    }
    const prePost = ctx.query.get('includePrePost') === 'true';
    const symbol = path.profile.symbol;
    const digits = priceDigits(path.profile.assetClass, path.profile.basePrice) + 2;
    const px = (v: number) => Math.fround(round(v, digits));
    const bars = barsOf(path, interval, from, to, now, prePost).map((b) => scaleBar(b, ctx.view.factor(symbol, b.t)));
    if (ctx.view.isWrong(symbol)) ctx.served('wrongPrice');
    const quote = quoteSnapshot(ctx.view, path);
    const meta = chartMeta({
      ctx,
      path,
      quote,
      yahooSymbol: toYahoo(symbol),
      interval,
      range,
      from,
      to,
      prePost,
      hasBars: bars.length > 0,
    });
    if (ctx.faults.schemaDrift === true) {
      meta.regularMarketPriceV2 = meta.regularMarketPrice;
      delete meta.regularMarketPrice;
      ctx.served('schemaDrift');
    }
    const result: Record<string, unknown> = { meta };
    const daily = minutes === undefined;
    const cryptoVolume = path.profile.assetClass === 'crypto';
    if (bars.length > 0) {
      const nulls = bars.map(
        (b) => !daily && !b.partial && unitOf(ctx.view.provider, symbol, 'null', b.t) < NULL_BAR_RATE,
      );
      const col = (f: (b: SimBar) => number) => bars.map((b, i) => (nulls[i] ? null : f(b)));
      result.timestamp = bars.map((b) => Math.floor(b.t / 1000));
      const events = eventsOf(ctx, path, from, to, now);
      if (events !== null) result.events = events;
      const quoteBlock: Record<string, unknown> = {
        open: col((b) => px(b.o)),
        high: col((b) => px(b.h)),
        low: col((b) => px(b.l)),
        close: col((b) => px(b.c)),
        // Yahoo reports crypto volume in the quote currency, equity volume in shares.
        volume: col((b) => Math.round(cryptoVolume ? b.v * b.vw : b.v)),
      };
      if (ctx.faults.schemaDrift === true) {
        quoteBlock.closePrice = quoteBlock.close;
        delete quoteBlock.close;
      }
      const indicators: Record<string, unknown> = { quote: [quoteBlock] };
      if (daily) {
        const factors = dividendFactors(
          path,
          bars.map((b) => b.t),
          now,
        );
        indicators.adjclose = [{ adjclose: bars.map((b, i) => px(b.c * (factors[i] ?? 1))) }];
      }
      result.indicators = indicators;
    } else {
      result.indicators = daily ? { quote: [{}], adjclose: [{}] } : { quote: [{}] };
    }
    return { status: 200, body: { chart: { result: [result], error: null } } };
  },
};

/** `events.dividends` and `events.splits` in the window, when the request asks for them. */
function eventsOf(
  ctx: RouteContext,
  path: PricePath,
  from: number,
  to: number,
  now: number,
): Record<string, unknown> | null {
  const wanted = (ctx.query.get('events') ?? '').toLowerCase();
  const out: Record<string, unknown> = {};
  if (wanted.includes('div')) {
    const divs = dividendsBetween(path, from, to, now);
    if (divs.length > 0) {
      out.dividends = Object.fromEntries(
        divs.map((d) => {
          const t = Math.floor(d.session.open / 1000);
          return [String(t), { amount: d.amount, date: t }];
        }),
      );
    }
  }
  if (wanted.includes('split')) {
    const splits = splitsBetween(path, from, to, now);
    if (splits.length > 0) {
      out.splits = Object.fromEntries(
        splits.map((s) => {
          const t = Math.floor(s.session.open / 1000);
          return [
            String(t),
            {
              date: t,
              numerator: s.numerator,
              denominator: s.denominator,
              splitRatio: `${s.numerator}:${s.denominator}`,
            },
          ];
        }),
      );
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}
