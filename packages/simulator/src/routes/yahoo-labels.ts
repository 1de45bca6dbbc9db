import { newYorkOffsetMs } from '@stockade/core';
import type { SymbolProfile } from '../symbol-profiles.js';

/** Ranges Yahoo accepts, as it lists them in `meta.validRanges`. */
export const VALID_RANGES: readonly string[] = ['1d', '5d', '1mo', '3mo', '6mo', '1y', '2y', '5y', '10y', 'ytd', 'max'];

/** Yahoo's `instrumentType` / `quoteType` of a profile. */
export function yahooQuoteType(p: SymbolProfile): string {
  return { equity: 'EQUITY', etf: 'ETF', index: 'INDEX', crypto: 'CRYPTOCURRENCY', fx: 'CURRENCY' }[p.assetClass];
}

/** Yahoo's `typeDisp` of a profile. */
export function yahooTypeDisp(p: SymbolProfile): string {
  return { equity: 'Equity', etf: 'ETF', index: 'Index', crypto: 'Cryptocurrency', fx: 'Currency' }[p.assetClass];
}

/** Whether a profile trades on a US exchange (New York hours). */
export function isUsListed(p: SymbolProfile): boolean {
  return p.assetClass === 'equity' || p.assetClass === 'etf' || p.assetClass === 'index'
    ? !p.symbol.includes('.') || /\.[A-Z]$/.test(p.symbol)
    : false;
}

/** The exchange time zone Yahoo reports for a profile at an instant. */
export function yahooTimeZone(p: SymbolProfile, at: number): { name: string; short: string; offsetSec: number } {
  if (isUsListed(p)) {
    const offsetSec = newYorkOffsetMs(at) / 1000;
    return { name: 'America/New_York', short: offsetSec === -14_400 ? 'EDT' : 'EST', offsetSec };
  }
  if (p.assetClass === 'fx') return { name: 'Europe/London', short: 'GMT', offsetSec: 0 };
  return { name: 'UTC', short: 'UTC', offsetSec: 0 };
}
