import { type SymbolDialect, symbolInfoOrNull } from './dialect.js';

/** What Alpha Vantage is asked for: a listed ticker, a crypto pair or an fx pair, each with its own functions. */
export type AlphaVantageInstrument =
  | { kind: 'equity'; symbol: string; currency: string }
  | { kind: 'crypto'; symbol: string; market: string }
  | { kind: 'fx'; from: string; to: string };

// Canonical (Yahoo-style) exchange suffix → Alpha Vantage's suffix and the price currency.
const SUFFIXES: Readonly<Record<string, { av: string; currency: string }>> = {
  DE: { av: 'DEX', currency: 'EUR' },
  L: { av: 'LON', currency: 'GBp' },
  TO: { av: 'TRT', currency: 'CAD' },
  V: { av: 'TRV', currency: 'CAD' },
  BO: { av: 'BSE', currency: 'INR' },
  SS: { av: 'SHH', currency: 'CNY' },
  SZ: { av: 'SHZ', currency: 'CNY' },
};
const SUFFIX_FROM_AV: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(SUFFIXES).map(([canonical, { av }]) => [av, canonical]),
);
// DIGITAL_CURRENCY_* take a physical market currency; stablecoin or crypto quotes are not served.
const CRYPTO_MARKETS = new Set(['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD']);

/**
 * Alpha Vantage's dialect: US tickers as traded (`BRK.B`), listings abroad with AV's suffixes
 * (`WSU.DE` → `WSU.DEX`, `VOD.L` → `VOD.LON`), crypto and fx as currency pairs for the
 * `CURRENCY_EXCHANGE_RATE`, `DIGITAL_CURRENCY_DAILY` and `FX_DAILY` functions. Indices are not served.
 *
 * @example
 * alphaVantageDialect.toProvider('BTC-USD') // → { kind: 'crypto', symbol: 'BTC', market: 'USD' }
 */
export const alphaVantageDialect: SymbolDialect<AlphaVantageInstrument> = {
  provider: 'alphavantage',
  toProvider(symbol) {
    const info = symbolInfoOrNull(symbol);
    if (info === null) return null;
    switch (info.assetClass) {
      case 'index':
        return null;
      case 'crypto':
        return CRYPTO_MARKETS.has(info.quoteCurrency ?? '')
          ? { kind: 'crypto', symbol: info.baseCurrency as string, market: info.quoteCurrency as string }
          : null;
      case 'fx':
        return { kind: 'fx', from: info.baseCurrency as string, to: info.quoteCurrency as string };
      default: {
        if (info.exchangeSuffix === undefined) return { kind: 'equity', symbol: info.symbol, currency: 'USD' };
        const suffix = SUFFIXES[info.exchangeSuffix];
        return suffix === undefined
          ? null
          : { kind: 'equity', symbol: `${info.root}.${suffix.av}`, currency: suffix.currency };
      }
    }
  },
  fromProvider(providerSymbol) {
    const s = providerSymbol.toUpperCase();
    const m = /^([A-Z0-9]{1,12})\.([A-Z]{3})$/.exec(s);
    const canonical =
      m !== null && SUFFIX_FROM_AV[m[2] as string] !== undefined ? `${m[1]}.${SUFFIX_FROM_AV[m[2] as string]}` : s;
    return symbolInfoOrNull(canonical)?.symbol ?? null;
  },
};

/** The canonical symbol of an Alpha Vantage instrument. */
export function canonicalOfInstrument(instrument: AlphaVantageInstrument): string | null {
  switch (instrument.kind) {
    case 'crypto':
      return symbolInfoOrNull(`${instrument.symbol}-${instrument.market}`)?.symbol ?? null;
    case 'fx':
      return symbolInfoOrNull(`${instrument.from}${instrument.to}=X`)?.symbol ?? null;
    default:
      return alphaVantageDialect.fromProvider(instrument.symbol);
  }
}
