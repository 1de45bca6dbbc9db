import { type Clock, type KeyBuilder, ValidationError } from '@stockade/core';
import type { CacheLogger } from './cache-logger.js';
import { type CacheEntry, createEntry, decodeEntry, type EntryInit, encodeEntry, type TtlSpec } from './entry.js';
import type { L1 } from './l1.js';
import type { L2 } from './l2.js';
import type { SingleFlight } from './single-flight.js';
import type { CacheCounters } from './stats.js';
import type { TtlPolicy, TtlQuery } from './ttl-policy.js';

/**
 * How long a value stays fresh, stale-servable and last known good:
 * - a {@link TtlSpec} (`{ freshMs, staleMs, maxStaleMs }`) used as is;
 * - a query for the adaptive {@link TtlPolicy} (`{ kind: 'quote', symbol: 'AAPL' }`), resolved at store time;
 * - a function of the loaded value returning either (e.g. to pass `lastMovePct` from a quote).
 */
export type CachePolicy<T> =
  | TtlSpec
  | Omit<TtlQuery, 'at'>
  | ((value: T, at: number) => TtlSpec | Omit<TtlQuery, 'at'>);

/** The state the tiered cache's parts share. Internal. */
export interface CacheCore {
  readonly l1: L1;
  l2: L2 | undefined;
  readonly counters: CacheCounters;
  readonly clock: Clock;
  readonly keys: KeyBuilder;
  readonly ttlPolicy: TtlPolicy;
  readonly defaultPolicy: CachePolicy<unknown>;
  readonly logger: CacheLogger;
  readonly lockTtlMs: number;
  readonly flights: SingleFlight<CacheEntry<unknown>>;
  /** Background refreshes in flight, awaited by `close()`. */
  readonly background: Set<Promise<void>>;
  closed: boolean;
  /** Throws unless `key` was made by the key builder. */
  checkKey(key: string): void;
  /** The TTLs of `value` stored at `at` under `policy`. */
  resolveTtl(policy: CachePolicy<unknown> | undefined, value: unknown, at: number): TtlSpec;
  /** Builds an entry stored now, keeps it in L1, and returns it with its L2 form. */
  store<T>(key: string, init: EntryInit<T>, ttl: TtlSpec, now: number): { entry: CacheEntry<T>; json: string };
  /** Decodes an L2 value, keeps it in L1 unless L1 holds a newer one; `undefined` if unusable or expired. */
  adopt<T>(key: string, raw: string, now: number): CacheEntry<T> | undefined;
}

/** Parts {@link createCacheCore} is built from. */
export type CacheCoreParts = Omit<CacheCore, 'checkKey' | 'resolveTtl' | 'store' | 'adopt' | 'closed' | 'background'>;

/** Assembles the shared state and the helpers every part uses. */
export function createCacheCore(parts: CacheCoreParts): CacheCore {
  const { l1, keys, ttlPolicy } = parts;
  const core: CacheCore = {
    ...parts,
    background: new Set(),
    closed: false,
    checkKey(key) {
      if (typeof key !== 'string' || !key.startsWith(keys.prefix) || key.length === keys.prefix.length) {
        const found = typeof key === 'string' ? JSON.stringify(key.slice(0, 80)) : typeof key;
        const message = `Cache key ${found} was not made by the key builder (prefix "${keys.prefix}"): build keys with the same createKeyBuilder() the cache was given, e.g. keys.quote('best', 'AAPL')`;
        throw new ValidationError(message, [{ path: 'key', message: `expected a key starting with "${keys.prefix}"` }]);
      }
    },
    resolveTtl(policy, value, at) {
      let p = policy ?? parts.defaultPolicy;
      if (typeof p === 'function') p = p(value, at);
      return 'freshMs' in p ? p : ttlPolicy.ttlFor({ ...p, at });
    },
    store(key, init, ttl, now) {
      const entry = createEntry(init, ttl, now);
      let json: string;
      try {
        json = encodeEntry(entry);
      } catch (err) {
        const message = `The value for ${key} cannot be cached: it is not JSON-serializable (${(err as Error).message})`;
        throw new ValidationError(message, [{ path: 'value', message: 'expected a JSON-serializable value' }], {
          cause: err,
        });
      }
      l1.set(key, entry, json.length);
      return { entry, json };
    },
    adopt<T>(key: string, raw: string, now: number) {
      const entry = decodeEntry<T>(raw);
      if (entry === undefined || now >= entry.lastGoodUntil) return undefined;
      const held = l1.get(key);
      if (held !== undefined && held.storedAt >= entry.storedAt) return held as CacheEntry<T>;
      l1.set(key, entry, raw.length);
      return entry;
    },
  };
  return core;
}
