/**
 * @stockade/cache against its peers, in one process:
 *   - L1 hit through `get` and through `getOrLoad` vs a bare lru-cache 11 `get` (same size bound,
 *     same entries), with bentocache's published tiered-get figure as context;
 *   - L2 hit over loopback Redis vs a bare ioredis GET on the same client and server.
 *
 * Run: npm run bench -- cache   (builds stale packages, writes bench/results/cache.json, latest.json
 *      and docs/performance.md)
 */
import { cpus } from 'node:os';
import { createCache, type Loader } from '@stockade/cache';
import { createKeyBuilder } from '@stockade/core';
import { Redis } from 'ioredis';
import { LRUCache } from 'lru-cache';
import { redisServerAvailable, startRedisServer } from '../test/support/redis-server.js';
import { type BenchRow, lowerIsBetter, report } from './report.js';

/** bentocache's README benchmark: "get 2 tiers (L1 hit)" ≈ 292 ns/op. Not run here; context only. */
const BENTOCACHE_PUBLISHED_NS = 292;
const KEYS = 1_000;
const ROUNDS = 15;

const keys = createKeyBuilder({ prefix: 'stockade-bench:cache:' });
const symbols = Array.from({ length: KEYS }, (_, i) => `SYM${i}`);
const cacheKeys = symbols.map((s) => keys.quote('best', s));
const quote = (symbol: string) => ({
  symbol,
  price: 187.25,
  bid: 187.2,
  ask: 187.3,
  volume: 51_234_000,
  change: 1.12,
  changePercent: 0.6,
  currency: 'USD',
  exchange: 'XNAS',
  marketState: 'regular',
  asOf: 1_781_622_000_000,
  provider: 'polygon',
  stale: false,
  delayed: false,
  receivedAt: 1_781_622_000_050,
});
const policy = { freshMs: 3_600_000, staleMs: 0, maxStaleMs: 3_600_000 };

let sink = 0;

type Body = (i: number) => unknown;

/** Runs `n` calls of a body, synchronously or awaiting each call; returns ns/op. */
async function pass(n: number, body: Body, awaited: boolean): Promise<number> {
  const t0 = process.hrtime.bigint();
  if (awaited) {
    for (let i = 0; i < n; i++) if ((await body(i)) !== undefined) sink++;
  } else {
    for (let i = 0; i < n; i++) if (body(i) !== undefined) sink++;
  }
  return Number(process.hrtime.bigint() - t0) / n;
}

/**
 * Best ns/op per scenario. Scenarios take turns inside every round, so a noisy neighbour
 * (this machine is shared) slows ours and the peer alike instead of skewing one ratio.
 */
async function measure<K extends string>(
  n: number,
  scenarios: Record<K, { body: Body; awaited: boolean }>,
): Promise<Record<K, number>> {
  const names = Object.keys(scenarios) as K[];
  const samples = new Map<K, number[]>(names.map((name) => [name, []]));
  for (const name of names) await pass(n, scenarios[name].body, scenarios[name].awaited); // warm-up
  for (let r = 0; r < ROUNDS; r++) {
    for (const name of names) samples.get(name)?.push(await pass(n, scenarios[name].body, scenarios[name].awaited));
  }
  return Object.fromEntries(names.map((name) => [name, best(samples.get(name) ?? [])])) as Record<K, number>;
}

/**
 * The fastest round. On a shared machine, noise only ever adds time, so the minimum is the most
 * repeatable estimate of what the code itself costs (the median moved by 2× between runs here).
 */
function best(xs: number[]): number {
  return Math.min(...xs);
}

const rows: BenchRow[] = [];
/** A time row (ns/op, lower is better); `limit` is the target in words with whether it was met. */
function row(
  scenario: string,
  ours: number,
  peer: string,
  peerValue: number,
  limit?: { target: string; met: boolean },
) {
  rows.push(lowerIsBetter({ scenario, ours, peer, peerValue, unit: 'ns/op', ...limit }));
}

// ---- L1 ---------------------------------------------------------------------------------------
const cache = createCache({ keys, l1: { maxBytes: 64 << 20 } });
const lru = new LRUCache<string, object>({ maxSize: 64 << 20 });
for (let i = 0; i < KEYS; i++) {
  const key = cacheKeys[i] as string;
  const value = quote(symbols[i] as string);
  await cache.set(key, value, { source: 'polygon', policy });
  lru.set(key, { value }, { size: JSON.stringify(value).length + 96 });
}
const neverCalled: Loader<unknown> = async () => {
  throw new Error('the loader must not run on a hit');
};
const at = (i: number) => cacheKeys[i % KEYS] as string;

