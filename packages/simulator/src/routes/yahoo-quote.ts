import { longStats } from '../instrument-stats.js';
import { type QuoteSnapshot, quoteSnapshot } from '../market-view.js';
import { hashOf, unitOf } from '../prng.js';
import { priceDigits, type Route, type RouteContext, round } from '../route.js';
import { fromYahoo, toYahoo } from '../symbols.js';
import type { CrumbStore } from '../yahoo-crumbs.js';
import { financeError } from './yahoo-errors.js';
import { yahooQuoteType, yahooTimeZone, yahooTypeDisp } from './yahoo-labels.js';

const DAY_SEC = 86_400;

/** The `quoteResponse.result[]` entry of one instrument, with the field set real Yahoo sends. */
function quoteFields(ctx: RouteContext, q: QuoteSnapshot): Record<string, unknown> {
  const path = q.path;
  const p = path.profile;
  const now = ctx.view.now;
  const digits = priceDigits(p.assetClass, q.price);
  const px = (v: number) => round(v, digits);
  const pct = (v: number) => round(v, 7);
  const price = px(q.price);
  const prev = px(q.previousClose);
  const change = price - prev;
  const stats = longStats(path, now);
  const high52 = px(Math.max(stats.high52 * q.factor, q.day?.h ?? price));
  const low52 = px(Math.min(stats.low52 * q.factor, q.day?.l ?? price));
  const avg50 = px(stats.average50 * q.factor);
  const avg200 = px(stats.average200 * q.factor);
  const tz = yahooTimeZone(p, now);
  const equity = p.assetClass === 'equity' || p.assetClass === 'etf';
  const spread = price * 0.0002;
  const out: Record<string, unknown> = {
    language: 'en-US',
    region: 'US',
    quoteType: yahooQuoteType(p),
    typeDisp: yahooTypeDisp(p),
    quoteSourceName: equity ? 'Nasdaq Real Time Price' : p.assetClass === 'crypto' ? 'CoinMarketCap' : 'Delayed Quote',
    triggerable: true,
    customPriceAlertConfidence: 'HIGH',
    currency: p.currency,
    shortName: p.shortName,
    longName: p.longName,
    regularMarketChangePercent: pct((change / prev) * 100),
    regularMarketPrice: price,
    hasPrePostMarketData: path.schedule.extendedHours,
    firstTradeDateMilliseconds: p.firstTradeDate * 1000,
    priceHint: digits,
  };
  if (path.schedule.extendedHours && q.state !== 'REGULAR') {
    const latest = path.schedule.latest(now);
    const pre = q.state === 'PRE';
    const time = q.extended?.time ?? Math.min(now, latest?.postClose ?? now);
    const extPrice = px(q.extended?.price ?? path.priceAt(time) * q.factor);
    const key = pre ? 'preMarket' : 'postMarket';
    out[`${key}ChangePercent`] = pct(((extPrice - price) / price) * 100);
    out[`${key}Price`] = extPrice;
    out[`${key}Change`] = round(extPrice - price, 7);
    out[`${key}Time`] = Math.floor(time / 1000);
  }
  const dayOpen = px(q.day?.o ?? price);
  const dayHigh = px(q.day?.h ?? price);
  const dayLow = px(q.day?.l ?? price);
  Object.assign(out, {
    regularMarketChange: round(change, 7),
    regularMarketDayHigh: dayHigh,
    regularMarketDayRange: `${dayLow} - ${dayHigh}`,
    regularMarketDayLow: dayLow,
    regularMarketVolume: Math.round(q.day?.v ?? 0),
    regularMarketPreviousClose: prev,
    bid: px(price - spread),
    ask: px(price + spread),
    bidSize: 1 + (hashOf(p.symbol, 'bid', Math.floor(q.time / 60_000)) % 20),
    askSize: 1 + (hashOf(p.symbol, 'ask', Math.floor(q.time / 60_000)) % 20),
    fullExchangeName: p.fullExchangeName,
    financialCurrency: p.currency,
    regularMarketOpen: dayOpen,
    averageDailyVolume3Month: stats.volume3Month,
    averageDailyVolume10Day: stats.volume10Day,
    fiftyTwoWeekLowChange: round(price - low52, 6),
    fiftyTwoWeekLowChangePercent: round((price - low52) / low52, 8),
    fiftyTwoWeekRange: `${low52} - ${high52}`,
    fiftyTwoWeekHighChange: round(price - high52, 6),
    fiftyTwoWeekHighChangePercent: round((price - high52) / high52, 8),
    fiftyTwoWeekLow: low52,
    fiftyTwoWeekHigh: high52,
    fiftyTwoWeekChangePercent: round((price / (stats.yearAgo * q.factor) - 1) * 100, 6),
  });
  const shares = Math.round(Math.exp(Math.log(2e10) + unitOf(p.symbol, 'cap') * Math.log(150)) / p.basePrice);
  if (p.assetClass === 'equity') Object.assign(out, fundamentals(ctx, q, price, shares));
  Object.assign(out, {
    fiftyDayAverage: avg50,
    fiftyDayAverageChange: round(price - avg50, 6),
    fiftyDayAverageChangePercent: round((price - avg50) / avg50, 8),
    twoHundredDayAverage: avg200,
    twoHundredDayAverageChange: round(price - avg200, 6),
    twoHundredDayAverageChangePercent: round((price - avg200) / avg200, 8),
  });
  if (p.assetClass === 'equity') {
    const eps = price / (15 + 30 * unitOf(p.symbol, 'pe'));
    const book = price / (1 + 40 * unitOf(p.symbol, 'pb'));
    Object.assign(out, {
      marketCap: Math.round(shares * price),
      forwardPE: round(price / (eps * 1.1), 6),
      priceToBook: round(price / book, 6),
    });
  }
  if (p.assetClass === 'crypto') {
    Object.assign(out, {
      fromCurrency: p.symbol.split('-')[0],
      toCurrency: `${p.currency}=X`,
      lastMarket: 'CoinMarketCap',
      volume24Hr: Math.round((q.day?.v ?? 0) * price),
      volumeAllCurrencies: Math.round((q.day?.v ?? 0) * price),
      circulatingSupply: shares,
      marketCap: Math.round(shares * price),
    });
  }
  Object.assign(out, { sourceInterval: 15, exchangeDataDelayedBy: 0 });
  if (p.assetClass === 'equity') {
    out.averageAnalystRating = `${round(1 + 2 * unitOf(p.symbol, 'rating'), 1)} - Buy`;
  }
  Object.assign(out, { tradeable: false, cryptoTradeable: p.assetClass === 'crypto', corporateActions: [] });
  if (out.postMarketTime !== undefined) {
    const t = out.postMarketTime;
    delete out.postMarketTime;
    out.postMarketTime = t;
  }
  Object.assign(out, {
    regularMarketTime: Math.floor(q.time / 1000),
    marketState: q.state,
    exchange: p.exchange,
    messageBoardId: `finmb_${hashOf(p.symbol, 'board') % 100_000_000}`,
    exchangeTimezoneName: tz.name,
    exchangeTimezoneShortName: tz.short,
    gmtOffSetMilliseconds: tz.offsetSec * 1000,
    market: p.assetClass === 'crypto' ? 'ccc_market' : p.assetClass === 'fx' ? 'ccy_market' : 'us_market',
    esgPopulated: false,
  });
  if (p.assetClass === 'equity' || p.assetClass === 'etf') out.displayName = p.shortName.split(/[ ,.]/)[0];
  out.symbol = toYahoo(p.symbol);
  return out;
}

