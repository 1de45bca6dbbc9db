export * from './bar-store.js';
export type { CachePolicy } from './cache-core.js';
export * from './cache-logger.js';
export type { ReadOptions } from './cache-reads.js';
export {
  type CachedNotFound,
  type CachedValue,
  type CacheEntry,
  decodeEntry,
  type EntryInit,
  type EntryTimes,
  encodeEntry,
  type Staleness,
  type TtlSpec,
} from './entry.js';
export type { GetOrLoadOptions, Loaded, Loader, LoaderContext } from './get-or-load.js';
export { hashSlotOf } from './hash-slot.js';
export type { L2Health, RedisClient } from './l2.js';
export * from './single-flight.js';
export * from './stats.js';
export * from './tiered-cache.js';
export * from './ttl-policy.js';
export * from './verify-keyspace.js';
