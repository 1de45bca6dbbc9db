import { describe, expect, it } from 'vitest';
import { createConflatingQueue } from './conflating-queue.js';

describe('the conflating queue', () => {
  it('keeps one entry per key, the latest value, in the key’s first place in line', () => {
    const q = createConflatingQueue<number>();
    expect(q.push('quotes|AAPL', 'quotes', 1)).toBe(false);
    expect(q.push('quotes|MSFT', 'quotes', 2)).toBe(false);
    expect(q.push('quotes|AAPL', 'quotes', 3)).toBe(true);
    expect(q.push('trades|AAPL', 'trades', 4)).toBe(false);
    expect(q.size).toBe(3);
    expect([q.shift(), q.shift(), q.shift(), q.shift()]).toEqual([3, 2, 4, undefined]);
    expect(q.counts()).toEqual({ conflated: 1, byChannel: { quotes: 1 } });
  });

  it('stays bounded by the number of keys however many values arrive', () => {
    const q = createConflatingQueue<number>();
    for (let i = 0; i < 100_000; i++) q.push(`quotes|S${i % 50}`, 'quotes', i);
    expect(q.size).toBe(50);
    expect(q.counts().conflated).toBe(100_000 - 50);
    expect(q.shift()).toBe(100_000 - 50);
  });

  it('takes a key again once it was read, without counting it as conflated', () => {
    const q = createConflatingQueue<string>();
    q.push('k', 'quotes', 'a');
    expect(q.shift()).toBe('a');
    expect(q.push('k', 'quotes', 'b')).toBe(false);
    q.clear();
    expect(q.size).toBe(0);
    expect(q.counts().conflated).toBe(0);
  });
});
