import { describe, expect, it } from 'vitest';
import { createSubscriptionBook } from './subscription-book.js';

describe('the subscription book', () => {
  it('keeps each symbol once per channel and maps provider tickers back while any channel holds them', () => {
    const book = createSubscriptionBook();
    expect(book.add('trades', 'BRK.B', 'BRK-B')).toBe(true);
    expect(book.add('trades', 'BRK.B', 'BRK-B')).toBe(false);
    expect(book.add('quotes', 'BRK.B', 'BRK-B')).toBe(true);
    expect(book.size).toBe(1);
    expect(book.canonicalOf('BRK-B')).toBe('BRK.B');
    expect(book.remove('trades', 'BRK.B')).toBe('BRK-B');
    expect(book.canonicalOf('BRK-B')).toBe('BRK.B');
    expect(book.remove('quotes', 'BRK.B')).toBe('BRK-B');
    expect(book.remove('quotes', 'BRK.B')).toBeUndefined();
    expect(book.canonicalOf('BRK-B')).toBeUndefined();
    expect(book.size).toBe(0);
    expect(book.all()).toEqual([]);
  });
});
