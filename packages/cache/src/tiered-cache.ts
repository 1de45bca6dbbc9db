import {
  type Clock,
  createMarketCalendar,
  keys as defaultKeys,
  type KeyBuilder,
  type ProviderError,
  systemClock,
  ValidationError,
} from '@stockade/core';
import { type CacheCore, type CachePolicy, createCacheCore } from './cache-core.js';
import { type CacheLogger, silentLogger } from './cache-logger.js';
import { createReads, type ReadOptions } from './cache-reads.js';
import { type CachedValue, type CacheEntry, type EntryInit, resolvedEntry } from './entry.js';
import { createGetOrLoad, type GetOrLoadOptions, type Loader } from './get-or-load.js';
import { createL1 } from './l1.js';
import { createL2, type L2Health, type L2Write, type RedisClient } from './l2.js';
import { createSingleFlight } from './single-flight.js';
import { type CacheStats, createCounters } from './stats.js';
import { createTtlPolicy, type TtlPolicy } from './ttl-policy.js';
import { type KeyspaceReport, verifyKeyspace } from './verify-keyspace.js';

function isIoredisClient(x: unknown): x is RedisClient {
  const c = x as Partial<Record<'evalsha' | 'pipeline', unknown>> & { isCluster?: unknown; status?: unknown };
  return (
    typeof c === 'object' &&
    typeof c.evalsha === 'function' &&
    typeof c.pipeline === 'function' &&
    typeof c.isCluster === 'boolean' &&
    typeof c.status === 'string'
  );
}

/** Options of {@link createCache}. */
export interface CacheOptions {
  /** The in-process tier. @default { maxBytes: 67_108_864 } */
  l1?: {
    /** Upper bound of the bytes held, estimated from each entry's JSON length. @default 67_108_864 (64 MiB) */
    maxBytes?: number;
  };
  /** An ioredis `Redis` or `Cluster` for the shared L2 (you own it; `close()` leaves it open). @default undefined (L1 only) */
  redis?: RedisClient | undefined;
  /** Tuning of the Redis tier. @default { timeoutMs: 200, lockTtlMs: 10_000 } */
  l2?: {
    /** Longest one L2 command may stall a caller before it carries on without L2. @default 200 */
    timeoutMs?: number;
    /** Expiry of the cross-process load lock: the longest one process loads before another may too. @default 10_000 */
    lockTtlMs?: number;
  };
  /** Builder of every key; keys passed to the cache must come from it. @default keys (prefix `stockade:v1:`) */
  keys?: KeyBuilder;
  /** Adaptive TTLs. @default createTtlPolicy({ calendar: createMarketCalendar({ clock }) }) */
  ttlPolicy?: TtlPolicy;
  /** TTLs when a call names no policy. @default the policy's regular-hours quote TTL, its grace and maxStaleMs */
  defaultPolicy?: CachePolicy<unknown>;
  /** Source of "now" for every freshness decision. @default systemClock */
  clock?: Clock;
  /** Where L2 degradation, recovery and failed refreshes are logged (pino-compatible). @default silent */
  logger?: CacheLogger;
  /** Called when the Redis tier turns degraded (with the reason) and when it is healthy again. @default undefined */
  onL2StatusChange?: (status: 'ok' | 'degraded', reason?: string) => void;
}

/** One value to store. */
export interface SetOptions<T> {
  /** Provider that produced it. */
  source: string;
  /** Its TTLs. @default the cache's `defaultPolicy` */
  policy?: CachePolicy<T>;
  /** Aborts the write. @default undefined */
  signal?: AbortSignal;
}

/** One item of `setMany`: a value with its source and policy, or a `not_found` to remember. */
export type SetManyItem<T> =
  | { key: string; value: T; source: string; policy?: CachePolicy<T> }
  | { key: string; notFound: ProviderError };

/** Health of both tiers, in the shape of the manager's `HealthReport.cache`. */
export interface CacheHealth {
  /** `degraded` while L2 is configured but failing. */
  status: 'healthy' | 'degraded';
  /** The in-process tier. */
  l1: { entries: number; bytes: number; maxBytes: number; hitRate: number | null };
  /** The Redis tier. */
  l2: { status: 'ok' | 'degraded' | 'disabled'; errors: number; lastError?: string };
}

