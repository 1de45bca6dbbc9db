import { describe, expect, it } from 'vitest';
import { REDACTED, redact, redactDeep, registerSecret, unregisterSecret } from './redact.js';

describe('redact', () => {
  it('removes key-shaped query parameters whatever their value', () => {
    expect(redact('GET https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=MSFT&apikey=XYZ123QWE')).toBe(
      `GET https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=MSFT&apikey=${REDACTED}`,
    );
    expect(redact('/v2/aggs?apiKey=abc&limit=5')).toBe(`/v2/aggs?apiKey=${REDACTED}&limit=5`);
    expect(redact('/v7/finance/quote?symbols=AAPL&crumb=Abc.123')).toBe(
      `/v7/finance/quote?symbols=AAPL&crumb=${REDACTED}`,
    );
  });

  it('removes bearer tokens and the key Alpha Vantage echoes back', () => {
    expect(redact('authorization: Bearer abcDEF123._-')).toBe(`authorization: Bearer ${REDACTED}`);
    expect(
      redact('We have detected your API key as SECRETKEY42 and our standard API rate limit is 25 requests per day.'),
    ).toBe(`We have detected your API key as ${REDACTED} and our standard API rate limit is 25 requests per day.`);
    expect(redact('{"action":"auth","params":"PKEY0000111122223333"}')).toBe(
      `{"action":"auth","params":"${REDACTED}"}`,
    );
  });

  it('removes registered secrets wherever they appear, until unregistered', () => {
    registerSecret('s3cr3t-value-0001');
    expect(redact('key s3cr3t-value-0001 leaked')).toBe(`key ${REDACTED} leaked`);
    unregisterSecret('s3cr3t-value-0001');
    expect(redact('key s3cr3t-value-0001 leaked')).toBe('key s3cr3t-value-0001 leaked');
  });

  it('ignores secrets too short to be safe to redact', () => {
    registerSecret('ab');
    expect(redact('abc ab')).toBe('abc ab');
  });

  it('redacts nested values and key-named fields', () => {
    registerSecret('nested-secret-9999');
    expect(redactDeep({ apiKey: 'whatever', list: ['x nested-secret-9999'], n: 3 })).toEqual({
      apiKey: REDACTED,
      list: [`x ${REDACTED}`],
      n: 3,
    });
  });
});
