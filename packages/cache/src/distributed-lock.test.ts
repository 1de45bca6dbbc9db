import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createKeyBuilder, ProviderError } from '@stockade/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { redisUrl, testPrefix } from '../../../test/support/redis.js';
import { decodeEntry } from './entry.js';
import type { Loader } from './get-or-load.js';
import { createCache } from './tiered-cache.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const childScript = fileURLToPath(new URL('./distributed-lock.child.ts', import.meta.url));

interface ChildReport {
  value: { symbol: string; price: number };
  source: string;
  stats: { loaderCalls: number; lockWaits: number; l2Hits: number };
}

function runChild(url: string, prefix: string, symbol: string): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', childScript, url, prefix, symbol],
      {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve(JSON.parse(out.trim()) as ChildReport);
      else reject(new Error(`child exited with ${code}: ${err}`));
    });
  });
}

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe.skipIf(!redisUrl())('single-flight across processes (Redis lock)', () => {
  const url = redisUrl() as string;
  let redis: Redis;
  beforeAll(async () => {
    redis = new Redis(url);
    await redis.ping();
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('makes one upstream call when 4 child processes ask for the same key at once', { timeout: 90_000 }, async () => {
    const prefix = testPrefix('lock-children');
    const keys = createKeyBuilder({ prefix });
    const children = Array.from({ length: 4 }, () => runChild(url, prefix, 'AAPL'));
    const failed = Promise.race(children.map((c) => c.then(() => new Promise<never>(() => {}))));
    await Promise.race([
      vi.waitFor(async () => expect(await redis.get(keys.entry('test', 'ready'))).toBe('4'), {
        timeout: 60_000,
        interval: 50,
      }),
      failed,
    ]);
    await redis.set(keys.entry('test', 'go'), '1');
    const reports = await Promise.all(children);

    expect(await redis.get(keys.entry('test', 'upstream-calls'))).toBe('1');
    expect(reports.map((r) => r.value)).toEqual(new Array(4).fill({ symbol: 'AAPL', price: 123.45 }));
    expect(new Set(reports.map((r) => r.source)).size).toBe(1);
    expect(reports.reduce((n, r) => n + r.stats.loaderCalls, 0)).toBe(1);
    // Every other child either waited on the lock or found the value already in Redis.
    expect(reports.reduce((n, r) => n + r.stats.lockWaits + r.stats.l2Hits, 0)).toBe(3);
  });

  it('does not let a holder whose lock expired overwrite the value written after it', async () => {
    const keys = createKeyBuilder({ prefix: testPrefix('lock-expired') });
    const key = keys.quote('best', 'MSFT');
    const slowHolder = createCache({ redis, keys, l2: { lockTtlMs: 150 } });
    const next = createCache({ redis, keys });
    const policy = { freshMs: 60_000, staleMs: 0, maxStaleMs: 0 };
    try {
      const gate = deferred<void>();
      const slow = slowHolder.getOrLoad(
        key,
        async () => {
          await gate.promise;
          return { value: 'old', source: 'slow' };
        },
        { policy },
      );
      await vi.waitFor(async () => expect(await redis.exists(keys.lock(key))).toBe(1));
      await vi.waitFor(async () => expect(await redis.exists(keys.lock(key))).toBe(0)); // expired
      const fresh = await next.getOrLoad(key, async () => ({ value: 'new', source: 'next' }), { policy });
      expect(fresh.value).toBe('new');
      gate.resolve();
      expect((await slow).value).toBe('old'); // its own callers still get its answer
      const stored = decodeEntry<string>((await redis.get(key)) as string);
      expect(stored).toMatchObject({ found: true, value: 'new', source: 'next' });
    } finally {
      await slowHolder.close();
      await next.close();
    }
  });

  it('lets a waiting process load itself when the holder fails and releases the lock', async () => {
    const keys = createKeyBuilder({ prefix: testPrefix('lock-failover') });
    const key = keys.quote('best', 'NVDA');
    const holder = createCache({ redis, keys });
    const waiter = createCache({ redis, keys });
    try {
      const gate = deferred<void>();
      const outage = new ProviderError('502 Bad Gateway', { provider: 'polygon', kind: 'transient', status: 502 });
      const failing = holder.getOrLoad(key, async () => {
        await gate.promise;
        throw outage;
      });
      await vi.waitFor(async () => expect(await redis.exists(keys.lock(key))).toBe(1));
      let calls = 0;
      const loader: Loader<number> = async () => ({ value: ++calls, source: 'yahoo' });
      const waiting = waiter.getOrLoad(key, loader);
      await vi.waitFor(() => expect(waiter.stats().lockWaits).toBe(1));
      gate.resolve();
      await expect(failing).rejects.toBe(outage);
      await expect(waiting).resolves.toMatchObject({ value: 1, source: 'yahoo' });
      expect(calls).toBe(1);
    } finally {
      await holder.close();
      await waiter.close();
    }
  });
});
