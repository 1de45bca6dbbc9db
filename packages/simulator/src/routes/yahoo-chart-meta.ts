import { longStats } from '../instrument-stats.js';
import type { QuoteSnapshot } from '../market-view.js';
import type { PricePath } from '../price-path.js';
import { priceDigits, type RouteContext, round } from '../route.js';
import type { TradingSession } from '../sessions.js';
import { isUsListed, VALID_RANGES, yahooQuoteType, yahooTimeZone } from './yahoo-labels.js';

const DAY_MS = 86_400_000;

interface MetaInput {
  ctx: RouteContext;
  path: PricePath;
  quote: QuoteSnapshot;
  yahooSymbol: string;
  interval: string;
  range: string;
  from: number;
  to: number;
  prePost: boolean;
  hasBars: boolean;
}

/** A `{timezone, start, end, gmtoffset}` period in seconds. */
function period(path: PricePath, start: number, end: number): Record<string, unknown> {
  const tz = yahooTimeZone(path.profile, start);
  return { timezone: tz.short, start: Math.floor(start / 1000), end: Math.floor(end / 1000), gmtoffset: tz.offsetSec };
}

/** The session Yahoo shows as `currentTradingPeriod`: today's, or the next one once today's is over. */
function currentSession(path: PricePath, now: number): TradingSession | null {
  const upcoming = path.schedule.between(now, now + 14 * DAY_MS).find((s) => s.postClose > now);
  return upcoming ?? path.schedule.latest(now);
}

/** The `meta` object of a chart result, with the field set real Yahoo sends. */
export function chartMeta(input: MetaInput): Record<string, unknown> {
  const { ctx, path, quote, interval } = input;
  const p = path.profile;
  const now = ctx.view.now;
  const digits = priceDigits(p.assetClass, quote.price);
  const px = (v: number) => round(v, digits);
  const tz = yahooTimeZone(p, now);
  const stats = longStats(path, now);
  const dayHigh = quote.day?.h ?? quote.price;
  const dayLow = quote.day?.l ?? quote.price;
  const intraday = !['1d', '5d', '1wk', '1mo', '3mo'].includes(interval);
  const isCrypto = p.assetClass === 'crypto';
  // The close before the window: the last session that ended before it began.
  const before = path.schedule.latest(input.from - 1);
  const chartPreviousClose =
    before !== null && before.close <= input.from ? path.priceAt(before.close) * quote.factor : quote.previousClose;
  const meta: Record<string, unknown> = {
    currency: p.currency,
    symbol: input.yahooSymbol,
    exchangeName: p.exchange,
    fullExchangeName: p.fullExchangeName,
    instrumentType: yahooQuoteType(p),
    firstTradeDate: p.firstTradeDate,
    regularMarketTime: Math.floor(quote.time / 1000),
    hasPrePostMarketData: path.schedule.extendedHours,
    gmtoffset: tz.offsetSec,
    timezone: tz.short,
    exchangeTimezoneName: tz.name,
    regularMarketPrice: px(quote.price),
    fiftyTwoWeekHigh: px(Math.max(stats.high52 * quote.factor, dayHigh)),
    fiftyTwoWeekLow: px(Math.min(stats.low52 * quote.factor, dayLow)),
    regularMarketDayHigh: px(dayHigh),
    regularMarketDayLow: px(dayLow),
    regularMarketVolume: Math.round(isCrypto ? (quote.day?.v ?? 0) * quote.price : (quote.day?.v ?? 0)),
    longName: p.longName,
    shortName: p.shortName,
    chartPreviousClose: px(chartPreviousClose),
  };
  if (intraday) {
    meta.previousClose = px(quote.previousClose);
    meta.scale = 3;
  }
  meta.priceHint = digits;
  const current = currentSession(path, now);
  if (current !== null) {
    const regularEnd = isCrypto ? current.close - 60_000 : current.close;
    meta.currentTradingPeriod = {
      pre: period(path, current.preOpen, current.open),
      regular: period(path, current.open, regularEnd),
      post: period(path, regularEnd, isCrypto ? regularEnd : current.postClose),
    };
  }
  if (intraday && input.hasBars) {
    const sessions = path.schedule.between(input.from, Math.min(input.to, now + 1));
    const regular = sessions.map((s) => [period(path, s.open, s.close)]);
    meta.tradingPeriods =
      input.prePost && isUsListed(p) && path.schedule.extendedHours
        ? {
            pre: sessions.map((s) => [period(path, s.preOpen, s.open)]),
            regular,
            post: sessions.map((s) => [period(path, s.close, s.postClose)]),
          }
        : regular;
  }
  meta.dataGranularity = interval;
  meta.range = input.range;
  meta.validRanges = VALID_RANGES;
  return meta;
}
