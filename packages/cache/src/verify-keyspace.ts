import { randomUUID } from 'node:crypto';
import {
  type Clock,
  ConfigError,
  hashTagOf,
  type KeyBuilder,
  serializeCause,
  systemClock,
  TimeoutError,
} from '@stockade/core';
import { createEntry, decodeEntry, encodeEntry } from './entry.js';
import type { RedisClient } from './l2.js';

/** Options of {@link verifyKeyspace}. */
export interface VerifyKeyspaceOptions {
  /** The client the cache writes through; without one there is nothing to verify. @default undefined */
  redis?: RedisClient | undefined;
  /** The key builder the cache (and every reader) uses. */
  keys: KeyBuilder;
  /** Clock for the probe entry's times. @default systemClock */
  clock?: Clock;
  /** Longest the probe may take before Redis is reported unreachable. @default 2_000 */
  timeoutMs?: number;
  /** Aborts the probe. @default undefined */
  signal?: AbortSignal;
}

/** What {@link verifyKeyspace} found (a mismatch is thrown, not reported). */
export interface KeyspaceReport {
  /** `ok`: the probe round-tripped under the exact key; `disabled`: no Redis; `unreachable`: Redis did not answer. */
  status: 'ok' | 'disabled' | 'unreachable';
  /** The probe key written. */
  probeKey: string;
  /** Why Redis was unreachable. */
  detail?: string;
}

// Reads the key named in ARGV, which no client-side rewriting (ioredis `keyPrefix`) touches, while
// KEYS[1] routes the call to the right cluster node.
const READ_LITERAL = "return redis.call('GET', ARGV[1])";

function mismatch(message: string, hint: string): ConfigError {
  return new ConfigError([{ path: 'cache.keyPrefix', message, hint }]);
}

function withTimeout<T>(promise: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal?.reason);
    const timer = setTimeout(() => reject(new TimeoutError(`Redis gave no answer within ${ms} ms`, ms)), ms);
    timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    });
  });
}

/**
 * Writes a probe entry under `keys.probe(…)` with the cache's own encoding, reads it back both
 * through the client and by its literal name on the server, and deletes it. Run it at start: a
 * client that rewrites keys (ioredis `keyPrefix`), a key builder with another prefix than the
 * readers', or an encoding the reader cannot parse fails loudly here instead of silently missing
 * every lookup later.
 *
 * @throws {ConfigError} on any mismatch, saying what differs and how to fix it.
 * @example
 * const report = await verifyKeyspace({ redis, keys: createKeyBuilder({ prefix: 'stockade:v1:' }) });
 * if (report.status === 'unreachable') logger.warn(report, 'Redis is down: the cache runs on L1 only');
 */
export async function verifyKeyspace(options: VerifyKeyspaceOptions): Promise<KeyspaceReport> {
  const { redis, keys, signal } = options;
  signal?.throwIfAborted();
  const probeKey = keys.probe(`${process.pid}:${randomUUID()}`);
  if (!probeKey.startsWith(keys.prefix) || hashTagOf(probeKey) === probeKey) {
    throw mismatch(
      `the key builder made probe key "${probeKey}", which lacks its prefix or a hash tag`,
      'build keys with createKeyBuilder() from @stockade/core',
    );
  }
  if (redis === undefined) return { status: 'disabled', probeKey };

  const now = (options.clock ?? systemClock).now();
  const token = randomUUID();
  const written = encodeEntry(
    createEntry({ found: true, value: token, source: 'probe' }, { freshMs: 30_000, staleMs: 0, maxStaleMs: 0 }, now),
  );
  const timeoutMs = options.timeoutMs ?? 2_000;
  let viaClient: string | null;
  let literal: unknown;
  try {
    await withTimeout(redis.set(probeKey, written, 'PX', 30_000), timeoutMs, signal);
    viaClient = await withTimeout(redis.get(probeKey), timeoutMs, signal);
    literal = await withTimeout(redis.eval(READ_LITERAL, 1, probeKey, probeKey), timeoutMs, signal).catch(
      (err: unknown) => {
        // A cluster refuses a script touching a key of another slot: the client renamed the key.
        if (err instanceof Error && /non local key|CROSSSLOT/i.test(err.message)) return null;
        throw err;
      },
    );
    await withTimeout(redis.del(probeKey), timeoutMs, signal);
  } catch (err) {
    signal?.throwIfAborted();
    const s = serializeCause(err);
    const detail = typeof s === 'object' && s !== null ? String((s as { message?: unknown }).message) : String(s);
    return { status: 'unreachable', probeKey, detail };
  }

  if (viaClient !== written) {
    throw mismatch(
      `wrote probe "${probeKey}" but read back ${viaClient === null ? 'nothing' : 'another value'} through the same client`,
      'check that no other writer shares this key prefix and that the client is not a read replica',
    );
  }
  if (literal !== written) {
    throw mismatch(
      `the client stores "${probeKey}" under another name on the server: it rewrites keys (ioredis keyPrefix?)`,
      'remove the keyPrefix option from the ioredis client and set the prefix on the key builder (cache.keyPrefix) instead',
    );
  }
  const decoded = decodeEntry<string>(viaClient);
  if (decoded === undefined || !decoded.found || decoded.value !== token) {
    throw mismatch(
      'the probe entry did not decode to what was written',
      'readers and writers must run the same @stockade/cache version',
    );
  }
  return { status: 'ok', probeKey };
}
