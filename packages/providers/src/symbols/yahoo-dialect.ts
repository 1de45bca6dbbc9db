import { type SymbolDialect, symbolInfoOrNull } from './dialect.js';

/**
 * Yahoo's dialect. The canonical grammar is Yahoo's own except for share classes, which Yahoo
 * writes with a hyphen: `BRK.B` ↔ `BRK-B`; `BTC-USD`, `^GSPC`, `EURUSD=X`, `WSU.DE` are unchanged.
 * Yahoo serves every asset class.
 *
 * @example
 * yahooDialect.toProvider('BRK.B')   // → 'BRK-B'
 * yahooDialect.fromProvider('BRK-B') // → 'BRK.B'
 */
export const yahooDialect: SymbolDialect = {
  provider: 'yahoo',
  toProvider(symbol) {
    const info = symbolInfoOrNull(symbol);
    if (info === null) return null;
    if (info.shareClass !== undefined) return `${info.root}-${info.shareClass}`;
    return info.symbol;
  },
  fromProvider(providerSymbol) {
    return symbolInfoOrNull(providerSymbol)?.symbol ?? null;
  },
};
