import { describe, expect, it } from 'vitest';
import { nextPageUrl } from './pagination.js';

describe('nextPageUrl', () => {
  it('follows a next_url on the configured origin as it is', () => {
    expect(
      nextPageUrl(
        'http://127.0.0.1:4000/polygon/v2/aggs/ticker/AAPL/range/1/day/a/b?cursor=xyz',
        'http://127.0.0.1:4000/polygon',
      )?.href,
    ).toBe('http://127.0.0.1:4000/polygon/v2/aggs/ticker/AAPL/range/1/day/a/b?cursor=xyz');
  });

  it('replays a foreign-host next_url on the configured base, so the bearer key never leaves it', () => {
    expect(
      nextPageUrl(
        'https://api.massive.com/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw',
        'http://127.0.0.1:4000/massive',
      )?.href,
    ).toBe(
      'http://127.0.0.1:4000/massive/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw',
    );
  });

  it('removes a key a next_url carries', () => {
    const url = nextPageUrl('https://api.polygon.io/v3/quotes/SPY?cursor=abc&apiKey=SECRET', 'https://api.polygon.io');
    expect(url?.searchParams.get('apiKey')).toBeNull();
    expect(url?.searchParams.get('cursor')).toBe('abc');
  });
});
