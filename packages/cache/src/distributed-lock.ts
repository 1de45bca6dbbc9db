import { randomUUID } from 'node:crypto';
import type { CacheEntry } from './entry.js';
import type { L2, L2Write } from './l2.js';

/** What a lock holder's load produced: the entry to serve, and what to write to L2 (if anything). */
export interface Produced<T> {
  /** The entry to hand to callers. */
  entry: CacheEntry<T>;
  /** The L2 write for it; `null` for an answer that must not be shared (a last-known-good serve). */
  write: L2Write | null;
}

/** Options of {@link loadWithLock}. */
export interface LockedLoadOptions<T> {
  /** The Redis tier. */
  l2: L2;
  /** The entry's key. */
  entryKey: string;
  /** Its lock key (same hash slot: `keys.lock(entryKey)`). */
  lockKey: string;
  /** Calls the loader here. Runs at most once per call of {@link loadWithLock}. */
  produce: () => Promise<Produced<T>>;
  /** Turns a value another process wrote into an entry, or `undefined` if it is not usable (not fresh). */
  accept: (raw: string) => CacheEntry<T> | undefined;
  /** Lock expiry: the longest a holder may take before another process may load too. @default 10_000 */
  lockTtlMs?: number;
  /** Aborts the wait (and the load). */
  signal: AbortSignal;
  /** Called once when this call waits for another process instead of loading. @default undefined */
  onWait?: () => void;
}

const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 50;
const MAX_ROUNDS = 3;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    timer.unref();
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Loads a missing entry so that N processes sharing Redis make one upstream call.
 *
 * The first process takes `SET lock token NX PX lockTtlMs`, looks for the value once more (a
 * previous holder may just have written it), calls the loader and writes the value
 * with a Lua script that checks the token (so a holder whose lock expired cannot overwrite a newer
 * value), releasing the lock in the same step. The others poll the entry and the lock in one MGET,
 * backing off from 5 ms to 50 ms: they return the value as soon as it appears, and try to take the
 * lock themselves if it is released (or expires) without one. Polling, rather than keyspace
 * notifications, needs no server config and no extra connection.
 *
 * If Redis stops answering, or after three rounds without a value, the load runs here without the
 * lock and its value is not written to L2 (only a holder may write).
 */
export async function loadWithLock<T>(options: LockedLoadOptions<T>): Promise<Produced<T>> {
  const { l2, entryKey, lockKey, signal } = options;
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const unshared = async (): Promise<Produced<T>> => ({ entry: (await options.produce()).entry, write: null });
  let waited = false;

  for (let round = 0; round < MAX_ROUNDS; round++) {
    signal.throwIfAborted();
    const token = randomUUID();
    const locked = await l2.tryLock(lockKey, token, lockTtlMs);
    if (locked === undefined) return unshared();
    if (locked) return holdAndProduce(options, token);

    if (!waited) {
      waited = true;
      options.onWait?.();
    }
    let delay = FIRST_POLL_MS;
    for (let slept = 0; slept <= lockTtlMs; slept += delay, delay = Math.min(delay * 2, MAX_POLL_MS)) {
      await sleep(delay, signal);
      const seen = await l2.readEntryAndLock(entryKey, lockKey);
      if (seen === undefined) return unshared();
      const [raw, holder] = seen;
      const entry = raw === null ? undefined : options.accept(raw);
      if (entry !== undefined) return { entry, write: null };
      if (holder === null) break;
    }
  }
  return unshared();
}

async function holdAndProduce<T>(options: LockedLoadOptions<T>, token: string): Promise<Produced<T>> {
  const { l2, entryKey, lockKey } = options;
  // The previous holder may have written and released between our miss and our SET NX: its value
  // is visible now that we hold the lock (it writes and releases in one script), so look again.
  const raw = await l2.get(entryKey);
  const written = typeof raw === 'string' ? options.accept(raw) : undefined;
  if (written !== undefined) {
    await l2.releaseLock(lockKey, token);
    return { entry: written, write: null };
  }
  let produced: Produced<T>;
  try {
    produced = await options.produce();
  } catch (err) {
    await l2.releaseLock(lockKey, token);
    throw err;
  }
  if (produced.write === null) await l2.releaseLock(lockKey, token);
  else await l2.writeIfLockHeld(entryKey, lockKey, token, produced.write);
  // Already written under the lock (or deliberately not shared): the caller must not write it again.
  return { entry: produced.entry, write: null };
}
