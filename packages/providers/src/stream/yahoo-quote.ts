import type { MarketState, Quote } from '@stockade/core';
import type { SessionCalendar } from '../provider.js';
import type { PricingData } from './yahoo-pricing.js';

/** What a Yahoo update needs to become a quote. */
export interface PricingQuoteContext {
  /** Provider name. */
  provider: string;
  /** Canonical symbol. */
  symbol: string;
  /** Fallback currency (the symbol's quote currency). */
  currency: string;
  /** Frame arrival, epoch ms. */
  receivedAt: number;
  /** Calendar, when the update names no session. */
  calendar: SessionCalendar;
}

const SESSIONS: Readonly<Record<number, MarketState>> = { 0: 'pre', 1: 'regular', 2: 'post', 3: 'post' };

/**
 * Rounds a float32 value to what Yahoo meant: `priceHint` decimals when sent (94745.078125 with
 * hint 2 is 94745.08), else float32's 7 significant digits.
 */
export function roundFloat32(x: number, hint: number | undefined): number {
  if (hint !== undefined && Number.isInteger(hint) && hint >= 0 && hint <= 10) {
    const f = 10 ** hint;
    return Math.round(x * f) / f;
  }
  return Number(x.toPrecision(7));
}

/** Merges an update into the last known fields of its symbol (Yahoo sends only what changed). */
export function mergePricing(known: PricingData | undefined, update: PricingData): PricingData {
  return known === undefined ? { ...update } : Object.assign(known, update);
}

const nonNegative = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n) && n >= 0;

/** The merged fields of a symbol as a core quote, or `undefined` while no price is known. */
export function quoteFromPricing(p: PricingData, ctx: PricingQuoteContext): Quote | undefined {
  if (!nonNegative(p.price)) return undefined;
  const hint = p.priceHint;
  const price = (x: number) => roundFloat32(x, hint);
  const asOf =
    p.time !== undefined && Number.isInteger(p.time) && p.time >= 0 ? Math.min(p.time, ctx.receivedAt) : ctx.receivedAt;
  const currency = typeof p.currency === 'string' && /^[A-Z]{3,5}$/.test(p.currency) ? p.currency : ctx.currency;
  const q: Quote = {
    symbol: ctx.symbol,
    price: price(p.price),
    change: p.change !== undefined && Number.isFinite(p.change) ? price(p.change) : null,
    changePercent:
      p.changePercent !== undefined && Number.isFinite(p.changePercent)
        ? roundFloat32(p.changePercent, undefined)
        : null,
    currency,
    exchange: p.exchange ?? '',
    marketState:
      (p.marketHours !== undefined ? SESSIONS[p.marketHours] : undefined) ??
      (ctx.calendar.session(ctx.symbol, asOf) as MarketState),
    asOf,
    provider: ctx.provider,
    stale: false,
    delayed: false,
    receivedAt: ctx.receivedAt,
  };
  if (nonNegative(p.bid) && p.bid > 0) q.bid = price(p.bid);
  if (nonNegative(p.ask) && p.ask > 0) q.ask = price(p.ask);
  if (nonNegative(p.bidSize) && q.bid !== undefined) q.bidSize = p.bidSize;
  if (nonNegative(p.askSize) && q.ask !== undefined) q.askSize = p.askSize;
  if (nonNegative(p.dayVolume)) q.volume = p.dayVolume;
  if (nonNegative(p.openPrice) && p.openPrice > 0) q.open = price(p.openPrice);
  if (nonNegative(p.dayHigh) && p.dayHigh > 0) q.high = price(p.dayHigh);
  if (nonNegative(p.dayLow) && p.dayLow > 0) q.low = price(p.dayLow);
  if (nonNegative(p.previousClose) && p.previousClose > 0) q.previousClose = price(p.previousClose);
  return q;
}
