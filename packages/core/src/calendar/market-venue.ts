import { ValidationError } from '../errors/errors.js';
import { type AssetClass, parseSymbol } from '../schemas/symbol.js';

/**
 * Whose hours apply to a symbol: the NYSE's with extended hours (US equities and ETFs), the NYSE's
 * regular session only (indices), round the clock (crypto), the fx week, or none the calendar
 * models (a listing abroad, marked by an exchange suffix such as `.DE`).
 */
export type MarketVenue = 'us-equity' | 'us-index' | 'crypto' | 'fx' | 'unknown';

const ASSET_CLASS_VENUES: Readonly<Record<AssetClass, MarketVenue>> = {
  equity: 'us-equity',
  etf: 'us-equity',
  index: 'us-index',
  crypto: 'crypto',
  fx: 'fx',
};

// session() runs on every cache write, so a symbol's grammar is parsed once, not on every call.
const venueCache = new Map<string, MarketVenue>();
const MAX_CACHED_SYMBOLS = 10_000;

/**
 * The venue whose hours apply to an asset class (exactly `'equity'`, `'etf'`, `'index'`,
 * `'crypto'` or `'fx'`, lower case) or to a symbol in the canonical grammar.
 *
 * @throws {ValidationError} when the argument is neither an asset class nor a valid symbol.
 * @example
 * marketVenueOf('AAPL')    // → 'us-equity'
 * marketVenueOf('^GSPC')   // → 'us-index'
 * marketVenueOf('WSU.DE')  // → 'unknown'
 */
export function marketVenueOf(symbolOrAssetClass: string): MarketVenue {
  const cached = venueCache.get(symbolOrAssetClass);
  if (cached !== undefined) return cached;
  if (typeof symbolOrAssetClass !== 'string') {
    const got = symbolOrAssetClass === null ? 'null' : `a value of type ${typeof symbolOrAssetClass}`;
    const message = `symbolOrAssetClass must be a symbol (AAPL, BTC-USD, ^GSPC, EURUSD=X, WSU.DE) or an asset class (equity, etf, index, crypto, fx), got ${got}`;
    throw new ValidationError(message, [{ path: 'symbolOrAssetClass', message: 'expected a string' }]);
  }
  let venue: MarketVenue;
  if (Object.hasOwn(ASSET_CLASS_VENUES, symbolOrAssetClass)) {
    venue = ASSET_CLASS_VENUES[symbolOrAssetClass as AssetClass];
  } else {
    const info = parseSymbol(symbolOrAssetClass);
    venue = info.exchangeSuffix !== undefined ? 'unknown' : ASSET_CLASS_VENUES[info.assetClass];
  }
  if (venueCache.size >= MAX_CACHED_SYMBOLS) venueCache.clear();
  venueCache.set(symbolOrAssetClass, venue);
  return venue;
}
