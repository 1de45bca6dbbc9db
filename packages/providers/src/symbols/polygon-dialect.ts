import { CRYPTO_QUOTE_CURRENCIES } from '@stockade/core';
import { type SymbolDialect, symbolInfoOrNull } from './dialect.js';

// Yahoo-style index roots whose Polygon ticker differs; the rest keep their root (^NDX ↔ I:NDX).
const INDEX_TO_POLYGON: Readonly<Record<string, string>> = { GSPC: 'SPX', IXIC: 'COMP', NYA: 'NYA' };
const INDEX_FROM_POLYGON: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(INDEX_TO_POLYGON).map(([y, p]) => [p, y]),
);
const QUOTES_LONGEST_FIRST = [...CRYPTO_QUOTE_CURRENCIES].sort((a, b) => b.length - a.length);

/**
 * Polygon's (and Massive's) dialect: US equities and ETFs as traded (`BRK.B`), crypto `X:BTCUSD`,
 * fx `C:EURUSD`, indices `I:SPX` (`^GSPC`), `I:COMP` (`^IXIC`), otherwise `I:<root>`. Listings
 * abroad (`WSU.DE`) are not served.
 *
 * @example
 * polygonDialect.toProvider('BTC-USD') // → 'X:BTCUSD'
 * polygonDialect.fromProvider('I:SPX') // → '^GSPC'
 */
export const polygonDialect: SymbolDialect = {
  provider: 'polygon',
  toProvider(symbol) {
    const info = symbolInfoOrNull(symbol);
    if (info === null) return null;
    switch (info.assetClass) {
      case 'crypto':
        return `X:${info.baseCurrency}${info.quoteCurrency}`;
      case 'fx':
        return `C:${info.baseCurrency}${info.quoteCurrency}`;
      case 'index':
        return `I:${INDEX_TO_POLYGON[info.root] ?? info.root}`;
      default:
        return info.exchangeSuffix === undefined ? info.symbol : null;
    }
  },
  fromProvider(providerSymbol) {
    const s = providerSymbol.toUpperCase();
    if (s.startsWith('X:')) {
      const pair = s.slice(2);
      const quote = QUOTES_LONGEST_FIRST.find((q) => pair.endsWith(q) && pair.length > q.length);
      return quote === undefined
        ? null
        : (symbolInfoOrNull(`${pair.slice(0, -quote.length)}-${quote}`)?.symbol ?? null);
    }
    if (s.startsWith('C:')) return /^[A-Z]{6}$/.test(s.slice(2)) ? `${s.slice(2)}=X` : null;
    if (s.startsWith('I:')) {
      const root = s.slice(2);
      return symbolInfoOrNull(`^${INDEX_FROM_POLYGON[root] ?? root}`)?.symbol ?? null;
    }
    const info = symbolInfoOrNull(s);
    return info !== null &&
      info.exchangeSuffix === undefined &&
      (info.assetClass === 'equity' || info.assetClass === 'etf')
      ? info.symbol
      : null;
  },
};
