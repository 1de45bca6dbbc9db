import { mkdirSync, writeFileSync } from 'node:fs';
import { createCache, decodeEntry, hashSlotOf } from '@stockade/cache';
import { createKeyBuilder, hashTagOf } from '@stockade/core';
import { sharedTokenBucket } from '@stockade/resilience';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, testConfig } from '../../packages/market-data/src/test-support/harness.js';
import { type RedisClusterFixture, redisClusterAvailable, startRedisCluster } from '../support/redis-cluster.js';
import { driveQuotes, emptyTally, errorCount, type LoadTally } from './processes-load.js';
import { expectSharedAcrossProcesses, processesSection } from './processes-report.js';
import { runProcessesScenario } from './processes-run.js';
import { countUnhandled } from './support/unhandled.js';

const SYMBOLS = ['AAPL', 'MSFT', 'SPY', 'NVDA'];
const results: string[] = [];

function clusterClient(fixture: RedisClusterFixture): Cluster {
  const cluster = new Cluster([...fixture.startupNodes], {
    clusterRetryStrategy: () => 100,
    retryDelayOnFailover: 100,
    retryDelayOnClusterDown: 100,
    redisOptions: { maxRetriesPerRequest: 1 },
  });
  cluster.on('error', () => {});
  return cluster;
}

const ready = (c: Cluster) =>
  new Promise<void>((resolve) => (c.status === 'ready' ? resolve() : c.once('ready', () => resolve())));

