import { describe, expect, it } from 'vitest';
import { type AlphaVantageInstrument, alphaVantageDialect, canonicalOfInstrument } from './alphavantage-dialect.js';
import { polygonDialect } from './polygon-dialect.js';
import { yahooDialect } from './yahoo-dialect.js';

type Row = [
  canonical: string,
  yahoo: string | null,
  polygon: string | null,
  alphavantage: AlphaVantageInstrument | null,
];

// prettier-ignore
const table: Row[] = [
  ['AAPL', 'AAPL', 'AAPL', { kind: 'equity', symbol: 'AAPL', currency: 'USD' }],
  ['MSFT', 'MSFT', 'MSFT', { kind: 'equity', symbol: 'MSFT', currency: 'USD' }],
  ['BRK.B', 'BRK-B', 'BRK.B', { kind: 'equity', symbol: 'BRK.B', currency: 'USD' }],
  ['BRK.A', 'BRK-A', 'BRK.A', { kind: 'equity', symbol: 'BRK.A', currency: 'USD' }],
  ['BF.B', 'BF-B', 'BF.B', { kind: 'equity', symbol: 'BF.B', currency: 'USD' }],
  ['SPY', 'SPY', 'SPY', { kind: 'equity', symbol: 'SPY', currency: 'USD' }],
  ['QQQ', 'QQQ', 'QQQ', { kind: 'equity', symbol: 'QQQ', currency: 'USD' }],
  ['WSU.DE', 'WSU.DE', null, { kind: 'equity', symbol: 'WSU.DEX', currency: 'EUR' }],
  ['VOD.L', 'VOD.L', null, { kind: 'equity', symbol: 'VOD.LON', currency: 'GBp' }],
  ['SHOP.TO', 'SHOP.TO', null, { kind: 'equity', symbol: 'SHOP.TRT', currency: 'CAD' }],
  ['7203.T', '7203.T', null, null],
  ['UNIR.MI', 'UNIR.MI', null, null],
  ['BTC-USD', 'BTC-USD', 'X:BTCUSD', { kind: 'crypto', symbol: 'BTC', market: 'USD' }],
  ['ETH-USD', 'ETH-USD', 'X:ETHUSD', { kind: 'crypto', symbol: 'ETH', market: 'USD' }],
  ['ETH-EUR', 'ETH-EUR', 'X:ETHEUR', { kind: 'crypto', symbol: 'ETH', market: 'EUR' }],
  ['SOL-USDT', 'SOL-USDT', 'X:SOLUSDT', null],
  ['^GSPC', '^GSPC', 'I:SPX', null],
  ['^NDX', '^NDX', 'I:NDX', null],
  ['^IXIC', '^IXIC', 'I:COMP', null],
  ['^DJI', '^DJI', 'I:DJI', null],
  ['^VIX', '^VIX', 'I:VIX', null],
  ['EURUSD=X', 'EURUSD=X', 'C:EURUSD', { kind: 'fx', from: 'EUR', to: 'USD' }],
  ['USDJPY=X', 'USDJPY=X', 'C:USDJPY', { kind: 'fx', from: 'USD', to: 'JPY' }],
  ['GBPUSD=X', 'GBPUSD=X', 'C:GBPUSD', { kind: 'fx', from: 'GBP', to: 'USD' }],
];

describe('symbol dialects', () => {
  it.each(table)('%s maps to each provider and back', (canonical, yahoo, polygon, av) => {
    expect(yahooDialect.toProvider(canonical)).toBe(yahoo);
    expect(polygonDialect.toProvider(canonical)).toBe(polygon);
    expect(alphaVantageDialect.toProvider(canonical)).toEqual(av);
    if (yahoo !== null) expect(yahooDialect.fromProvider(yahoo)).toBe(canonical);
    if (polygon !== null) expect(polygonDialect.fromProvider(polygon)).toBe(canonical);
    if (av !== null) expect(canonicalOfInstrument(av)).toBe(canonical);
  });

  it('accepts any spelling the canonical grammar accepts', () => {
    expect(polygonDialect.toProvider('brk-b')).toBe('BRK.B');
    expect(yahooDialect.toProvider('brk.b')).toBe('BRK-B');
    expect(alphaVantageDialect.fromProvider('BRK-B')).toBe('BRK.B');
  });

  it('maps Alpha Vantage exchange suffixes back to the canonical ones', () => {
    expect(alphaVantageDialect.fromProvider('TSCO.LON')).toBe('TSCO.L');
    expect(alphaVantageDialect.fromProvider('MBG.DEX')).toBe('MBG.DE');
  });

  it('refuses what is not a symbol instead of sending it', () => {
    for (const bad of ['', 'AA PL', 'A/B', 'x'.repeat(40)]) {
      expect(yahooDialect.toProvider(bad)).toBeNull();
      expect(polygonDialect.toProvider(bad)).toBeNull();
      expect(alphaVantageDialect.toProvider(bad)).toBeNull();
    }
    expect(polygonDialect.fromProvider('X:NOPE')).toBeNull();
    expect(polygonDialect.fromProvider('C:EUR')).toBeNull();
  });
});
