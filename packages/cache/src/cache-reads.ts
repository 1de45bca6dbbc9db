import type { CacheCore } from './cache-core.js';
import { type CacheEntry, resolvedEntry, type Staleness, serveAs } from './entry.js';

/** Options of the reads `get` and `getMany`. */
export interface ReadOptions {
  /** How stale an answer is accepted. @default 'stale' */
  accept?: Staleness;
  /** Aborts the read. @default undefined */
  signal?: AbortSignal;
}

/** Builds the tiered reads `get` and `getMany` over the shared core: L1 first, then L2 for what L1 lacks. */
export function createReads(core: CacheCore) {
  const { l1, counters, clock } = core;
  const noOptions: ReadOptions = {};

  async function getSlow<T>(
    key: string,
    held: CacheEntry<unknown> | undefined,
    options: ReadOptions,
  ): Promise<CacheEntry<T> | undefined> {
    options.signal?.throwIfAborted();
    const accept = options.accept ?? 'stale';
    const now = clock.now();
    if (held !== undefined) {
      const hit = serveAs(held, now, accept);
      if (hit !== undefined) return countHit(hit, 'l1') as CacheEntry<T>;
      if (now >= held.lastGoodUntil) l1.delete(key);
    }
    counters.l1Misses++;
    const l2 = core.l2;
    if (l2 === undefined) return undefined;
    const raw = await l2.get(key);
    const entry = typeof raw === 'string' ? core.adopt<T>(key, raw, clock.now()) : undefined;
    const hit = entry === undefined ? undefined : serveAs(entry, clock.now(), accept);
    if (hit === undefined) counters.l2Misses++;
    else countHit(hit, 'l2');
    return hit;
  }

  function countHit<E extends CacheEntry<unknown>>(hit: E, tier: 'l1' | 'l2'): E {
    if (tier === 'l1') counters.l1Hits++;
    else counters.l2Hits++;
    if (hit.stale) counters.staleServes++;
    if (!hit.found) counters.negativeHits++;
    return hit;
  }

  function get<T>(key: string, options: ReadOptions = noOptions): Promise<CacheEntry<T> | undefined> {
    const held = l1.get(key);
    if (held !== undefined && clock.now() < held.freshUntil && options.signal?.aborted !== true) {
      counters.l1Hits++;
      if (!held.found) counters.negativeHits++;
      return resolvedEntry(held as CacheEntry<T>);
    }
    return getSlow<T>(key, held, options);
  }

  async function getMany<T>(
    keyList: readonly string[],
    options: ReadOptions = noOptions,
  ): Promise<Map<string, CacheEntry<T>>> {
    options.signal?.throwIfAborted();
    const accept = options.accept ?? 'stale';
    const out = new Map<string, CacheEntry<T>>();
    const missing: string[] = [];
    const now = clock.now();
    for (const key of keyList) {
      const held = l1.get(key);
      const hit = held === undefined ? undefined : serveAs(held, now, accept);
      if (hit !== undefined) out.set(key, countHit(hit, 'l1') as CacheEntry<T>);
      else if (!out.has(key) && !missing.includes(key)) {
        if (held !== undefined && now >= held.lastGoodUntil) l1.delete(key);
        counters.l1Misses++;
        missing.push(key);
      }
    }
    const l2 = core.l2;
    if (missing.length === 0 || l2 === undefined) return out;
    const raws = await l2.mget(missing);
    const later = clock.now();
    for (let i = 0; i < missing.length; i++) {
      const key = missing[i] as string;
      const raw = raws?.[i];
      const entry = typeof raw === 'string' ? core.adopt<T>(key, raw, later) : undefined;
      const hit = entry === undefined ? undefined : serveAs(entry, later, accept);
      if (hit === undefined) counters.l2Misses++;
      else out.set(key, countHit(hit, 'l2'));
    }
    return out;
  }

  return { get, getMany };
}
