import { createKeyBuilder, createMarketCalendar, manualClock, ValidationError } from '@stockade/core';
import { Redis } from 'ioredis';
import { describe, expect, it, vi } from 'vitest';
import { redisUrl, testPrefix } from '../../../test/support/redis.js';
import type { TtlSpec } from './entry.js';
import type { Loader } from './get-or-load.js';
import { createCache } from './tiered-cache.js';
import { createTtlPolicy } from './ttl-policy.js';

const T0 = Date.parse('2026-06-16T15:00:00Z');
const policy: TtlSpec = { freshMs: 10_000, staleMs: 20_000, maxStaleMs: 60_000 };
const keys = createKeyBuilder({ prefix: 'stockade-test:tiered:' });

describe('createCache (L1 only)', () => {
  it('serves an entry as fresh, stale or last known good depending on what the read accepts', async () => {
    const clock = manualClock(T0);
    const cache = createCache({ clock, keys });
    const key = keys.quote('best', 'AAPL');
    await cache.set(key, { price: 200 }, { source: 'polygon', policy });

    expect(await cache.get(key)).toMatchObject({ found: true, value: { price: 200 }, stale: false, source: 'polygon' });
    clock.set(T0 + 15_000);
    expect(await cache.get(key)).toMatchObject({ stale: true });
    expect(await cache.get(key, { accept: 'fresh' })).toBeUndefined();
    clock.set(T0 + 40_000);
    expect(await cache.get(key)).toBeUndefined();
    expect(await cache.get(key, { accept: 'lastKnownGood' })).toMatchObject({ value: { price: 200 }, stale: true });
    clock.set(T0 + 70_000);
    expect(await cache.get(key, { accept: 'lastKnownGood' })).toBeUndefined();
    expect(cache.stats()).toMatchObject({ l1Hits: 3, l1Misses: 3, staleServes: 2, entries: 0 });
  });

  it('takes TTLs from the market calendar when the policy names a symbol', async () => {
    const saturdayNoon = Date.parse('2026-06-13T12:00:00-04:00');
    const clock = manualClock(saturdayNoon);
    const cache = createCache({ clock, keys });
    const stored = await cache.set(
      keys.quote('best', 'AAPL'),
      { price: 1 },
      { source: 'yahoo', policy: { kind: 'quote', symbol: 'AAPL' } },
    );
    expect(stored.freshUntil).toBe(Date.parse('2026-06-15T09:30:00-04:00'));
    const fast = createCache({
      clock: manualClock(Date.parse('2026-06-16T11:00:00-04:00')),
      keys,
      ttlPolicy: createTtlPolicy({ calendar: createMarketCalendar(), overrides: { fastMovePct: 2 } }),
    });
    const moved = await fast.getOrLoad(
      keys.quote('best', 'TSLA'),
      async () => ({ value: { changePercent: -4.2 }, source: 'polygon' }),
      {
        policy: (q) => ({ kind: 'quote', symbol: 'TSLA', lastMovePct: q.changePercent }),
      },
    );
    expect(moved.freshUntil - moved.storedAt).toBe(5_000);
  });

  it('stays within maxBytes by evicting the least recently used entries, and counts them', async () => {
    const cache = createCache({ keys, l1: { maxBytes: 8_192 } });
    const blob = 'x'.repeat(1_000);
    for (let i = 0; i < 20; i++) await cache.set(keys.quote('best', `S${i}`), blob, { source: 'sim', policy });
    const { bytes, entries, evictions } = cache.stats();
    expect(bytes).toBeLessThanOrEqual(8_192);
    expect(entries).toBeGreaterThan(0);
    expect(evictions).toBe(20 - entries);
    expect(await cache.get(keys.quote('best', 'S0'))).toBeUndefined();
    expect(await cache.get(keys.quote('best', 'S19'))).toMatchObject({ value: blob });
    expect(cache.health()).toMatchObject({
      status: 'healthy',
      l1: { entries, bytes, maxBytes: 8_192 },
      l2: { status: 'disabled' },
    });
  });

  it('refuses values that cannot be serialized and loaders that return no { value, source }', async () => {
    const cache = createCache({ keys });
    await expect(cache.set(keys.quote('best', 'BIG'), { n: 10n }, { source: 'x' })).rejects.toBeInstanceOf(
      ValidationError,
    );
    expect(await cache.get(keys.quote('best', 'BIG'))).toBeUndefined();
    const bad = (async () => 42) as unknown as Loader<number>;
    await expect(cache.getOrLoad(keys.quote('best', 'BAD'), bad)).rejects.toBeInstanceOf(ValidationError);
    expect(() => createCache({ l1: { maxBytes: 0 } })).toThrow(ValidationError);
    expect(() => createCache({ redis: { get: () => null } as never })).toThrow(/ioredis Redis or Cluster/);
    expect(() => createCache({ l2: { timeoutMs: 0 } })).toThrow(ValidationError);
  });

  it('aborts background refreshes on close and waits for them', async () => {
    const clock = manualClock(T0);
    const cache = createCache({ clock, keys });
    const key = keys.quote('best', 'AMZN');
    await cache.set(key, 1, { source: 'yahoo', policy });
    clock.set(T0 + 12_000);
    let refreshSignal: AbortSignal | undefined;
    const never: Loader<number> = ({ signal }) => {
      refreshSignal = signal;
      return new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    expect(await cache.getOrLoad(key, never, { policy })).toMatchObject({ value: 1, stale: true });
    await vi.waitFor(() => expect(refreshSignal).toBeDefined());
    await cache.close();
    expect(refreshSignal?.aborted).toBe(true);
    expect(cache.stats()).toMatchObject({ refreshes: 1, refreshErrors: 1 });
  });
});

describe.skipIf(!redisUrl())('createCache (L1 + Redis)', () => {
  it('reads what L1 lacks with one MGET, and fills L1 from it', async () => {
    const redis = new Redis(redisUrl() as string);
    await redis.ping();
    const shared = createKeyBuilder({ prefix: testPrefix('tiered') });
    const clock = manualClock(T0);
    const writer = createCache({ redis, keys: shared, clock });
    const reader = createCache({ redis, keys: shared, clock });
    try {
      const names = ['AAPL', 'MSFT', 'GOOG'];
      await writer.setMany(
        names.map((s, i) => ({ key: shared.quote('best', s), value: i, source: 'polygon', policy })),
      );
      await reader.set(shared.quote('best', 'AAPL'), 100, { source: 'local', policy }); // L1 wins over L2 for AAPL
      const calls: string[] = [];
      const monitor = await redis.duplicate().monitor();
      monitor.on('monitor', (_t: string, args: string[]) => calls.push(String(args[0]).toLowerCase()));
      const got = await reader.getMany<number>([...names, 'NONE'].map((s) => shared.quote('best', s)));
      await vi.waitFor(() => expect(calls).toContain('mget'));
      monitor.disconnect();
      expect(calls.filter((c) => c === 'mget' || c === 'get')).toEqual(['mget']);
      expect([...got.entries()].map(([k, e]) => [k, e.found && e.value])).toEqual([
        [shared.quote('best', 'AAPL'), 100],
        [shared.quote('best', 'MSFT'), 1],
        [shared.quote('best', 'GOOG'), 2],
      ]);
      expect(reader.stats()).toMatchObject({ l1Hits: 1, l1Misses: 3, l2Hits: 2, l2Misses: 1 });
      const again = await reader.getMany<number>([shared.quote('best', 'MSFT')]);
      expect(again.get(shared.quote('best', 'MSFT'))).toMatchObject({ value: 1 });
      expect(reader.stats().l1Hits).toBe(2);
    } finally {
      await writer.close();
      await reader.close();
      await redis.quit();
    }
  });
});
