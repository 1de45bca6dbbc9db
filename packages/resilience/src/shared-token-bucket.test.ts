import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createKeyBuilder, RateLimitedError, ValidationError } from '@stockade/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../../test/support/redis.js';
import { startRedisServer } from '../../../test/support/redis-server.js';
import { type FallbackEvent, type GrantedEvent, sharedTokenBucket } from './shared-token-bucket.js';

const url = redisUrl();
const root = fileURLToPath(new URL('../../../', import.meta.url));
const child = fileURLToPath(new URL('./shared-token-bucket.child.ts', import.meta.url));

/** Most grants in any window of `ms` starting at a grant. */
function densest(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[j] as number) < (sorted[i] as number) - ms + 1e-9) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function runChild(
  env: Record<string, string>,
): Promise<{ grants: { single: number[]; combined: number[] }; fallbacks: number }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', '--conditions=source', child], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stdout.on('data', (d: Buffer) => (out += d));
    proc.stderr.on('data', (d: Buffer) => (err += d));
    proc.on('error', reject);
    proc.on('exit', (code) => {
      if (code !== 0) reject(new Error(`child exited with ${code}: ${err}`));
      else resolve(JSON.parse(out.trim().split('\n').pop() as string));
    });
  });
}

describe.skipIf(!url)('sharedTokenBucket on a real Redis', () => {
  let redis: Redis;
  const keys = createKeyBuilder({ prefix: testPrefix('resilience-shared') });
  beforeAll(() => {
    redis = new Redis(url as string);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('grants a burst of capacity, then makes the next caller wait for the refill', async () => {
    const bucket = sharedTokenBucket({ redis, key: keys.bucket('polygon', 'burst'), capacity: 3, refillPerSecond: 20 });
    const granted: GrantedEvent[] = [];
    bucket.onGranted((e) => granted.push(e));
    await Promise.all([bucket.acquire(), bucket.acquire(), bucket.acquire()]);
    await bucket.acquire();
    expect(granted).toHaveLength(4);
    // On Redis's own clock: 4 grants need 3 + 1 refilled at 20/s, so at least 1/20 s after the first.
    expect((granted[3]?.at as number) - (granted[0]?.at as number)).toBeGreaterThanOrEqual(50 - 0.01);
    expect(bucket.tryAcquire()).toBe(false);
    bucket.close();
  });

  it('takes from every window or from none', async () => {
    const minute = keys.bucket('alphavantage', 'minute-all-or-none');
    const day = keys.bucket('alphavantage', 'day-all-or-none');
    const both = sharedTokenBucket({
      redis,
      buckets: [
        { key: minute, capacity: 5, refillPerSecond: 5 / 60 },
        { key: day, capacity: 2, refillPerSecond: 2 / 86_400 },
      ],
    });
    await both.acquire();
    await both.acquire();
    await expect(both.acquire(1, { maxWaitMs: 1_000 })).rejects.toBeInstanceOf(RateLimitedError);
    // The day window refused, so the minute window still holds 3 of its 5.
    expect(Number(await redis.hget(minute, 'tokens'))).toBeCloseTo(3, 1);
    both.close();
  });

  it('pauses every process on a Retry-After and adopts X-RateLimit-Remaining', async () => {
    const key = keys.bucket('polygon', 'pause');
    const a = sharedTokenBucket({ redis, key, capacity: 10, refillPerSecond: 10 });
    const b = sharedTokenBucket({ redis, key, capacity: 10, refillPerSecond: 10 });
    const [seconds, micros] = await redis.time();
    const before = Number(seconds) * 1000 + Number(micros) / 1000;
    a.observe({ 'retry-after': '1' });
    await new Promise((r) => setTimeout(r, 20));
    const granted: GrantedEvent[] = [];
    b.onGranted((e) => granted.push(e));
    await b.acquire();
    expect(granted[0]?.at).toBeGreaterThanOrEqual(before + 1_000 - 25);
    a.observe({ 'x-ratelimit-remaining': '1' });
    await new Promise((r) => setTimeout(r, 20));
    expect(Number(await redis.hget(key, 'tokens'))).toBeLessThanOrEqual(1.5);
    a.close();
    b.close();
  });

  it('removes an aborted waiter at once', async () => {
    const bucket = sharedTokenBucket({ redis, key: keys.bucket('yahoo', 'abort'), capacity: 1, refillPerSecond: 0.1 });
    await bucket.acquire();
    const controller = new AbortController();
    const waiting = bucket.acquire(1, { signal: controller.signal });
    controller.abort('gone');
    await expect(waiting).rejects.toBe('gone');
    expect(bucket.queueLength).toBe(0);
    bucket.close();
  });

  it('refuses keys in different hash slots and missing sizes', () => {
    expect(() =>
      sharedTokenBucket({
        redis,
        buckets: [
          { key: keys.bucket('a', 'minute'), capacity: 1, refillPerSecond: 1 },
          { key: keys.bucket('b', 'day'), capacity: 1, refillPerSecond: 1 },
        ],
      }),
    ).toThrow(ValidationError);
    expect(() => sharedTokenBucket({ redis, key: 'k' })).toThrow(/capacity/);
  });

  it('holds one limit across two processes: every second ≤ C + R + 1 grants, 10 s total within C + 10R and ≥ 95 % of 10R', async () => {
    const C = 10;
    const R = 20;
    const env = {
      REDIS_URL: url as string,
      PREFIX: testPrefix('resilience-two-processes'),
      CAPACITY: String(C),
      REFILL: String(R),
      START_AT: String(Date.now() + 4_000),
      DURATION_MS: '10000',
    };
    const [a, b] = await Promise.all([runChild(env), runChild(env)]);
    expect(a.fallbacks + b.fallbacks).toBe(0);
    // Both processes got a share: the limit really was shared, not won by one.
    expect(a.grants.single.length).toBeGreaterThan(20);
    expect(b.grants.single.length).toBeGreaterThan(20);

    const single = [...a.grants.single, ...b.grants.single].sort((x, y) => x - y);
    expect(densest(single, 1_000)).toBeLessThanOrEqual(C + R + 1);
    const first = single[0] as number;
    const inTenSeconds = single.filter((t) => t < first + 10_000).length;
    expect(inTenSeconds).toBeLessThanOrEqual(C + 10 * R);
    expect(inTenSeconds).toBeGreaterThanOrEqual(0.95 * 10 * R);

    // The combined windows: never more than 25 in the "day", nor 5 + 5 + 1 in any "minute" (1 s here).
    const combined = [...a.grants.combined, ...b.grants.combined];
    expect(combined.length).toBeLessThanOrEqual(25);
    expect(combined.length).toBeGreaterThanOrEqual(24);
    expect(densest(combined, 1_000)).toBeLessThanOrEqual(5 + 5 + 1);
  }, 45_000);
});

describe.skipIf(!url)('sharedTokenBucket with Redis unreachable', () => {
  it('falls back to a local bucket sized to its share, says so, and returns to Redis when it is back', async () => {
    const server = await startRedisServer();
    const client = new Redis(server.url, { maxRetriesPerRequest: 1, retryStrategy: () => 50 });
    // The client is ours here; the bucket never listens to a client's events.
    client.on('error', () => {});
    const keys = createKeyBuilder({ prefix: testPrefix('resilience-fallback') });
    const events: FallbackEvent[] = [];
    const bucket = sharedTokenBucket({
      redis: client,
      key: keys.bucket('polygon', 'minute'),
      capacity: 10,
      refillPerSecond: 10 / 60,
      expectedProcesses: 2,
      redisTimeoutMs: 300,
      retryRedisAfterMs: 200,
    });
    bucket.onFallback((e) => events.push(e));
    try {
      await bucket.acquire();
      expect(bucket.usingFallback).toBe(false);
      await server.stop();

      // Half of capacity 10: five local grants, then the local bucket is empty.
      for (let i = 0; i < 5; i++) await bucket.acquire(1, { maxWaitMs: 0 });
      expect(events).toEqual([expect.objectContaining({ limiter: keys.bucket('polygon', 'minute'), active: true })]);
      expect(bucket.usingFallback).toBe(true);
      await expect(bucket.acquire(1, { maxWaitMs: 0 })).rejects.toBeInstanceOf(RateLimitedError);
      // Half the refill too: one token every 12 s.
      expect(bucket.waitTimeMs()).toBeGreaterThan(10_000);

      await server.start();
      await new Promise<void>((resolve) => client.once('ready', () => resolve()));
      await new Promise((r) => setTimeout(r, 250));
      await bucket.acquire(1, { maxWaitMs: 0 });
      expect(bucket.usingFallback).toBe(false);
      expect(events.map((e) => e.active)).toEqual([true, false]);
    } finally {
      bucket.close();
      client.disconnect();
      await server.stop();
    }
  }, 30_000);
});
