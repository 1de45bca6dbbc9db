import { ProviderError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { createEntry, decodeEntry, encodeEntry, serveAs } from './entry.js';

const ttl = { freshMs: 10_000, staleMs: 5_000, maxStaleMs: 60_000 };

describe('cache entries', () => {
  it('fixes the three horizons from the TTLs', () => {
    const e = createEntry({ found: true, value: { price: 1 }, source: 'yahoo' }, ttl, 1_000);
    expect(e).toMatchObject({
      storedAt: 1_000,
      freshUntil: 11_000,
      staleUntil: 16_000,
      lastGoodUntil: 71_000,
      stale: false,
    });
    expect(Object.isFrozen(e)).toBe(true);
  });

  it('round-trips values and remembered not_found through the Redis envelope', () => {
    const value = createEntry({ found: true, value: { price: 187.25, bid: 187.2 }, source: 'polygon' }, ttl, 5);
    const json = encodeEntry(value);
    expect(JSON.parse(json)).toEqual({
      v: { price: 187.25, bid: 187.2 },
      storedAt: 5,
      freshUntil: 10_005,
      staleUntil: 15_005,
      lastGoodUntil: 70_005,
      source: 'polygon',
    });
    expect(decodeEntry(json)).toEqual(value);

    const missing = createEntry(
      { found: false, error: new ProviderError('no such ticker', { provider: 'polygon', kind: 'not_found' }) },
      ttl,
      5,
    );
    const back = decodeEntry(encodeEntry(missing));
    expect(back?.found).toBe(false);
    if (back?.found === false) {
      expect(back.error).toBeInstanceOf(ProviderError);
      expect(back.error).toMatchObject({ kind: 'not_found', provider: 'polygon', message: 'polygon: no such ticker' });
    }
  });

  it('treats foreign or corrupted values as misses', () => {
    expect(decodeEntry('not json')).toBeUndefined();
    expect(decodeEntry('"a string"')).toBeUndefined();
    expect(
      decodeEntry('{"v":1,"storedAt":"x","freshUntil":1,"staleUntil":1,"lastGoodUntil":1,"source":"a"}'),
    ).toBeUndefined();
    expect(decodeEntry('{"storedAt":1,"freshUntil":1,"staleUntil":1,"lastGoodUntil":1,"source":"a"}')).toBeUndefined();
  });

  it('serves a negative entry only while fresh', () => {
    const e = createEntry(
      { found: false, error: new ProviderError('gone', { provider: 'yahoo', kind: 'not_found' }) },
      { freshMs: 1_000, staleMs: 0, maxStaleMs: 0 },
      0,
    );
    expect(serveAs(e, 999, 'lastKnownGood')).toBe(e);
    expect(serveAs(e, 1_000, 'lastKnownGood')).toBeUndefined();
  });
});
