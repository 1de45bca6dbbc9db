import { isProviderError, ValidationError } from '@stockade/core';
import type { CacheCore, CachePolicy } from './cache-core.js';
import { loadWithLock, type Produced } from './distributed-lock.js';
import { type CachedValue, type CacheEntry, markStale } from './entry.js';

/** What a loader is given. */
export interface LoaderContext<T> {
  /** Aborts when every caller waiting for this load has aborted (or the cache closes). */
  signal: AbortSignal;
  /** The key being loaded. */
  key: string;
  /** The value held before, if any (e.g. for a conditional request). */
  lastKnownGood: CachedValue<T> | undefined;
}

/** What a loader returns: the value and the provider that produced it. */
export interface Loaded<T> {
  /** The value; must be JSON-serializable. */
  value: T;
  /** Provider name, stored as the entry's `source`. */
  source: string;
}

/**
 * Produces a value on a miss. Throw a `ProviderError` of kind `not_found` for "does not exist"
 * (remembered for `negativeMs`); any other error is handed to the callers unless a last known
 * good value can be served instead.
 */
export type Loader<T> = (context: LoaderContext<T>) => Promise<Loaded<T>>;

/** Options of `getOrLoad`. */
export interface GetOrLoadOptions<T> {
  /** Aborts this caller's wait only; the shared load goes on while another caller waits. @default undefined */
  signal?: AbortSignal;
  /** TTLs of a loaded value. @default the cache's `defaultPolicy` */
  policy?: CachePolicy<T>;
  /** Serve the last known good value (marked stale) when the load fails. @default true */
  staleIfError?: boolean;
}

type AnyEntry = CacheEntry<unknown>;

/** Builds `getOrLoad`'s slow path (everything but a fresh L1 hit) over the shared core. */
export function createGetOrLoad(core: CacheCore) {
  const { l1, counters, clock, flights } = core;

  /** Calls the loader (under the Redis lock when there is an L2) and stores what it returns. */
  async function load<T>(
    key: string,
    loader: Loader<T>,
    policy: CachePolicy<T> | undefined,
    signal: AbortSignal,
  ): Promise<AnyEntry> {
    const known = l1.get(key);
    const produce = async (): Promise<Produced<unknown>> => {
      counters.loaderCalls++;
      let loaded: Loaded<T>;
      try {
        const lastKnownGood = known?.found ? (known as CachedValue<T>) : undefined;
        loaded = await loader({ signal, key, lastKnownGood });
      } catch (err) {
        counters.loaderErrors++;
        if (!isProviderError(err, 'not_found')) throw err;
        const now = clock.now();
        const { entry, json } = core.store(key, { found: false, error: err }, core.ttlPolicy.notFound(), now);
        return { entry, write: { key, value: json, ttlMs: entry.lastGoodUntil - now } };
      }
      if (typeof loaded !== 'object' || loaded === null || !('value' in loaded) || typeof loaded.source !== 'string') {
        const message = `The loader for ${key} returned ${loaded === null ? 'null' : typeof loaded}; it must return { value, source }`;
        throw new ValidationError(message, [{ path: 'loader', message: 'expected { value, source: string }' }]);
      }
      const now = clock.now();
      const ttl = core.resolveTtl(policy as CachePolicy<unknown> | undefined, loaded.value, now);
      const { entry, json } = core.store(key, { found: true, value: loaded.value, source: loaded.source }, ttl, now);
      return { entry, write: { key, value: json, ttlMs: entry.lastGoodUntil - now } };
    };
    const l2 = core.l2;
    if (l2 === undefined) return (await produce()).entry;
    const accept = (raw: string) => {
      const now = clock.now();
      const entry = core.adopt(key, raw, now);
      return entry !== undefined && now < entry.freshUntil ? entry : undefined;
    };
    const lockKey = core.keys.lock(key);
    const onWait = () => {
      counters.lockWaits++;
    };
    const result = await loadWithLock({
      l2,
      entryKey: key,
      lockKey,
      produce,
      accept,
      lockTtlMs: core.lockTtlMs,
      signal,
      onWait,
    });
    return result.entry;
  }

  /** The shared part of a miss: read L2 (unless refreshing), then load. One per key at a time. */
  async function resolveMiss<T>(
    key: string,
    loader: Loader<T>,
    policy: CachePolicy<T> | undefined,
    signal: AbortSignal,
    refreshing: boolean,
  ): Promise<AnyEntry> {
    const l2 = core.l2;
    if (l2 !== undefined) {
      const raw = await l2.get(key);
      const now = clock.now();
      const entry = raw === null || raw === undefined ? undefined : core.adopt(key, raw, now);
      if (entry !== undefined && now < entry.freshUntil) {
        counters.l2Hits++;
        if (!entry.found) counters.negativeHits++;
        return entry;
      }
      if (!refreshing && entry?.found && now < entry.staleUntil) {
        counters.l2Hits++;
        return markStale(entry);
      }
      counters.l2Misses++;
    }
    return load(key, loader, policy, signal);
  }

  function refreshInBackground<T>(key: string, loader: Loader<T>, policy: CachePolicy<T> | undefined): void {
    if (core.closed || flights.has(key)) return;
    counters.refreshes++;
    const run = flights.run(key, (signal) => resolveMiss(key, loader, policy, signal, true));
    const tracked = run.then(
      () => undefined,
      (err: unknown) => {
        counters.refreshErrors++;
        core.logger.warn({ component: 'cache', key, err }, 'cache background refresh failed; the stale value stays');
      },
    );
    core.background.add(tracked);
    tracked.finally(() => core.background.delete(tracked));
  }

  function deliver<T>(
    entry: AnyEntry,
    key: string,
    loader: Loader<T>,
    policy: CachePolicy<T> | undefined,
  ): CachedValue<T> {
    if (!entry.found) throw entry.error;
    if (entry.stale) {
      counters.staleServes++;
      refreshInBackground(key, loader, policy);
    }
    return entry as CachedValue<T>;
  }

  /** Everything but a fresh L1 hit: SWR from L1, then one shared L2 read and load per key. */
  return async function getOrLoadSlow<T>(
    key: string,
    loader: Loader<T>,
    options: GetOrLoadOptions<T>,
  ): Promise<CachedValue<T>> {
    core.checkKey(key);
    const { signal, policy } = options;
    signal?.throwIfAborted();
    if (typeof loader !== 'function') {
      throw new ValidationError(`getOrLoad(${key}) needs a loader function`, [
        { path: 'loader', message: 'expected a function' },
      ]);
    }
    const now = clock.now();
    const held = l1.get(key);
    // A negative entry's grace is empty, so past freshUntil only values get here.
    if (held !== undefined && now < held.staleUntil) {
      counters.l1Hits++;
      if (!held.found) counters.negativeHits++;
      return deliver(now < held.freshUntil ? held : markStale(held), key, loader, policy);
    }
    counters.l1Misses++;
    if (held !== undefined && now >= held.lastGoodUntil) l1.delete(key);
    try {
      const entry = await flights.run(key, (s) => resolveMiss(key, loader, policy, s, false), signal);
      return deliver(entry, key, loader, policy);
    } catch (err) {
      if (signal?.aborted || core.closed || options.staleIfError === false || isProviderError(err, 'not_found'))
        throw err;
      const known = l1.get(key);
      if (known?.found && clock.now() < known.lastGoodUntil) {
        counters.staleServes++;
        counters.lastKnownGoodServes++;
        return markStale(known) as CachedValue<T>;
      }
      throw err;
    }
  };
}
