/** Counters a cache keeps for metrics; plain numbers, bumped on the hot path without allocation. */
export interface CacheCounters {
  /** L1 lookups that found a servable entry. */
  l1Hits: number;
  /** L1 lookups that did not. */
  l1Misses: number;
  /** L2 lookups that found a servable entry. */
  l2Hits: number;
  /** L2 lookups that did not. */
  l2Misses: number;
  /** L2 commands that failed or timed out (the caller was served from L1 or the loader instead). */
  l2Errors: number;
  /** L2 commands not sent because Redis was disconnected. */
  l2Skipped: number;
  /** Values served past `freshUntil` (stale-while-revalidate and stale-if-error). */
  staleServes: number;
  /** Of those, served because the loader failed (stale-if-error). */
  lastKnownGoodServes: number;
  /** Remembered `not_found` answers served. */
  negativeHits: number;
  /** Calls made to loaders (in this process). */
  loaderCalls: number;
  /** Loader calls that failed. */
  loaderErrors: number;
  /** Callers that joined a load already in flight in this process instead of starting one. */
  coalescedWaiters: number;
  /** Loads that waited for another process holding the Redis lock instead of calling the loader. */
  lockWaits: number;
  /** Background refreshes started by stale-while-revalidate. */
  refreshes: number;
  /** Background refreshes that failed (the stale value stayed). */
  refreshErrors: number;
  /** L1 entries evicted to stay under `maxBytes`. */
  evictions: number;
}

/** A point-in-time copy of the counters plus L1 occupancy. */
export interface CacheStats extends Readonly<CacheCounters> {
  /** Entries in L1. */
  readonly entries: number;
  /** Estimated bytes held by L1. */
  readonly bytes: number;
}

/** Fresh zeroed counters. */
export function createCounters(): CacheCounters {
  return {
    l1Hits: 0,
    l1Misses: 0,
    l2Hits: 0,
    l2Misses: 0,
    l2Errors: 0,
    l2Skipped: 0,
    staleServes: 0,
    lastKnownGoodServes: 0,
    negativeHits: 0,
    loaderCalls: 0,
    loaderErrors: 0,
    coalescedWaiters: 0,
    lockWaits: 0,
    refreshes: 0,
    refreshErrors: 0,
    evictions: 0,
  };
}
