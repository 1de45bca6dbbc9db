import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from './retry-after.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-10T12:00:00Z');

  it('reads delta seconds as milliseconds', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP date relative to now', () => {
    expect(parseRetryAfter('Fri, 10 Jan 2025 12:01:30 GMT', now)).toBe(90_000);
  });

  it('gives 0 for a date already past', () => {
    expect(parseRetryAfter('Fri, 10 Jan 2025 11:00:00 GMT', now)).toBe(0);
  });

  it('takes the first of repeated headers', () => {
    expect(parseRetryAfter(['5', '10'], now)).toBe(5_000);
  });

  it('ignores absent, empty and unreadable values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
  });
});
