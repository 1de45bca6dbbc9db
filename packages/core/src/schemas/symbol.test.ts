import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.js';
import { assetClassOf, normalizeSymbol, parseSymbol, SymbolSchema } from './symbol.js';

describe('the canonical symbol grammar', () => {
  it.each([
    ['AAPL', 'AAPL', 'equity'],
    ['aapl', 'AAPL', 'equity'],
    ['BRK.B', 'BRK.B', 'equity'],
    ['BRK-B', 'BRK.B', 'equity'],
    ['WSU.DE', 'WSU.DE', 'equity'],
    ['VOD.L', 'VOD.L', 'equity'],
    ['BTC-USD', 'BTC-USD', 'crypto'],
    ['eth-usdt', 'ETH-USDT', 'crypto'],
    ['^GSPC', '^GSPC', 'index'],
    ['EURUSD=X', 'EURUSD=X', 'fx'],
    ['SPY', 'SPY', 'etf'],
  ])('normalizes %s to %s (%s)', (input, canonical, assetClass) => {
    const info = parseSymbol(input);
    expect(info.symbol).toBe(canonical);
    expect(info.assetClass).toBe(assetClass);
  });

  it('tells a share class from an exchange suffix', () => {
    expect(parseSymbol('BRK.B')).toMatchObject({ root: 'BRK', shareClass: 'B', exchange: 'US' });
    expect(parseSymbol('WSU.DE')).toMatchObject({ root: 'WSU', exchangeSuffix: 'DE', exchange: 'XETRA' });
    expect(parseSymbol('ABC.XYZ')).toMatchObject({ exchangeSuffix: 'XYZ', exchange: 'unknown' });
  });

  it('splits crypto and fx pairs into currencies', () => {
    expect(parseSymbol('BTC-USD')).toMatchObject({ baseCurrency: 'BTC', quoteCurrency: 'USD' });
    expect(parseSymbol('EURUSD=X')).toMatchObject({ baseCurrency: 'EUR', quoteCurrency: 'USD' });
  });

  it.each([
    ['', /empty/],
    [' AAPL', /whitespace/],
    ['AA PL', /whitespace/],
    ['AAPL/X', /'\/'/],
    ['..\\etc', /'\\'/],
    ['AAPL?x=1', /'\?'/],
    ['AAPL&apikey=1', /'&'/],
    ['AAPL#1', /'#'/],
    ['AAPL%0D', /'%'/],
    ['AAPL\r\nX', /whitespace|control/],
    ['AAPL\u0000', /control character/],
    ['A'.repeat(33), /33 characters long; at most 32/],
    ['BTC-XYZ', /not a supported quote currency/],
    ['=X', /does not follow the symbol grammar/],
  ])('rejects %j with a message that names the symbol', (input, reason) => {
    let caught: unknown;
    try {
      parseSymbol(input);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    const message = (caught as ValidationError).message;
    expect(message).toMatch(reason);
    if (input !== '') expect(message).toContain(JSON.stringify(input.slice(0, 40)).slice(1, 4));
  });

  it('rejects non-strings with a typed error', () => {
    expect(() => parseSymbol(42)).toThrow(ValidationError);
    expect(() => parseSymbol(null)).toThrow(/got null/);
  });

  it('exposes the same grammar as a zod schema that outputs the canonical form', () => {
    expect(SymbolSchema.parse('brk-b')).toBe('BRK.B');
    const r = SymbolSchema.safeParse('AAPL/..');
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toContain('"AAPL/.."');
  });

  it('offers normalizeSymbol and assetClassOf shortcuts', () => {
    expect(normalizeSymbol('msft')).toBe('MSFT');
    expect(assetClassOf('^IXIC')).toBe('index');
  });
});