describe.skipIf(!redisClusterAvailable())('Stockade on a Redis Cluster (3 masters, 3 replicas)', () => {
  let fixture: RedisClusterFixture;
  let cluster: Cluster;
  let node: Redis;
  beforeAll(async () => {
    fixture = await startRedisCluster();
    cluster = clusterClient(fixture);
    await ready(cluster);
    node = new Redis(fixture.startupNodes[0]?.port as number, '127.0.0.1');
  }, 40_000);
  afterAll(async () => {
    node?.disconnect();
    cluster?.disconnect();
    await fixture?.stop();
    if (results.length > 0) {
      mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
      writeFileSync(new URL('./results/cluster.md', import.meta.url), `## Redis Cluster\n\n${results.join('\n')}`);
    }
  });

  it('puts the keys of every Lua script in one hash slot (CLUSTER KEYSLOT agrees)', async () => {
    const keys = createKeyBuilder({ prefix: 'stockade:v1:' });
    const entry = keys.quote('best', 'BRK.B');
    const groups = [
      [entry, keys.lock(entry)],
      [
        keys.bars('polygon', 'AAPL', '1d', 'split', '2026-03'),
        keys.lock(keys.bars('polygon', 'AAPL', '1d', 'split', '2026-03')),
      ],
      [keys.bucket('alphavantage', 'minute'), keys.bucket('alphavantage', 'day')],
      [keys.quotaWindow('alphavantage', 'minute'), keys.quotaWindow('alphavantage', 'day')],
    ];
    for (const group of groups) {
      const slots = await Promise.all(group.map((k) => node.cluster('KEYSLOT', k)));
      expect(new Set(slots).size).toBe(1);
      expect(slots[0]).toBe(hashSlotOf(group[0] as string));
      expect(new Set(group.map(hashTagOf)).size).toBe(1);
    }
  });

  it('runs the cache on the cluster: getMany across slots, one load for two caches, the keyspace probe', async () => {
    const keys = createKeyBuilder({ prefix: 'stockade-test:cluster-cache:' });
    const a = createCache({ redis: cluster, keys });
    const b = createCache({ redis: cluster, keys });
    expect((await a.verifyKeyspace()).status).toBe('ok');
    const ks = SYMBOLS.map((s) => keys.quote('best', s));
    expect(new Set(ks.map(hashSlotOf)).size).toBeGreaterThan(1);
    await a.setMany(ks.map((key, i) => ({ key, value: i, source: 'sim' })));
    const read = await b.getMany<number>(ks);
    expect([...read.values()].map((e) => (e.found ? e.value : -1))).toEqual([0, 1, 2, 3]);
    let loads = 0;
    const loader = async () => {
      loads++;
      await new Promise((r) => setTimeout(r, 50));
      return { value: 42, source: 'sim' };
    };
    const key = keys.quote('best', 'TSLA');
    const [x, y] = await Promise.all([a.getOrLoad(key, loader), b.getOrLoad(key, loader)]);
    expect([x.value, y.value]).toEqual([42, 42]);
    expect(loads).toBe(1);
    expect(await cluster.exists(keys.lock(key))).toBe(0);
    expect(a.health().l2.status).toBe('ok');
    await a.close();
    await b.close();
  });

  it('shares token buckets and sliding windows on the cluster', async () => {
    const keys = createKeyBuilder({ prefix: 'stockade-test:cluster-buckets:' });
    const refill = sharedTokenBucket({
      redis: cluster,
      buckets: [
        { key: keys.bucket('alphavantage', 'minute'), capacity: 5, refillPerSecond: 5 / 60 },
        { key: keys.bucket('alphavantage', 'day'), capacity: 25, refillPerSecond: 25 / 86_400 },
      ],
    });
    const window = sharedTokenBucket({
      redis: cluster,
      window: 'sliding',
      buckets: [
        { key: keys.quotaWindow('polygon', 'minute'), capacity: 3, refillPerSecond: 3 / 60 },
        { key: keys.quotaWindow('polygon', 'day'), capacity: 100, refillPerSecond: 100 / 86_400 },
      ],
    });
    for (let i = 0; i < 5; i++) await refill.acquire();
    for (let i = 0; i < 3; i++) await window.acquire();
    await expect(window.acquire(1, { maxWaitMs: 100 })).rejects.toMatchObject({ name: 'RateLimitedError' });
    expect(refill.usingFallback || window.usingFallback).toBe(false);
    expect(refill.remaining()[0]).toBeLessThan(1);
    expect(window.remaining()).toEqual([0, 97]);
    expect(await cluster.zcard(keys.quotaWindow('polygon', 'minute'))).toBe(3);
    refill.close();
    window.close();
  });

  it('keeps serving when a master dies: its replica takes over and L2 resumes', async () => {
    const unhandled = countUnhandled();
    const prefix = `stockade-test:cluster-failover:${process.pid}:`;
    const keys = createKeyBuilder({ prefix });
    const client = clusterClient(fixture);
    await ready(client);
    const h = await startHarness({
      config: testConfig({ cache: { keyPrefix: prefix, ttl: { quoteRegularMs: 300 } } }),
      manager: { redis: client },
    });
    const watched = keys.quote('best', 'AAPL');
    const slot = hashSlotOf(watched);
    const tally: LoadTally = emptyTally();
    try {
      await h.md.quotes(SYMBOLS);
      const before = await fixture.masterOf(slot);
      let stop = false;
      const load = driveQuotes(h.md, SYMBOLS, tally, { concurrency: 4, until: () => stop });
      await new Promise((r) => setTimeout(r, 500));
      const killedAt = Date.now();
      await before.server.stop();
      await fixture.waitHealthy({ slot, timeoutMs: 20_000 });
      const failoverMs = Date.now() - killedAt;
      const after = await fixture.masterOf(slot);
      // L2 resumes: the watched entry is written again, after the failover, on the new master.
      const writtenAfter = h.clock.now();
      let resumed = false;
      for (let i = 0; i < 100 && !resumed; i++) {
        await new Promise((r) => setTimeout(r, 100));
        const raw = await client.get(watched).catch(() => null);
        const entry = raw === null ? undefined : decodeEntry(raw);
        resumed = entry !== undefined && entry.storedAt >= writtenAfter;
      }
      stop = true;
      await load;
      const health = await h.md.health({ level: 2 });
      results.push(
        [
          '### A master killed mid-run',
          '',
          `One manager on the cluster, ${SYMBOLS.length} symbols asked by 4 loops, quote TTL 300 ms; the master`,
          `of \`${watched}\`'s slot (${slot}) is stopped mid-run.`,
          '',
          '| calls | fresh | stale | typed errors | rejected | failover (s) | L2 written again | health after |',
          '| ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
          `| ${tally.calls} | ${tally.fresh} | ${tally.stale} | ${errorCount(tally)} | ${tally.rejected} | ${(failoverMs / 1000).toFixed(1)} | ${resumed ? 'yes' : 'no'} | ${health.status} (L2 ${health.cache.l2.status}) |`,
          '',
          `Unhandled rejections and uncaught exceptions: ${unhandled.count}.`,
          '',
        ].join('\n'),
      );
      expect(after.port).not.toBe(before.port);
      expect(resumed).toBe(true);
      expect(tally.calls).toBeGreaterThan(100);
      expect(tally.errors).toEqual({});
      expect(tally.rejected).toBe(0);
      expect(unhandled.samples).toEqual([]);
    } finally {
      unhandled.dispose();
      await h.close();
      client.disconnect();
    }
  }, 45_000);

  it('shares single-flight and quotas between four processes on the cluster', async () => {
    const figures = await runProcessesScenario(
      { cluster: fixture.startupNodes.filter((n) => fixture.nodes.find((x) => x.port === n.port)?.server.running) },
      `stockade-test:cluster-processes:${process.pid}:`,
    );
    results.push(processesSection('Four processes on the cluster', figures));
    expectSharedAcrossProcesses(figures);
  }, 90_000);
});