/** Dividend, earnings and per-share figures of an equity, made up from hashes of its symbol. */
function fundamentals(ctx: RouteContext, q: QuoteSnapshot, price: number, shares: number): Record<string, unknown> {
  const p = q.path.profile;
  const nowSec = Math.floor(ctx.view.now / 1000);
  const quarter = 91 * DAY_SEC;
  const phase = hashOf(p.symbol, 'earnings') % quarter;
  const lastEarnings = Math.floor((nowSec - phase) / quarter) * quarter + phase;
  const nextEarnings = lastEarnings + quarter;
  const eps = price / (15 + 30 * unitOf(p.symbol, 'pe'));
  const annualDividend = round(p.dividendYield * price, 2);
  const out: Record<string, unknown> = {};
  if (p.dividendYield > 0) out.dividendDate = lastEarnings + 14 * DAY_SEC;
  Object.assign(out, {
    earningsTimestamp: lastEarnings,
    earningsTimestampStart: nextEarnings,
    earningsTimestampEnd: nextEarnings + 4 * DAY_SEC,
    earningsCallTimestampStart: lastEarnings + 1800,
    earningsCallTimestampEnd: lastEarnings + 1800,
    isEarningsDateEstimate: true,
    trailingAnnualDividendRate: annualDividend,
    trailingPE: round(price / eps, 6),
  });
  if (p.dividendYield > 0) out.dividendRate = annualDividend;
  out.trailingAnnualDividendYield = round(annualDividend / price, 8);
  if (p.dividendYield > 0) out.dividendYield = round(p.dividendYield * 100, 2);
  Object.assign(out, {
    epsTrailingTwelveMonths: round(eps, 2),
    epsForward: round(eps * 1.1, 2),
    epsCurrentYear: round(eps * 1.05, 5),
    priceEpsCurrentYear: round(price / (eps * 1.05), 6),
    sharesOutstanding: shares,
    bookValue: round(price / (1 + 40 * unitOf(p.symbol, 'pb')), 3),
  });
  return out;
}

