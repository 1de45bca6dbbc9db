/**
 * One "process" of the cross-process single-flight test (run by distributed-lock.test.ts with
 * `node --conditions=source --import tsx`): its own ioredis client and cache on the shared test
 * Redis. It waits at a barrier so that every child asks for the key at the same moment, and its
 * loader counts upstream calls with INCR.
 *
 * argv: redisUrl prefix symbol
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createKeyBuilder } from '@stockade/core';
import { Redis } from 'ioredis';
import { createCache } from './tiered-cache.js';

const [url, prefix, symbol] = process.argv.slice(2) as [string, string, string];
const keys = createKeyBuilder({ prefix });
const redis = new Redis(url);
const cache = createCache({ redis, keys });
const counterKey = keys.entry('test', 'upstream-calls');
const readyKey = keys.entry('test', 'ready');
const goKey = keys.entry('test', 'go');

await redis.incr(readyKey);
while ((await redis.get(goKey)) === null) await sleep(2);

const result = await cache.getOrLoad(
  keys.quote('best', symbol),
  async () => {
    await redis.incr(counterKey);
    await sleep(400);
    return { value: { symbol, price: 123.45 }, source: `child-${process.pid}` };
  },
  { policy: { freshMs: 60_000, staleMs: 0, maxStaleMs: 60_000 } },
);
process.stdout.write(`${JSON.stringify({ value: result.value, source: result.source, stats: cache.stats() })}\n`);
await cache.close();
await redis.quit();
