import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.js';
import { marketVenueOf } from './market-venue.js';

describe('marketVenueOf', () => {
  it.each([
    ['equity', 'us-equity'],
    ['etf', 'us-equity'],
    ['index', 'us-index'],
    ['crypto', 'crypto'],
    ['fx', 'fx'],
    ['AAPL', 'us-equity'],
    ['brk-b', 'us-equity'],
    ['SPY', 'us-equity'],
    ['^GSPC', 'us-index'],
    ['BTC-USD', 'crypto'],
    ['EURUSD=X', 'fx'],
    ['WSU.DE', 'unknown'],
    ['VOD.L', 'unknown'],
    ['ABC.XYZ', 'unknown'],
  ])('%s → %s', (input, venue) => {
    expect(marketVenueOf(input)).toBe(venue);
    expect(marketVenueOf(input)).toBe(venue); // and again, from the cache
  });

  it('reads upper-case asset-class names as ticker symbols', () => {
    expect(marketVenueOf('INDEX')).toBe('us-equity');
    expect(marketVenueOf('FX')).toBe('us-equity');
  });

  it('rejects what is neither an asset class nor a symbol', () => {
    expect(() => marketVenueOf('bad symbol')).toThrow(ValidationError);
    expect(() => marketVenueOf('bad symbol')).toThrow(/whitespace/);
    expect(() => marketVenueOf(42 as unknown as string)).toThrow(
      /symbolOrAssetClass must be a symbol .* or an asset class .*got a value of type number/,
    );
    expect(() => marketVenueOf(null as unknown as string)).toThrow(/got null/);
  });
});
