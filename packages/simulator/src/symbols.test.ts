import { describe, expect, it } from 'vitest';
import { fromAlphaVantage, fromPolygon, fromYahoo, toPolygon, toYahoo } from './symbols.js';

describe('provider symbol dialects', () => {
  it.each([
    ['BRK.B', 'BRK-B', 'BRK.B'],
    ['BTC-USD', 'BTC-USD', 'X:BTCUSD'],
    ['ETH-USDT', 'ETH-USDT', 'X:ETHUSDT'],
    ['^GSPC', '^GSPC', 'I:SPX'],
    ['^IXIC', '^IXIC', 'I:COMP'],
    ['EURUSD=X', 'EURUSD=X', 'C:EURUSD'],
    ['AAPL', 'AAPL', 'AAPL'],
  ])('%s is %s on Yahoo and %s on Polygon, and back', (canonical, yahoo, polygon) => {
    expect(toYahoo(canonical)).toBe(yahoo);
    expect(fromYahoo(yahoo)).toBe(canonical);
    expect(toPolygon(canonical)).toBe(polygon);
    expect(fromPolygon(polygon)).toBe(canonical);
  });

  it('has no Polygon ticker for a listing abroad, and rejects what is no ticker', () => {
    expect(toPolygon('WSU.DE')).toBeNull();
    expect(fromPolygon('X:')).toBeNull();
    expect(fromPolygon('C:EUR')).toBeNull();
    expect(fromYahoo('not a symbol')).toBeNull();
  });

  it('reads Alpha Vantage equity symbols in either share-class spelling', () => {
    expect(fromAlphaVantage('BRK-B')).toBe('BRK.B');
    expect(fromAlphaVantage('brk.b')).toBe('BRK.B');
    expect(fromAlphaVantage('BTC-USD')).toBeNull();
  });
});
