import { mkdirSync, writeFileSync } from 'node:fs';
import { createKeyBuilder, type HealthReport } from '@stockade/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { startHarness, testConfig } from '../../packages/market-data/src/test-support/harness.js';
import { redisServerAvailable, startRedisServer } from '../support/redis-server.js';
import { driveQuotes, emptyTally, errorCount, type LoadTally } from './processes-load.js';
import { countUnhandled } from './support/unhandled.js';

const SYMBOLS = ['AAPL', 'MSFT', 'SPY', 'NVDA', 'BTC-USD', 'EURUSD=X'];
const full = process.env.STOCKADE_RELIABILITY === 'full';
/** Length of each phase of load, ms. */
const PHASE_MS = full ? 10_000 : 1_500;
const resultsFile = new URL('./results/redis.md', import.meta.url);

interface PhaseRow {
  phase: string;
  tally: LoadTally;
  health: string;
  l2Keys: number;
}
const rows: PhaseRow[] = [];
let unhandledTotal = 0;

function describeHealth(h: HealthReport): string {
  return `${h.status} (cache ${h.cache.status}, L2 ${h.cache.l2.status}, redis ${h.redis.status})`;
}

afterAll(() => {
  if (rows.length === 0) return;
  const lines = [
    '## Redis outage and flush',
    '',
    `One manager with a private redis-server as L2 (and shared quotas), ${SYMBOLS.length} symbols asked`,
    `by 8 loops, quote TTL 300 ms so L2 is written all the time; each phase ${PHASE_MS / 1000} s`,
    `(\`STOCKADE_RELIABILITY=full\`: 10 s). \`l2 keys\` counts the quote keys in Redis after the phase.`,
    '',
    '| phase | calls | fresh | stale | typed errors | rejected | health after | l2 keys |',
    '| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.phase} | ${r.tally.calls} | ${r.tally.fresh} | ${r.tally.stale} | ${errorCount(r.tally)} | ${r.tally.rejected} | ${r.health} | ${r.l2Keys} |`,
    ),
    '',
    `Unhandled rejections and uncaught exceptions: ${unhandledTotal}.`,
    '',
  ];
  mkdirSync(new URL('./results/', import.meta.url), { recursive: true });
  writeFileSync(resultsFile, lines.join('\n'));
});

describe.skipIf(!redisServerAvailable())('the manager through a Redis outage', () => {
  it('serves every caller while Redis is stopped, restarted and flushed; health and L2 come back', async () => {
    const unhandled = countUnhandled();
    const server = await startRedisServer();
    // What an app would pass: no offline queue (a down Redis answers at once), quick reconnects.
    const redis = new Redis(server.url, {
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
      retryStrategy: () => 100,
    });
    redis.on('error', () => {});
    const probe = new Redis(server.url, { retryStrategy: () => 100, maxRetriesPerRequest: 1 });
    probe.on('error', () => {});
    const prefix = `stockade-test:redis-outage:${process.pid}:`;
    const keys = createKeyBuilder({ prefix });
    const h = await startHarness({
      config: testConfig({ cache: { keyPrefix: prefix, ttl: { quoteRegularMs: 300 } } }),
      manager: { redis },
    });
    const ready = () =>
      new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
    await ready();
    const redisAlerts: string[] = [];
    h.md.on('alert.raised', (e) => {
      if (e.alert.type === 'redis_down') redisAlerts.push('raised');
    });
    h.md.on('alert.cleared', (e) => {
      if (e.alertType === 'redis_down') redisAlerts.push('cleared');
    });
    // Warm-up: the first call pays for connections and the simulator's first answers.
    await h.md.quotes(SYMBOLS);
    const quoteKeys = async () => (await probe.keys(`${prefix}{quote:*`)).filter((k) => !k.endsWith(':lock')).length;
    const phase = async (name: string, during?: () => Promise<void>): Promise<PhaseRow> => {
      const tally = emptyTally();
      const end = Date.now() + PHASE_MS;
      await Promise.all([
        driveQuotes(h.md, SYMBOLS, tally, { concurrency: 8, until: () => Date.now() > end }),
        during?.(),
      ]);
      const health = await h.md.health({ level: 2 });
      const row = {
        phase: name,
        tally,
        health: describeHealth(health),
        l2Keys: server.running ? await quoteKeys() : 0,
      };
      rows.push(row);
      return row;
    };
    try {
      const before = await phase('Redis up');
      expect(before.l2Keys).toBe(SYMBOLS.length);
      expect(await probe.exists(keys.quote('best', 'AAPL'))).toBe(1);
      expect((await h.md.health({ level: 2 })).cache.l2.status).toBe('ok');

      await server.stop();
      const down = await phase('redis-server stopped');
      const downHealth = await h.md.health({ level: 2 });
      expect(downHealth).toMatchObject({
        status: 'degraded',
        cache: { status: 'degraded', l2: { status: 'degraded' } },
      });
      expect(downHealth.redis.status).toBe('down');
      expect(redisAlerts).toEqual(['raised']);

      await server.start();
      await ready();
      const back = await phase('redis-server started again (empty)');
      // The restarted server had nothing: every key there was written after it came back (the
      // equities at least; crypto and FX quotes may live longer than the phase).
      expect(back.l2Keys).toBeGreaterThanOrEqual(4);
      expect(await probe.exists(keys.quote('best', 'AAPL'))).toBe(1);
      const backHealth = await h.md.health({ level: 2 });
      expect(backHealth).toMatchObject({ status: 'healthy', cache: { status: 'healthy', l2: { status: 'ok' } } });
      expect(backHealth.redis.status).toBe('ok');
      expect(redisAlerts).toEqual(['raised', 'cleared']);

      const flushed = await phase('FLUSHALL mid-phase', async () => {
        await new Promise((r) => setTimeout(r, PHASE_MS / 3));
        await probe.flushall();
      });
      expect(flushed.l2Keys).toBeGreaterThanOrEqual(4);
      expect(await probe.exists(keys.quote('best', 'MSFT'))).toBe(1);
      expect((await h.md.health({ level: 2 })).status).toBe('healthy');

      for (const r of [before, down, back, flushed]) {
        expect(r.tally.calls).toBeGreaterThan(50);
        expect(r.tally.errors).toEqual({});
        expect(r.tally.rejected).toBe(0);
      }
      // The outage phase really ran past TTLs: loaders ran while L2 was away.
      expect(down.tally.fresh).toBeGreaterThan(0);
      expect(unhandled.samples).toEqual([]);
    } finally {
      unhandledTotal = unhandled.count;
      unhandled.dispose();
      await h.close();
      redis.disconnect();
      probe.disconnect();
      await server.stop();
    }
  }, 60_000);
});
