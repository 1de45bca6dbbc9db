import { createKeyBuilder, manualClock, ProviderError } from '@stockade/core';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisUrl, testPrefix } from '../../../test/support/redis.js';
import type { TtlSpec } from './entry.js';
import type { Loader } from './get-or-load.js';
import { createCache, type TieredCache } from './tiered-cache.js';

const T0 = Date.parse('2026-06-16T15:00:00Z');
const policy: TtlSpec = { freshMs: 10_000, staleMs: 20_000, maxStaleMs: 60_000 };

interface Quote {
  price: number;
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((res) => {
    resolve = res;
  });
  return { promise, resolve };
}

const variants = [
  { name: 'L1 only', withRedis: false },
  { name: 'L1 + Redis', withRedis: true },
] as const;

describe.each(variants)('getOrLoad ($name)', ({ withRedis }) => {
  const url = redisUrl();
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });

  async function setup() {
    const clock = manualClock(T0);
    const keys = createKeyBuilder({ prefix: testPrefix('get-or-load') });
    let redis: Redis | undefined;
    if (withRedis) {
      redis = new Redis(url as string);
      await redis.ping();
      const r = redis;
      cleanups.push(() => r.quit());
    }
    const cache = createCache({ clock, redis, keys });
    cleanups.push(() => cache.close());
    return { clock, keys, redis, cache, key: keys.quote('best', 'AAPL') };
  }

  const skip = withRedis && url === null;

  it.skipIf(skip)('serves fresh, then stale-while-revalidate, then the refreshed value at fixed instants', async () => {
    const { clock, cache, key } = await setup();
    let n = 0;
    const loader: Loader<Quote> = async () => ({ value: { price: 100 + ++n }, source: 'polygon' });

    const first = await cache.getOrLoad(key, loader, { policy });
    expect(first).toMatchObject({
      value: { price: 101 },
      stale: false,
      source: 'polygon',
      storedAt: T0,
      freshUntil: T0 + 10_000,
    });

    clock.set(T0 + 9_999);
    expect(await cache.getOrLoad(key, loader, { policy })).toMatchObject({ value: { price: 101 }, stale: false });
    expect(n).toBe(1);

    clock.set(T0 + 10_000);
    const stale = await cache.getOrLoad(key, loader, { policy });
    expect(stale).toMatchObject({ value: { price: 101 }, stale: true });
    await vi.waitFor(async () =>
      expect(await cache.get<Quote>(key, { accept: 'fresh' })).toMatchObject({ value: { price: 102 } }),
    );
    expect(n).toBe(2);

    const refreshed = await cache.getOrLoad(key, loader, { policy });
    expect(refreshed).toMatchObject({ value: { price: 102 }, stale: false, storedAt: T0 + 10_000 });
    expect(cache.stats()).toMatchObject({ loaderCalls: 2, refreshes: 1, staleServes: 1 });
  });

  it.skipIf(skip)('serves the last known good value marked stale when the loader fails, up to maxStale', async () => {
    const { clock, cache, key } = await setup();
    await cache.getOrLoad(key, async () => ({ value: { price: 187.2 }, source: 'yahoo' }), { policy });
    const outage = new ProviderError('503 Service Unavailable', { provider: 'yahoo', kind: 'transient', status: 503 });
    const failing: Loader<Quote> = async () => {
      throw outage;
    };

    clock.set(T0 + 45_000); // past the grace (30 s), inside maxStale (10 s + 60 s)
    const served = await cache.getOrLoad(key, failing, { policy });
    expect(served).toMatchObject({ value: { price: 187.2 }, stale: true, source: 'yahoo', storedAt: T0 });
    expect(cache.stats()).toMatchObject({ lastKnownGoodServes: 1, loaderErrors: 1 });

    clock.set(T0 + 70_000); // lastGoodUntil is exclusive
    await expect(cache.getOrLoad(key, failing, { policy })).rejects.toBe(outage);
    await expect(cache.getOrLoad(key, failing, { policy, staleIfError: false })).rejects.toBe(outage);
  });

  it.skipIf(skip)('throws the loader error when there is no last known good value', async () => {
    const { cache, keys } = await setup();
    const err = new ProviderError('401 Unknown API Key', { provider: 'massive', kind: 'auth', status: 401 });
    await expect(
      cache.getOrLoad(keys.quote('best', 'MSFT'), async () => {
        throw err;
      }),
    ).rejects.toBe(err);
  });

  it.skipIf(skip)('makes one loader call for 1,000 concurrent callers', async () => {
    const { cache, key } = await setup();
    const gate = deferred<void>();
    let calls = 0;
    const loader: Loader<Quote> = async () => {
      calls++;
      await gate.promise;
      return { value: { price: 412.5 }, source: 'polygon' };
    };
    const callers = Array.from({ length: 1_000 }, () => cache.getOrLoad(key, loader, { policy }));
    gate.resolve();
    const results = await Promise.all(callers);
    expect(calls).toBe(1);
    expect(new Set(results.map((r) => r.value.price))).toEqual(new Set([412.5]));
    expect(cache.stats()).toMatchObject({ loaderCalls: 1, coalescedWaiters: 999 });
  });

  it.skipIf(skip)('leaves the other callers waiting when one aborts, and does not cancel the shared load', async () => {
    const { cache, key } = await setup();
    const gate = deferred<void>();
    let loadSignal: AbortSignal | undefined;
    let calls = 0;
    const loader: Loader<Quote> = async ({ signal }) => {
      calls++;
      loadSignal = signal;
      await gate.promise;
      return { value: { price: 99 }, source: 'polygon' };
    };
    const impatient = new AbortController();
    const a = cache.getOrLoad(key, loader, { policy, signal: impatient.signal });
    const b = cache.getOrLoad(key, loader, { policy, signal: new AbortController().signal });
    const c = cache.getOrLoad(key, loader, { policy });
    await vi.waitFor(() => expect(loadSignal).toBeDefined());
    const reason = new DOMException('client went away', 'AbortError');
    impatient.abort(reason);
    await expect(a).rejects.toBe(reason);
    expect(loadSignal?.aborted).toBe(false);
    gate.resolve();
    await expect(b).resolves.toMatchObject({ value: { price: 99 } });
    await expect(c).resolves.toMatchObject({ value: { price: 99 } });
    expect(calls).toBe(1);
  });

  it.skipIf(skip)('rejects with the reason of an already aborted signal, even on a fresh hit', async () => {
    const { cache, key } = await setup();
    await cache.set(key, { price: 1 }, { source: 'yahoo', policy });
    const reason = new DOMException('too late', 'AbortError');
    const loader: Loader<Quote> = async () => ({ value: { price: 2 }, source: 'x' });
    await expect(cache.getOrLoad(key, loader, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(cache.get(key, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(await cache.getOrLoad(key, loader)).toMatchObject({ value: { price: 1 } });
  });

  it.skipIf(skip)('remembers not_found for the negative TTL, then asks again', async () => {
    const { clock, cache, keys } = await setup();
    const key = keys.quote('best', 'ZZZZ');
    let calls = 0;
    const loader: Loader<Quote> = async () => {
      calls++;
      throw new ProviderError('symbol not found', { provider: 'polygon', kind: 'not_found', status: 404 });
    };
    await expect(cache.getOrLoad(key, loader)).rejects.toMatchObject({ kind: 'not_found', provider: 'polygon' });
    clock.advance(59_000);
    await expect(cache.getOrLoad(key, loader)).rejects.toMatchObject({ kind: 'not_found', provider: 'polygon' });
    expect(calls).toBe(1);
    expect(await cache.get(key)).toMatchObject({ found: false });
    clock.advance(1_000);
    await expect(cache.getOrLoad(key, loader)).rejects.toMatchObject({ kind: 'not_found' });
    expect(calls).toBe(2);
    expect(cache.stats().negativeHits).toBe(2); // the second getOrLoad and the get
  });

  it.skipIf(skip)('rejects a key the key builder did not make, before calling the loader', async () => {
    const { cache } = await setup();
    let calls = 0;
    const loader: Loader<number> = async () => ({ value: ++calls, source: 'x' });
    await expect(cache.getOrLoad('quote:AAPL', loader)).rejects.toMatchObject({ name: 'ValidationError' });
    await expect(
      cache.getOrLoad(createKeyBuilder({ prefix: 'other:' }).quote('best', 'AAPL'), loader),
    ).rejects.toMatchObject({
      name: 'ValidationError',
    });
    expect(calls).toBe(0);
  });
});

describe.skipIf(!redisUrl())('getOrLoad across caches sharing Redis', () => {
  it('serves what another process stored, including a remembered not_found, without calling the loader', async () => {
    const keys = createKeyBuilder({ prefix: testPrefix('shared') });
    const redis = new Redis(redisUrl() as string);
    await redis.ping();
    const clock = manualClock(T0);
    const a: TieredCache = createCache({ redis, keys, clock });
    const b: TieredCache = createCache({ redis, keys, clock });
    try {
      await a.set(keys.quote('best', 'AAPL'), { price: 201 }, { source: 'yahoo', policy });
      await a.setMany([
        {
          key: keys.quote('best', 'NOPE'),
          notFound: new ProviderError('no such symbol', { provider: 'yahoo', kind: 'not_found' }),
        },
      ]);
      let calls = 0;
      const loader: Loader<Quote> = async () => ({ value: { price: ++calls }, source: 'x' });
      expect(await b.getOrLoad(keys.quote('best', 'AAPL'), loader, { policy })).toMatchObject({
        value: { price: 201 },
        source: 'yahoo',
      });
      await expect(b.getOrLoad(keys.quote('best', 'NOPE'), loader)).rejects.toMatchObject({
        kind: 'not_found',
        provider: 'yahoo',
      });
      expect(calls).toBe(0);
      expect(b.stats()).toMatchObject({ l1Misses: 2, l2Hits: 2, loaderCalls: 0 });
    } finally {
      await a.close();
      await b.close();
      await redis.quit();
    }
  });
});
