import { createHash } from 'node:crypto';
import { serializeCause, TimeoutError } from '@stockade/core';
import type { Cluster, Redis } from 'ioredis';
import { type CacheLogger, silentLogger } from './cache-logger.js';
import { createDeadlines } from './deadlines.js';
import { groupBySlot } from './hash-slot.js';
import type { CacheCounters } from './stats.js';

/** A Redis client the caller owns: an ioredis `Redis` or `Cluster`. */
export type RedisClient = Redis | Cluster;

/** Health of the Redis tier. */
export interface L2Health {
  /** `ok` while commands succeed; `degraded` from the first failure until ioredis is ready again. */
  status: 'ok' | 'degraded';
  /** L2 commands that failed or timed out so far. */
  errors: number;
  /** The latest failure, secret-free. */
  lastError?: string;
}

/** One value to write to L2. */
export interface L2Write {
  /** Redis key. */
  key: string;
  /** Serialized entry. */
  value: string;
  /** Expiry, ms (at least 1). */
  ttlMs: number;
}

/** Options of {@link createL2}. */
export interface L2Options {
  /** Longest one L2 command may take before the caller carries on without it. @default 200 */
  timeoutMs?: number;
  /** Counters to bump on errors and skips. */
  counters: CacheCounters;
  /** Where degradation and recovery are logged. @default silentLogger */
  logger?: CacheLogger;
  /** Called when the tier turns degraded (with the reason) and when it is healthy again. @default undefined */
  onStatusChange?: (status: 'ok' | 'degraded', reason?: string) => void;
}

/**
 * The Redis tier. No method ever rejects: a failure, a timeout or a disconnected client resolves
 * to `undefined` (or `false`), is counted and logged, and marks the tier degraded.
 */
export interface L2 {
  /** The caller's client. */
  readonly client: RedisClient;
  /** Current health. */
  health(): L2Health;
  /** GET; `null` on a miss, `undefined` when Redis could not answer. */
  get(key: string): Promise<string | null | undefined>;
  /** MGET, one command per hash slot on a cluster; `undefined` when Redis could not answer. */
  mget(keys: readonly string[]): Promise<Array<string | null> | undefined>;
  /** SET … PX in one pipeline (one per hash slot on a cluster); whether every write succeeded. */
  set(writes: readonly L2Write[]): Promise<boolean>;
  /** DEL; whether it succeeded. */
  del(keys: readonly string[]): Promise<boolean>;
  /** `SET lockKey token NX PX ttlMs`: whether the lock was taken (`undefined`: Redis could not answer). */
  tryLock(lockKey: string, token: string, ttlMs: number): Promise<boolean | undefined>;
  /** The entry and the lock holder in one MGET (they share a hash slot). */
  readEntryAndLock(entryKey: string, lockKey: string): Promise<[string | null, string | null] | undefined>;
  /** Writes the entry and releases the lock only while `token` still holds it (Lua). */
  writeIfLockHeld(entryKey: string, lockKey: string, token: string, write: L2Write): Promise<boolean | undefined>;
  /** Releases the lock if `token` still holds it (Lua). */
  releaseLock(lockKey: string, token: string): Promise<void>;
  /** Stops listening to the client's events. Does not close the client: the caller owns it. */
  close(): void;
}

interface Script {
  source: string;
  sha: string;
}

const script = (source: string): Script => ({ source, sha: createHash('sha1').update(source).digest('hex') });

// A holder whose lock expired (its load outlived lockTtlMs) no longer matches the token, so it
// cannot overwrite the value the next holder wrote.
const WRITE_IF_LOCK_HELD = script(`if redis.call('GET', KEYS[2]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  redis.call('DEL', KEYS[2])
  return 1
end
return 0`);

const RELEASE_LOCK = script(`if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0`);

const isNoScript = (err: unknown) => err instanceof Error && err.message.startsWith('NOSCRIPT');
const describe = (err: unknown) => {
  const s = serializeCause(err);
  return typeof s === 'object' && s !== null ? String((s as { message?: unknown }).message) : String(s);
};

/**
 * Wraps the caller's ioredis client as the L2 tier.
 *
 * While the client is not connected (after it first was), commands are not sent at all, so a
 * down Redis costs a caller nothing; otherwise each command is raced against `timeoutMs` (on one
 * shared timer, not a timer per command), which bounds the stall of a half-dead connection. Reconnection, with backoff, is ioredis's own
 * (`retryStrategy`); the tier turns healthy again on the client's `ready` event.
 */