/** A two-tier cache; see {@link createCache}. */
export interface TieredCache {
  /** The key builder every key must come from. */
  readonly keys: KeyBuilder;
  /** The adaptive TTL policy in force. */
  readonly ttlPolicy: TtlPolicy;
  /** The clock every freshness decision reads. */
  readonly clock: Clock;
  /** The entry under `key` from L1, else L2, if servable under `accept`. A fresh L1 hit is a map read and a clock read. */
  get<T>(key: string, options?: ReadOptions): Promise<CacheEntry<T> | undefined>;
  /** Like `get` for many keys: L1 first, then one MGET for the rest (one per hash slot on a cluster). */
  getMany<T>(keys: readonly string[], options?: ReadOptions): Promise<Map<string, CacheEntry<T>>>;
  /**
   * The value under `key`, loading it on a miss: fresh → returned; stale inside the grace →
   * returned marked stale and refreshed in the background; load fails → last known good marked
   * stale, else the loader's error; `not_found` → remembered for `negativeMs` and thrown.
   * Concurrent callers of one key share one load (across processes too, with Redis).
   */
  getOrLoad<T>(key: string, loader: Loader<T>, options?: GetOrLoadOptions<T>): Promise<CachedValue<T>>;
  /** Stores a value in both tiers. */
  set<T>(key: string, value: T, options: SetOptions<T>): Promise<CachedValue<T>>;
  /** Stores many values (and remembered `not_found`s) in both tiers: one pipeline (per hash slot) to Redis. */
  setMany<T>(items: readonly SetManyItem<T>[], options?: { signal?: AbortSignal }): Promise<void>;
  /** Removes keys from both tiers. */
  delete(keys: readonly string[], options?: { signal?: AbortSignal }): Promise<void>;
  /** Writes and reads a probe key through the key builder and the client; throws `ConfigError` on a mismatch. */
  verifyKeyspace(options?: { signal?: AbortSignal }): Promise<KeyspaceReport>;
  /** Health of both tiers. */
  health(): CacheHealth;
  /** Counters for metrics (hits and misses per tier, stale serves, loader calls, coalesced waiters, evictions, bytes). */
  stats(): CacheStats;
  /** Aborts background refreshes and waits for them, stops listening to Redis. Leaves the Redis client open. */
  close(): Promise<void>;
}

/**
 * Creates a {@link TieredCache}: a byte-bounded lru-cache L1 in front of an optional Redis L2,
 * with adaptive TTLs, stale-while-revalidate, stale-if-error, negative caching and single-flight
 * loads (across processes through a Redis lock). Redis failures never reach callers.
 *
 * @throws {ValidationError} when `l1.maxBytes` is not a positive integer.
 * @example
 * const cache = createCache({ l1: { maxBytes: 32 << 20 }, redis: new Redis(process.env.REDIS_URL) });
 * await cache.verifyKeyspace();
 * const { value, stale } = await cache.getOrLoad(
 *   keys.quote('best', 'AAPL'),
 *   async ({ signal }) => ({ value: await fetchQuote('AAPL', { signal }), source: 'polygon' }),
 *   { policy: { kind: 'quote', symbol: 'AAPL' } },
 * );
 */
