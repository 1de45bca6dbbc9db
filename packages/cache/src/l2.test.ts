import { createKeyBuilder, manualClock, ProviderError } from '@stockade/core';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type RedisServer, redisServerAvailable, startRedisServer } from '../../../test/support/redis-server.js';
import { decodeEntry } from './entry.js';
import type { Loader } from './get-or-load.js';
import { hashSlotOf } from './hash-slot.js';
import { createCache } from './tiered-cache.js';

const T0 = Date.parse('2026-06-16T15:00:00Z');
const policy = { freshMs: 60_000, staleMs: 0, maxStaleMs: 60_000 };

describe.skipIf(!redisServerAvailable())('L2 failures never reach the caller', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it('degrades to L1 while Redis is stopped, and uses L2 again once it is restarted', async () => {
    const keys = createKeyBuilder({ prefix: 'stockade-test:outage:' });
    const redis = new Redis(server.url, { retryStrategy: (times) => Math.min(times * 20, 200) });
    const raw = new Redis(server.url, { retryStrategy: () => 50 });
    raw.on('error', () => {}); // this probe client's reconnect noise is not under test
    await Promise.all([redis.ping(), raw.ping()]);
    const warnings: string[] = [];
    const logger = {
      warn: (_: object, m: string) => warnings.push(m),
      info: (_: object, m: string) => warnings.push(m),
      debug: () => {},
    };
    const cache = createCache({ redis, keys, clock: manualClock(T0), logger });
    let calls = 0;
    const loader: Loader<number> = async () => ({ value: ++calls, source: 'polygon' });
    try {
      await cache.getOrLoad(keys.quote('best', 'AAPL'), loader, { policy });
      expect(await raw.exists(keys.quote('best', 'AAPL'))).toBe(1);
      expect(cache.health().l2.status).toBe('ok');

      await server.stop();
      await vi.waitFor(() => expect(cache.health()).toMatchObject({ status: 'degraded', l2: { status: 'degraded' } }));
      // Every operation still answers, from L1 and the loaders.
      expect(await cache.getOrLoad(keys.quote('best', 'AAPL'), loader, { policy })).toMatchObject({ value: 1 });
      expect(await cache.getOrLoad(keys.quote('best', 'MSFT'), loader, { policy })).toMatchObject({
        value: 2,
        stale: false,
      });
      expect(await cache.get(keys.quote('best', 'TSLA'))).toBeUndefined();
      await cache.set(keys.quote('best', 'NVDA'), 3, { source: 'yahoo', policy });
      await cache.setMany([{ key: keys.quote('best', 'AMD'), value: 4, source: 'yahoo', policy }]);
      const many = await cache.getMany<number>([
        keys.quote('best', 'NVDA'),
        keys.quote('best', 'AMD'),
        keys.quote('best', 'INTC'),
      ]);
      expect([...many.values()].map((e) => e.found && e.value)).toEqual([3, 4]);
      await cache.delete([keys.quote('best', 'AMD')]);
      expect(cache.stats().l2Skipped).toBeGreaterThan(0);
      expect(warnings).toContain('cache L2 degraded: serving from L1 and loaders only');

      await server.start();
      await vi.waitFor(() => expect(cache.health()).toMatchObject({ status: 'healthy', l2: { status: 'ok' } }), {
        timeout: 10_000,
      });
      expect(warnings).toContain('cache L2 healthy again');
      await raw.ping();
      await cache.getOrLoad(keys.quote('best', 'META'), loader, { policy });
      expect(decodeEntry((await raw.get(keys.quote('best', 'META'))) as string)).toMatchObject({
        value: calls,
        source: 'polygon',
      });
    } finally {
      await cache.close();
      redis.disconnect();
      raw.disconnect();
    }
  });

  it('stops waiting for a stalled Redis after the L2 timeout and serves from the loader', async () => {
    const keys = createKeyBuilder({ prefix: 'stockade-test:stall:' });
    const redis = new Redis(server.url);
    const admin = new Redis(server.url);
    await Promise.all([redis.ping(), admin.ping()]);
    const cache = createCache({ redis, keys, l2: { timeoutMs: 50 } });
    try {
      await admin.client('PAUSE', 800, 'ALL');
      const got = await cache.getOrLoad(keys.quote('best', 'IBM'), async () => ({ value: 'fresh', source: 'yahoo' }), {
        policy,
      });
      expect(got).toMatchObject({ value: 'fresh', stale: false });
      expect(cache.stats().l2Errors).toBeGreaterThanOrEqual(1);
      expect(cache.health().l2).toMatchObject({ status: 'degraded' });
      expect(cache.health().l2.lastError).toMatch(/took over 50 ms/);
      await admin.client('UNPAUSE');
      // The lock taken after the caller gave up is released, not left to block other processes.
      await vi.waitFor(async () => expect(await admin.exists(keys.lock(keys.quote('best', 'IBM')))).toBe(0));
      // The connection never dropped: the next successful command is what marks L2 healthy.
      await vi.waitFor(async () => {
        await cache.get(keys.quote('best', 'NONE'), { accept: 'fresh' });
        expect(cache.health().l2.status).toBe('ok');
      });
    } finally {
      await admin.client('UNPAUSE').catch(() => undefined);
      await cache.close();
      redis.disconnect();
      admin.disconnect();
    }
  });
});