export function createL2(client: RedisClient, options: L2Options): L2 {
  const timeoutMs = options.timeoutMs ?? 200;
  const counters = options.counters;
  const logger = options.logger ?? silentLogger;
  let everReady = client.status === 'ready';
  let status: 'ok' | 'degraded' = everReady ? 'ok' : 'degraded';
  let lastError: string | undefined;
  const deadlines = createDeadlines(timeoutMs);

  const degrade = (reason: string) => {
    lastError = reason;
    if (status === 'degraded') {
      logger.debug({ component: 'cache', tier: 'l2', reason }, 'cache L2 still unavailable');
      return;
    }
    status = 'degraded';
    logger.warn({ component: 'cache', tier: 'l2', reason }, 'cache L2 degraded: serving from L1 and loaders only');
    options.onStatusChange?.('degraded', reason);
  };
  const recover = () => {
    if (status === 'ok') return;
    status = 'ok';
    logger.info({ component: 'cache', tier: 'l2' }, 'cache L2 healthy again');
    options.onStatusChange?.('ok');
  };

  const onReady = () => {
    everReady = true;
    recover();
  };
  const onError = (err: unknown) => degrade(describe(err));
  const onClose = () => {
    if (everReady) degrade('connection closed');
  };
  client.on('ready', onReady);
  client.on('error', onError);
  client.on('close', onClose);

  /** Runs a command under the timeout; `late` sees a reply that arrives after the caller gave up. */
  function run<T>(op: string, command: () => Promise<T>, late?: (value: T) => void): Promise<T | undefined> {
    const state = client.status;
    if (state !== 'ready' && (everReady || state === 'end' || state === 'close')) {
      counters.l2Skipped++;
      degrade(`${op} skipped: Redis is ${state}`);
      return Promise.resolve(undefined);
    }
    return new Promise((resolve) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        deadlines.done(deadline);
        counters.l2Errors++;
        degrade(`${op}: ${describe(err)}`);
        resolve(undefined);
      };
      const deadline = deadlines.start(() =>
        fail(new TimeoutError(`Redis ${op} took over ${timeoutMs} ms`, timeoutMs)),
      );
      let pending: Promise<T>;
      try {
        pending = command();
      } catch (err) {
        fail(err);
        return;
      }
      pending.then((value) => {
        if (settled) {
          late?.(value);
          return;
        }
        settled = true;
        deadlines.done(deadline);
        if (client.status === 'ready') recover();
        resolve(value);
      }, fail);
    });
  }

  async function evalScript(s: Script, keys: string[], args: Array<string | number>): Promise<unknown> {
    try {
      return await client.evalsha(s.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!isNoScript(err)) throw err;
      return client.eval(s.source, keys.length, ...keys, ...args);
    }
  }

  async function mgetGrouped(keys: readonly string[]): Promise<Array<string | null>> {
    if (!client.isCluster || keys.length === 1) return client.mget(...keys);
    const out: Array<string | null> = new Array(keys.length).fill(null);
    const groups = [...groupBySlot(keys).values()];
    await Promise.all(
      groups.map(async (idx) => {
        const values = await client.mget(...idx.map((i) => keys[i] as string));
        for (let j = 0; j < idx.length; j++) out[idx[j] as number] = values[j] ?? null;
      }),
    );
    return out;
  }

  async function setGrouped(writes: readonly L2Write[]): Promise<boolean> {
    const groups = client.isCluster ? [...groupBySlot(writes.map((w) => w.key)).values()] : [writes.map((_, i) => i)];
    const results = await Promise.all(
      groups.map((idx) => {
        const pipeline = client.pipeline();
        for (const i of idx) {
          const w = writes[i] as L2Write;
          pipeline.set(w.key, w.value, 'PX', Math.max(1, Math.ceil(w.ttlMs)));
        }
        return pipeline.exec();
      }),
    );
    for (const result of results) {
      for (const [err] of result ?? []) if (err) throw err;
    }
    return true;
  }

  return {
    client,
    health: () =>
      lastError === undefined
        ? { status, errors: counters.l2Errors }
        : { status, errors: counters.l2Errors, lastError },
    get: (key) => run('GET', () => client.get(key)),
    mget: (keys) => (keys.length === 0 ? Promise.resolve([]) : run('MGET', () => mgetGrouped(keys))),
    set: async (writes) => (writes.length === 0 ? true : (await run('SET', () => setGrouped(writes))) === true),
    del: async (keys) =>
      keys.length === 0 ? true : (await run('DEL', () => Promise.all(keys.map((k) => client.del(k))))) !== undefined,
    async tryLock(lockKey, token, ttlMs) {
      // A lock taken after we stopped waiting would block every other process until it expires.
      const releaseLate = (reply: string | null) => {
        if (reply === 'OK') void evalScript(RELEASE_LOCK, [lockKey], [token]).catch(() => undefined);
      };
      const reply = await run(
        'SET NX',
        () => client.set(lockKey, token, 'PX', Math.max(1, Math.ceil(ttlMs)), 'NX'),
        releaseLate,
      );
      return reply === undefined ? undefined : reply === 'OK';
    },
    async readEntryAndLock(entryKey, lockKey) {
      const reply = await run('MGET', () => client.mget(entryKey, lockKey));
      return reply === undefined ? undefined : [reply[0] ?? null, reply[1] ?? null];
    },
    async writeIfLockHeld(entryKey, lockKey, token, write) {
      const ttl = Math.max(1, Math.ceil(write.ttlMs));
      const reply = await run('EVALSHA', () =>
        evalScript(WRITE_IF_LOCK_HELD, [entryKey, lockKey], [token, write.value, ttl]),
      );
      return reply === undefined ? undefined : reply === 1;
    },
    async releaseLock(lockKey, token) {
      await run('EVALSHA', () => evalScript(RELEASE_LOCK, [lockKey], [token]));
    },
    close() {
      deadlines.close();
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('close', onClose);
    },
  };
}
