import { parseSymbol } from '@stockade/core';

/** Yahoo index symbols and the Polygon/Massive index tickers (without `I:`) they correspond to. */
const INDEX_TICKERS: ReadonlyArray<readonly [yahoo: string, polygon: string]> = [
  ['^GSPC', 'SPX'],
  ['^DJI', 'DJI'],
  ['^IXIC', 'COMP'],
  ['^NDX', 'NDX'],
  ['^RUT', 'RUT'],
  ['^VIX', 'VIX'],
];
const POLYGON_INDEX = new Map(INDEX_TICKERS.map(([y, p]) => [y, p] as const));
const YAHOO_INDEX = new Map(INDEX_TICKERS.map(([y, p]) => [p, y] as const));

// Quote currencies tried when splitting Polygon's `X:BTCUSD`, longest first so USDT beats USD.
const CRYPTO_QUOTES = ['USDT', 'USDC', 'USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD', 'BTC', 'ETH'];

/** The canonical symbol a string names, or null when it does not follow the grammar. */
export function canonicalOrNull(input: string): string | null {
  try {
    return parseSymbol(input).symbol;
  } catch {
    return null;
  }
}

/** Yahoo's spelling of a canonical symbol: `BRK.B` → `BRK-B`; crypto, indices and fx are already Yahoo's. */
export function toYahoo(canonical: string): string {
  const info = parseSymbol(canonical);
  return info.shareClass !== undefined ? `${info.root}-${info.shareClass}` : info.symbol;
}

/** The canonical symbol of a Yahoo symbol (`BRK-B` → `BRK.B`), or null. */
export function fromYahoo(yahoo: string): string | null {
  return canonicalOrNull(yahoo);
}

/**
 * Polygon's (and Massive's) ticker of a canonical symbol: `BRK.B`, `X:BTCUSD`, `I:SPX`, `C:EURUSD`;
 * null for listings abroad, which those US feeds do not carry.
 */
export function toPolygon(canonical: string): string | null {
  const info = parseSymbol(canonical);
  switch (info.assetClass) {
    case 'crypto':
      return `X:${info.baseCurrency}${info.quoteCurrency}`;
    case 'fx':
      return `C:${info.baseCurrency}${info.quoteCurrency}`;
    case 'index':
      return `I:${POLYGON_INDEX.get(info.symbol) ?? info.root}`;
    default:
      return info.exchangeSuffix === undefined ? info.symbol : null;
  }
}

/** The canonical symbol of a Polygon/Massive ticker, or null when it is not one. */
export function fromPolygon(ticker: string): string | null {
  const t = ticker.toUpperCase();
  if (t.startsWith('X:')) {
    const pair = t.slice(2);
    const quote = CRYPTO_QUOTES.find((q) => pair.endsWith(q) && pair.length > q.length);
    return quote === undefined ? null : canonicalOrNull(`${pair.slice(0, -quote.length)}-${quote}`);
  }
  if (t.startsWith('C:')) return /^[A-Z]{6}$/.test(t.slice(2)) ? canonicalOrNull(`${t.slice(2)}=X`) : null;
  if (t.startsWith('I:')) return canonicalOrNull(YAHOO_INDEX.get(t.slice(2)) ?? `^${t.slice(2)}`);
  if (t.includes(':') || t.includes('-')) return null;
  const canonical = canonicalOrNull(t);
  return canonical !== null && parseSymbol(canonical).exchangeSuffix === undefined ? canonical : null;
}

/**
 * The canonical symbol of an Alpha Vantage equity symbol (`MSFT`, `BRK.B` or `BRK-B`); null for
 * anything else (Alpha Vantage quotes crypto and fx through currency codes, not symbols).
 */
export function fromAlphaVantage(symbol: string): string | null {
  const canonical = canonicalOrNull(symbol);
  if (canonical === null) return null;
  const info = parseSymbol(canonical);
  return (info.assetClass === 'equity' || info.assetClass === 'etf') && info.exchangeSuffix === undefined
    ? canonical
    : null;
}