describe.skipIf(!redisServerAvailable())('L2 on a Redis Cluster', () => {
  let server: RedisServer;
  let cluster: Cluster;
  beforeAll(async () => {
    // A lone node knows no address of its own until told; ioredis needs one in CLUSTER SLOTS.
    server = await startRedisServer({ args: ['--cluster-enabled', 'yes', '--cluster-announce-ip', '127.0.0.1'] });
    const admin = new Redis(server.url);
    await admin.cluster('ADDSLOTSRANGE', 0, 16_383);
    await vi.waitFor(async () => expect(await admin.cluster('INFO')).toContain('cluster_state:ok'), {
      timeout: 10_000,
    });
    admin.disconnect();
    cluster = new Cluster([{ host: '127.0.0.1', port: server.port }]);
    await cluster.ping();
  });
  afterAll(async () => {
    cluster?.disconnect();
    await server.stop();
  });

  it('groups setMany and getMany by hash slot, and computes the slots as the server does', async () => {
    const keys = createKeyBuilder({ prefix: 'stockade-test:cluster:' });
    const cache = createCache({ redis: cluster, keys, clock: manualClock(T0) });
    const symbols = Array.from({ length: 40 }, (_, i) => `SYM${i}`);
    const keyList = symbols.map((s) => keys.quote('best', s));
    try {
      expect(new Set(keyList.map(hashSlotOf)).size).toBeGreaterThan(30);
      for (const key of keyList.slice(0, 5)) expect(hashSlotOf(key)).toBe(await cluster.cluster('KEYSLOT', key));
      await cache.setMany(symbols.map((s, i) => ({ key: keys.quote('best', s), value: i, source: 'polygon', policy })));
      const reader = createCache({ redis: cluster, keys, clock: manualClock(T0) });
      const got = await reader.getMany<number>(keyList);
      expect(
        keyList.map((k) => {
          const e = got.get(k);
          return e?.found ? e.value : null;
        }),
      ).toEqual(symbols.map((_, i) => i));
      expect(reader.stats()).toMatchObject({ l2Hits: 40, l2Errors: 0 });
      // The lock and its Lua script run on a cluster too.
      const miss = keys.quote('best', 'NEW');
      const loaded = await reader.getOrLoad(miss, async () => ({ value: 7, source: 'yahoo' }), { policy });
      expect(loaded.value).toBe(7);
      expect(decodeEntry((await cluster.get(miss)) as string)).toMatchObject({ value: 7 });
      expect(await cluster.exists(keys.lock(miss))).toBe(0);
      await reader.close();
    } finally {
      await cache.close();
    }
  });

  it('keeps serving remembered not_found entries written through the cluster', async () => {
    const keys = createKeyBuilder({ prefix: 'stockade-test:cluster-nf:' });
    const cache = createCache({ redis: cluster, keys, clock: manualClock(T0) });
    try {
      await cache.setMany([
        {
          key: keys.quote('best', 'NOPE'),
          notFound: new ProviderError('unknown', { provider: 'yahoo', kind: 'not_found' }),
        },
      ]);
      const other = createCache({ redis: cluster, keys, clock: manualClock(T0) });
      expect(await other.get(keys.quote('best', 'NOPE'))).toMatchObject({ found: false, source: 'yahoo' });
      await other.close();
    } finally {
      await cache.close();
    }
  });
});