export function createCache(options: CacheOptions = {}): TieredCache {
  const clock = options.clock ?? systemClock;
  const counters = createCounters();
  const l1 = createL1({
    maxBytes: options.l1?.maxBytes,
    onEvict: () => {
      counters.evictions++;
    },
  });
  const logger = options.logger ?? silentLogger;
  const ttlPolicy = options.ttlPolicy ?? createTtlPolicy({ calendar: createMarketCalendar({ clock }) });
  const lockTtlMs = options.l2?.lockTtlMs ?? 10_000;
  if (!(lockTtlMs > 0)) {
    throw new ValidationError(`l2.lockTtlMs must be positive, got ${lockTtlMs}`, [
      { path: 'l2.lockTtlMs', message: 'expected > 0' },
    ]);
  }
  const timeoutMs = options.l2?.timeoutMs ?? 200;
  if (!(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw new ValidationError(`l2.timeoutMs must be a positive number of ms, got ${timeoutMs}`, [
      { path: 'l2.timeoutMs', message: 'expected > 0' },
    ]);
  }
  const redis = options.redis;
  if (redis !== undefined && redis !== null && !isIoredisClient(redis)) {
    throw new ValidationError('redis must be an ioredis Redis or Cluster instance (other clients are not supported)', [
      { path: 'redis', message: 'expected new Redis(url) or new Cluster(nodes) from ioredis 5' },
    ]);
  }
  const table = ttlPolicy.table;
  const core: CacheCore = createCacheCore({
    l1,
    l2: redis
      ? createL2(redis, {
          timeoutMs,
          counters,
          logger,
          ...(options.onL2StatusChange === undefined ? {} : { onStatusChange: options.onL2StatusChange }),
        })
      : undefined,
    counters,
    clock,
    keys: options.keys ?? defaultKeys,
    ttlPolicy,
    defaultPolicy: options.defaultPolicy ?? {
      freshMs: table.quoteRegularMs,
      staleMs: Math.min(table.quoteRegularMs, table.maxGraceMs),
      maxStaleMs: table.maxStaleMs,
    },
    logger,
    lockTtlMs,
    flights: createSingleFlight({
      onJoin: () => {
        counters.coalescedWaiters++;
      },
    }),
  });
  const getOrLoadSlow = createGetOrLoad(core);
  const reads = createReads(core);
  // Shared default: a hit without options allocates nothing.
  const noLoadOptions: GetOrLoadOptions<unknown> = Object.freeze({});

  function toInit<T>(item: SetManyItem<T>): EntryInit<T> {
    return 'notFound' in item
      ? { found: false, error: item.notFound }
      : { found: true, value: item.value, source: item.source };
  }

  async function storeMany<T>(
    items: readonly SetManyItem<T>[],
    opts: { signal?: AbortSignal },
  ): Promise<CacheEntry<T>[]> {
    opts.signal?.throwIfAborted();
    for (const item of items) core.checkKey(item.key);
    const writes: L2Write[] = [];
    const entries: CacheEntry<T>[] = [];
    for (const item of items) {
      const now = clock.now();
      const ttl =
        'notFound' in item
          ? ttlPolicy.notFound()
          : core.resolveTtl(item.policy as CachePolicy<unknown>, item.value, now);
      const { entry, json } = core.store(item.key, toInit(item), ttl, now);
      entries.push(entry);
      writes.push({ key: item.key, value: json, ttlMs: entry.lastGoodUntil - now });
    }
    await core.l2?.set(writes);
    return entries;
  }

  return {
    keys: core.keys,
    ttlPolicy,
    clock,
    get: reads.get,
    getMany: reads.getMany,
    getOrLoad<T>(
      key: string,
      loader: Loader<T>,
      options: GetOrLoadOptions<T> = noLoadOptions as GetOrLoadOptions<T>,
    ): Promise<CachedValue<T>> {
      const held = l1.get(key);
      if (held?.found && clock.now() < held.freshUntil && options.signal?.aborted !== true) {
        counters.l1Hits++;
        return resolvedEntry(held as CachedValue<T>);
      }
      return getOrLoadSlow(key, loader, options);
    },
    async set<T>(key: string, value: T, opts: SetOptions<T>): Promise<CachedValue<T>> {
      const [entry] = await storeMany([{ key, value, source: opts.source, policy: opts.policy }], opts);
      return entry as CachedValue<T>;
    },
    async setMany(items, opts = {}) {
      await storeMany(items, opts);
    },
    async delete(keyList, opts = {}) {
      opts.signal?.throwIfAborted();
      for (const key of keyList) l1.delete(key);
      await core.l2?.del(keyList);
    },
    verifyKeyspace: (opts = {}) =>
      verifyKeyspace({ redis: core.l2?.client, keys: core.keys, clock, signal: opts.signal }),
    health() {
      const lookups = counters.l1Hits + counters.l1Misses;
      const l1Health = {
        entries: l1.size,
        bytes: l1.bytes,
        maxBytes: l1.maxBytes,
        hitRate: lookups === 0 ? null : counters.l1Hits / lookups,
      };
      const l2: L2Health | undefined = core.l2?.health();
      if (l2 === undefined) return { status: 'healthy', l1: l1Health, l2: { status: 'disabled', errors: 0 } };
      return { status: l2.status === 'ok' ? 'healthy' : 'degraded', l1: l1Health, l2 };
    },
    stats: () => ({ ...counters, entries: l1.size, bytes: l1.bytes }),
    async close() {
      if (core.closed) return;
      core.closed = true;
      core.flights.abortAll(new DOMException('The cache was closed', 'AbortError'));
      await Promise.allSettled([...core.background]);
      core.l2?.close();
      core.l2 = undefined;
    },
  };
}
