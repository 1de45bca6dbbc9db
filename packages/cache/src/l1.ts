import { ValidationError } from '@stockade/core';
import { LRUCache } from 'lru-cache';
import type { CacheEntry } from './entry.js';

/** Options of {@link createL1}. */
export interface L1Options {
  /** Upper bound of the bytes held (estimated from each entry's JSON length). @default 67_108_864 (64 MiB) */
  maxBytes?: number;
  /** Called each time an entry is evicted to make room. @default undefined */
  onEvict?: () => void;
}

/** Per-entry overhead added to the JSON length: key, entry object, LRU bookkeeping. */
const ENTRY_OVERHEAD_BYTES = 96;

/**
 * The in-process tier: an LRU bounded in bytes. Entries are never expired by the LRU itself —
 * the tiered cache decides from `lastGoodUntil` on its own clock — so a hit is one map read.
 */
export interface L1 {
  /** The entry under `key` (marks it most recently used), expired or not. */
  get(key: string): CacheEntry<unknown> | undefined;
  /** Stores `entry`; `jsonLength` is its serialized length, measured once by the caller. */
  set(key: string, entry: CacheEntry<unknown>, jsonLength: number): void;
  /** Removes `key`. */
  delete(key: string): void;
  /** Removes everything. */
  clear(): void;
  /** Entries held. */
  readonly size: number;
  /** Estimated bytes held. */
  readonly bytes: number;
  /** The byte bound. */
  readonly maxBytes: number;
}

/**
 * Creates the byte-bounded L1.
 *
 * @throws {ValidationError} when `maxBytes` is not a positive integer.
 */
export function createL1(options: L1Options = {}): L1 {
  const maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  if (!Number.isSafeInteger(maxBytes) || maxBytes <= 0) {
    throw new ValidationError(`l1.maxBytes must be a positive integer number of bytes, got ${String(maxBytes)}`, [
      { path: 'l1.maxBytes', message: 'expected a positive integer' },
    ]);
  }
  const onEvict = options.onEvict;
  const lru = new LRUCache<string, CacheEntry<unknown>>({
    maxSize: maxBytes,
    dispose: onEvict === undefined ? undefined : (_v, _k, reason) => reason === 'evict' && onEvict(),
  });
  return {
    get: (key) => lru.get(key),
    set(key, entry, jsonLength) {
      const size = Math.max(1, jsonLength + key.length * 2 + ENTRY_OVERHEAD_BYTES);
      // lru-cache refuses an item larger than maxSize; such a value simply is not kept in L1.
      if (size <= maxBytes) lru.set(key, entry, { size });
      else lru.delete(key);
    },
    delete: (key) => {
      lru.delete(key);
    },
    clear: () => lru.clear(),
    get size() {
      return lru.size;
    },
    get bytes() {
      return lru.calculatedSize;
    },
    maxBytes,
  };
}
