import { ProviderError } from '@stockade/core';

/** When an entry was stored and how long each way of serving it lasts; epoch ms on the cache's clock. */
export interface EntryTimes {
  /** When the value was produced and stored. */
  readonly storedAt: number;
  /** Served as fresh before this instant. */
  readonly freshUntil: number;
  /** Between `freshUntil` and this instant: served at once marked stale and refreshed in the background. */
  readonly staleUntil: number;
  /** Until this instant the value is still a last known good answer when a load fails (stale-if-error). */
  readonly lastGoodUntil: number;
  /** Which provider produced it (`best` or `consensus` for merged answers). */
  readonly source: string;
  /** Whether it is served past `freshUntil`. Stored entries are `false`; stale serves are copies with `true`. */
  readonly stale: boolean;
}

/** A cached value. */
export interface CachedValue<T> extends EntryTimes {
  /** Discriminant: a value was found. */
  readonly found: true;
  /** The value. Shared by every reader: do not mutate it. */
  readonly value: T;
}

/** A cached "does not exist" answer (negative caching of a `not_found` provider error). */
export interface CachedNotFound extends EntryTimes {
  /** Discriminant: the provider said the thing does not exist. */
  readonly found: false;
  /** The `not_found` error to hand to callers. */
  readonly error: ProviderError;
}

/** What the cache holds under a key: a value, or a remembered `not_found`. */
export type CacheEntry<T> = CachedValue<T> | CachedNotFound;

/** How long an entry lasts in each state, ms from the instant it is stored. */
export interface TtlSpec {
  /** Fresh for this long. */
  freshMs: number;
  /** Then served stale while revalidating for this long (the SWR grace). */
  staleMs: number;
  /** Kept as last known good for this long after it stops being fresh (stale-if-error horizon). */
  maxStaleMs: number;
}

const RESOLVED: unique symbol = Symbol('stockade.cache.resolved');
type Sealed = { [RESOLVED]?: Promise<unknown> };

/**
 * Freezes a stored entry and gives it a promise already resolved to itself, so that a hit can be
 * returned from an async API without allocating: awaiting a settled native promise is the
 * cheapest await there is. (A symbol key: JSON and stale copies, built field by field, ignore it.)
 */
function seal<E extends CacheEntry<unknown>>(entry: E): E {
  (entry as Sealed)[RESOLVED] = Promise.resolve(entry);
  return Object.freeze(entry);
}

/** A promise of `entry`: the one made when it was stored, or a new one for a stale copy. */
export function resolvedEntry<E extends CacheEntry<unknown>>(entry: E): Promise<E> {
  return ((entry as Sealed)[RESOLVED] as Promise<E> | undefined) ?? Promise.resolve(entry);
}

/** The fields of an entry before its times are fixed. */
export type EntryInit<T> = { found: true; value: T; source: string } | { found: false; error: ProviderError };

/** Builds a stored (frozen, `stale: false`) entry from a value and its TTLs at `now`. */
export function createEntry<T>(init: EntryInit<T>, ttl: TtlSpec, now: number): CacheEntry<T> {
  const freshUntil = now + Math.max(0, ttl.freshMs);
  const staleUntil = freshUntil + Math.max(0, ttl.staleMs);
  const lastGoodUntil = Math.max(staleUntil, freshUntil + Math.max(0, ttl.maxStaleMs));
  if (init.found) {
    return seal({
      found: true,
      value: init.value,
      storedAt: now,
      freshUntil,
      staleUntil,
      lastGoodUntil,
      source: init.source,
      stale: false,
    });
  }
  return seal({
    found: false,
    error: init.error,
    storedAt: now,
    freshUntil,
    staleUntil,
    lastGoodUntil,
    source: init.error.provider,
    stale: false,
  });
}

/** A copy of `entry` marked as served stale. */
export function markStale<E extends CacheEntry<unknown>>(entry: E): E {
  if (entry.stale) return entry;
  const { storedAt, freshUntil, staleUntil, lastGoodUntil, source } = entry;
  const copy = entry.found
    ? { found: true as const, value: entry.value, storedAt, freshUntil, staleUntil, lastGoodUntil, source, stale: true }
    : {
        found: false as const,
        error: entry.error,
        storedAt,
        freshUntil,
        staleUntil,
        lastGoodUntil,
        source,
        stale: true,
      };
  return Object.freeze(copy) as E;
}

/**
 * How stale an answer a read accepts:
 * - `fresh`: only before `freshUntil`;
 * - `stale`: also inside the stale-while-revalidate grace (before `staleUntil`), marked `stale: true`;
 * - `lastKnownGood`: anything before `lastGoodUntil`, marked `stale: true` once past `freshUntil`.
 */
export type Staleness = 'fresh' | 'stale' | 'lastKnownGood';

/** The entry as a read at `now` accepting `accept` may serve it (marked stale when past `freshUntil`), or `undefined`. */
export function serveAs<E extends CacheEntry<unknown>>(entry: E, now: number, accept: Staleness): E | undefined {
  if (now < entry.freshUntil) return entry;
  if (!entry.found || accept === 'fresh') return undefined;
  const until = accept === 'stale' ? entry.staleUntil : entry.lastGoodUntil;
  return now < until ? markStale(entry) : undefined;
}

/** The wire form of an entry in Redis: one JSON object per key. */
interface Envelope {
  v?: unknown;
  storedAt: number;
  freshUntil: number;
  staleUntil: number;
  lastGoodUntil: number;
  source: string;
  /** Present on a negative entry: the `not_found` message. */
  notFound?: string;
}

/** Serializes an entry for L2. The string's length doubles as the entry's L1 size estimate. */
export function encodeEntry(entry: CacheEntry<unknown>): string {
  const envelope: Envelope = {
    storedAt: entry.storedAt,
    freshUntil: entry.freshUntil,
    staleUntil: entry.staleUntil,
    lastGoodUntil: entry.lastGoodUntil,
    source: entry.source,
  };
  if (entry.found) envelope.v = entry.value;
  else envelope.notFound = entry.error.message;
  return JSON.stringify(envelope);
}

const isTime = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/**
 * Parses an L2 string back into an entry, or `undefined` when it is not one of ours (written by
 * another version, or corrupted): such a value is a miss, never an exception for the caller.
 */
export function decodeEntry<T>(raw: string): CacheEntry<T> | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const e = parsed as Partial<Envelope>;
  if (!isTime(e.storedAt) || !isTime(e.freshUntil) || !isTime(e.staleUntil) || !isTime(e.lastGoodUntil)) {
    return undefined;
  }
  if (typeof e.source !== 'string') return undefined;
  const { storedAt, freshUntil, staleUntil, lastGoodUntil, source } = e;
  if (typeof e.notFound === 'string') {
    const error = notFoundError(source, e.notFound);
    return seal<CacheEntry<T>>({
      found: false,
      error,
      storedAt,
      freshUntil,
      staleUntil,
      lastGoodUntil,
      source,
      stale: false,
    });
  }
  if (!('v' in e)) return undefined;
  return seal<CacheEntry<T>>({
    found: true,
    value: e.v as T,
    storedAt,
    freshUntil,
    staleUntil,
    lastGoodUntil,
    source,
    stale: false,
  });
}

function notFoundError(provider: string, message: string): ProviderError {
  // The stored message already carries the "provider: " prefix ProviderError adds.
  const prefix = `${provider}: `;
  const text = message.startsWith(prefix) ? message.slice(prefix.length) : message;
  return new ProviderError(text, { provider, kind: 'not_found' });
}