/**
 * `GET /v7/finance/quote?symbols=A,B&crumb=…`: needs the `A3` cookie and its crumb; unknown
 * symbols are left out of `result`, as Yahoo does.
 */
export function quoteRoute(crumbs: CrumbStore): Route {
  return {
    endpoint: 'quote',
    keyed: true,
    handle(ctx) {
      if (ctx.faults.quoteEndpointDisabled === true) {
        ctx.served('quoteEndpointDisabled');
        return financeError(
          401,
          'Unauthorized',
          'User is unable to access this feature - https://bit.ly/yahoo-finance-api-feedback',
        );
      }
      const check = crumbs.check(crumbs.sessionOf(ctx.headers.cookie), ctx.query.get('crumb'));
      if (check !== 'ok') {
        if (check === 'expired') ctx.served('expiredCrumb');
        return financeError(401, 'Unauthorized', 'Invalid Crumb');
      }
      const list = ctx.query.get('symbols');
      if (list === null || list.trim() === '') {
        return financeError(400, 'Bad Request', 'Missing required query parameter=symbols');
      }
      const result: Record<string, unknown>[] = [];
      const seen = new Set<string>();
      let wrong = false;
      for (const raw of list.split(',')) {
        const canonical = fromYahoo(raw.trim());
        if (canonical === null || seen.has(canonical)) continue;
        seen.add(canonical);
        const path = ctx.view.path(canonical);
        if (path === null) continue;
        wrong ||= ctx.view.isWrong(canonical);
        const fields = quoteFields(ctx, quoteSnapshot(ctx.view, path));
        if (ctx.faults.schemaDrift === true) {
          fields.regularMarketPriceV2 = fields.regularMarketPrice;
          delete fields.regularMarketPrice;
        }
        result.push(fields);
      }
      if (wrong) ctx.served('wrongPrice');
      if (ctx.faults.schemaDrift === true) ctx.served('schemaDrift');
      return { status: 200, body: { quoteResponse: { result, error: null } } };
    },
  };
}
