import { ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { createEntry } from './entry.js';
import { createL1 } from './l1.js';

const ttl = { freshMs: 1_000, staleMs: 0, maxStaleMs: 0 };
const entry = (v: string) => createEntry({ found: true, value: v, source: 'sim' }, ttl, 0);

describe('createL1', () => {
  it('counts each entry as its JSON length plus key and bookkeeping, and evicts the least recently used', () => {
    let evicted = 0;
    const l1 = createL1({ maxBytes: 1_000, onEvict: () => evicted++ });
    l1.set('a', entry('x'), 300);
    expect(l1.bytes).toBe(300 + 2 + 96);
    l1.set('b', entry('y'), 300);
    l1.get('a'); // a is now the most recently used
    l1.set('c', entry('z'), 300);
    expect(l1.get('b')).toBeUndefined();
    expect(l1.get('a')).toBeDefined();
    expect(evicted).toBe(1);
    expect(l1.size).toBe(2);
  });

  it('does not keep an entry larger than the whole bound, and drops what the key held before', () => {
    const l1 = createL1({ maxBytes: 500 });
    l1.set('k', entry('small'), 100);
    l1.set('k', entry('huge'), 10_000);
    expect(l1.get('k')).toBeUndefined();
    expect(l1.bytes).toBe(0);
  });

  it('rejects a bound that is not a positive integer', () => {
    expect(() => createL1({ maxBytes: -1 })).toThrow(ValidationError);
    expect(() => createL1({ maxBytes: 1.5 })).toThrow(ValidationError);
  });
});