const N = 200_000;
const settled = Promise.resolve(1);
const l1 = await measure(N, {
  rawLru: { body: (i) => lru.get(at(i)), awaited: false },
  getCall: { body: (i) => cache.get(at(i)), awaited: false },
  getHit: { body: (i) => cache.get(at(i)), awaited: true },
  getOrLoadHit: { body: (i) => cache.getOrLoad(at(i), neverCalled), awaited: true },
  awaitedLru: { body: async (i) => lru.get(at(i)), awaited: true },
  awaitFloor: { body: () => settled, awaited: true },
  clockRead: { body: () => Date.now(), awaited: false },
});
const { rawLru, getCall, getHit, getOrLoadHit, awaitedLru, awaitFloor, clockRead } = l1;
if (cache.stats().loaderCalls !== 0) throw new Error('a hit called the loader');

row('L1 hit: `cache.get` call, promise not awaited', getCall, 'lru-cache 11 `get` (sync)', rawLru, {
  target: 'time ≤ 3× peer (≥ 0.33×)',
  met: getCall <= 3 * rawLru,
});
row('L1 hit: `await cache.get`', getHit, 'lru-cache 11 `get` in an async fn, awaited', awaitedLru, {
  target: 'time ≤ 3× peer (≥ 0.33×)',
  met: getHit <= 3 * awaitedLru,
});
row('L1 hit: `await cache.get`', getHit, 'lru-cache 11 `get` (sync)', rawLru);
row('L1 hit: `await cache.getOrLoad`', getOrLoadHit, 'lru-cache 11 `get` (sync)', rawLru, {
  target: '≤ 250 ns',
  met: getOrLoadHit <= 250,
});
row('floor: `await` of a settled promise', awaitFloor, 'lru-cache 11 `get` (sync)', rawLru);
row('floor: one clock read (`Date.now()`)', clockRead, 'lru-cache 11 `get` (sync)', rawLru);
await cache.close();

// ---- L2 ---------------------------------------------------------------------------------------
let l2Note = 'redis-server not installed: L2 scenario skipped';
if (redisServerAvailable()) {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  await redis.ping();
  // An L1 too small to hold any entry: every `get` goes to Redis.
  const writer = createCache({ keys, redis });
  const l2Only = createCache({ keys, redis, l1: { maxBytes: 1 } });
  await writer.setMany(
    cacheKeys.map((key, i) => ({ key, value: quote(symbols[i] as string), source: 'polygon', policy })),
  );
  const M = 10_000;
  const l2 = await measure(M, {
    bareGet: { body: (i) => redis.get(at(i)), awaited: true },
    l2Hit: { body: (i) => l2Only.get(at(i)), awaited: true },
  });
  const { bareGet: peer, l2Hit } = l2;
  const s = l2Only.stats();
  if (s.l2Hits < M * ROUNDS || s.l2Errors > 0 || s.l1Hits > 0)
    throw new Error(`expected L2 hits only, got ${JSON.stringify(s)}`);
  row('L2 hit (loopback Redis): `await cache.get`', l2Hit, 'ioredis 5 `GET` (same client)', peer, {
    target: 'time ≤ 1.5× peer (≥ 0.67×)',
    met: l2Hit <= 1.5 * peer,
  });
  await writer.close();
  await l2Only.close();
  await redis.quit();
  await server.stop();
  l2Note = `redis-server on 127.0.0.1:${server.port}, ${M} sequential gets per round`;
}

// ---- report -----------------------------------------------------------------------------------
console.log(
  `\n@stockade/cache — best of ${ROUNDS} interleaved rounds, Node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} (${cpus().length} cores)`,
);
console.log(`${l2Note}; L1: ${KEYS} quotes, ${N} gets per round. (sink ${sink > 0 ? 'ok' : 'empty'})`);
const notes = [
  `Best of ${ROUNDS} interleaved rounds. L1: ${KEYS} quotes, ${N} gets per round. L2: ${l2Note}.`,
  `Context, not run here: bentocache's README publishes ≈ ${BENTOCACHE_PUBLISHED_NS} ns/op for a two-tier L1 hit.`,
];
report('cache', rows, { notes, command: 'npm run bench -- cache' });
