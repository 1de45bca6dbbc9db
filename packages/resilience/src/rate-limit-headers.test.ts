import { describe, expect, it } from 'vitest';
import { parseRateLimitHeaders } from './rate-limit-headers.js';

const NOW = Date.parse('2026-03-10T15:00:00Z');

describe('parseRateLimitHeaders', () => {
  it('reads remaining and a reset in epoch seconds, epoch ms or seconds from now', () => {
    expect(
      parseRateLimitHeaders({ 'x-ratelimit-remaining': '4', 'x-ratelimit-reset': String(NOW / 1000 + 60) }, NOW),
    ).toEqual({
      remaining: 4,
      resetAt: NOW + 60_000,
    });
    expect(parseRateLimitHeaders({ 'X-RateLimit-Reset': String(NOW + 5_000) }, NOW)).toEqual({ resetAt: NOW + 5_000 });
    expect(parseRateLimitHeaders({ 'ratelimit-remaining': 0, 'ratelimit-reset': '12' }, NOW)).toEqual({
      remaining: 0,
      resetAt: NOW + 12_000,
    });
  });

  it('reads Retry-After as seconds or as an HTTP date, from fetch Headers or undici records', () => {
    expect(parseRateLimitHeaders(new Headers({ 'Retry-After': '2' }), NOW)).toEqual({ retryAt: NOW + 2_000 });
    expect(parseRateLimitHeaders({ 'retry-after': ['Tue, 10 Mar 2026 15:00:30 GMT'] }, NOW)).toEqual({
      retryAt: NOW + 30_000,
    });
  });

  it('ignores what does not parse', () => {
    expect(
      parseRateLimitHeaders({ 'retry-after': 'soon', 'x-ratelimit-remaining': '-1', 'x-ratelimit-reset': '' }, NOW),
    ).toEqual({});
  });
});
