import { describe, expect, it } from 'vitest';
import { classifyAlphaVantageBody } from './errors.js';

const now = Date.parse('2025-03-04T15:00:00Z');

describe('classifyAlphaVantageBody', () => {
  it('leaves data bodies alone', () => {
    expect(classifyAlphaVantageBody({ 'Global Quote': {} }, now)).toBeUndefined();
    expect(classifyAlphaVantageBody([], now)).toBeUndefined();
  });

  it('reads the premium-endpoint notice as not_entitled, not as throttling', () => {
    const r = classifyAlphaVantageBody(
      {
        Information:
          'Thank you for using Alpha Vantage! This is a premium endpoint. You may subscribe to any of the premium plans at https://www.alphavantage.co/premium/ to instantly unlock all premium endpoints',
      },
      now,
    );
    expect(r?.kind).toBe('not_entitled');
  });

  it('reads the demo-key notice as auth', () => {
    const r = classifyAlphaVantageBody(
      {
        Information:
          'The **demo** API key is for demo purposes only. Please claim your free API key at (https://www.alphavantage.co/support/#api-key) to explore our full API offerings.',
      },
      now,
    );
    expect(r?.kind).toBe('auth');
  });

  it('reads a burst notice as a one-minute throttle', () => {
    const r = classifyAlphaVantageBody(
      { Information: 'Burst pattern detected. Our standard API rate limit is 1 request per second.' },
      now,
    );
    expect(r).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 });
  });

  it('reads an unknown Information text as throttling, as the API uses it for that most', () => {
    expect(classifyAlphaVantageBody({ Information: 'Something new.' }, now)?.kind).toBe('rate_limited');
  });

  it('reads an Error Message naming the key as auth, any other as bad_request', () => {
    expect(
      classifyAlphaVantageBody({ 'Error Message': 'the parameter apikey is invalid or missing.' }, now)?.kind,
    ).toBe('auth');
    expect(classifyAlphaVantageBody({ 'Error Message': 'Invalid API call.' }, now)?.kind).toBe('bad_request');
  });
});
