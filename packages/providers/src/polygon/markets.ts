import { parseSymbol } from '@stockade/core';

/** The Polygon market a symbol trades in; each has its own snapshot endpoint. */
export type PolygonMarket = 'stocks' | 'crypto' | 'forex' | 'indices';

/** What the adapter needs to know about a symbol's market. */
export interface MarketFacts {
  /** Market. */
  market: PolygonMarket;
  /** Currency of the prices. */
  currency: string;
  /** The `exchange` written on its quotes. */
  exchange: string;
  /** Zone of bar session dates: aggregates of crypto and fx are stamped at UTC midnight. */
  zone: string;
}

/** The market facts of a canonical symbol Polygon serves. */
export function marketOf(symbol: string): MarketFacts {
  const info = parseSymbol(symbol);
  switch (info.assetClass) {
    case 'crypto':
      return { market: 'crypto', currency: info.quoteCurrency ?? 'USD', exchange: 'CRYPTO', zone: 'UTC' };
    case 'fx':
      return { market: 'forex', currency: info.quoteCurrency ?? 'USD', exchange: 'FX', zone: 'UTC' };
    case 'index':
      return { market: 'indices', currency: 'USD', exchange: 'INDEX', zone: 'America/New_York' };
    default:
      return { market: 'stocks', currency: 'USD', exchange: 'US', zone: 'America/New_York' };
  }
}

/** Path of the v2 multi-ticker snapshot of a market (indices use v3, see the adapter). */
export function snapshotPath(market: Exclude<PolygonMarket, 'indices'>): string {
  return market === 'stocks'
    ? '/v2/snapshot/locale/us/markets/stocks/tickers'
    : `/v2/snapshot/locale/global/markets/${market}/tickers`;
}
