import { createKeyBuilder, RateLimitedError } from '@stockade/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../../test/support/redis.js';
import { type GrantedEvent, sharedTokenBucket } from './shared-token-bucket.js';

const url = redisUrl();

/** Most grants in any window of `ms` ending at a grant (half-open on the left, as providers count). */
function densest(times: readonly number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let j = 0;
  for (let i = 0; i < sorted.length; i++) {
    while ((sorted[j] as number) <= (sorted[i] as number) - ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe.skipIf(!url)('a Redis-shared sliding-window quota', () => {
  let redis: Redis;
  const keys = createKeyBuilder({ prefix: testPrefix('resilience-window') });
  beforeAll(() => {
    redis = new Redis(url as string);
  });
  afterAll(async () => {
    await redis.quit();
  });

  it('never grants more than capacity in any window, however many limiters hammer it', async () => {
    const key = keys.quotaWindow('polygon', 'hammer');
    // 5 grants per 400 ms window.
    const limiters = [0, 1, 2].map(() =>
      sharedTokenBucket({
        redis,
        window: 'sliding',
        buckets: [{ key, capacity: 5, refillPerSecond: 5 / 0.4 }],
        queue: { maxSize: 100, maxWaitMs: 10_000 },
      }),
    );
    const grants: number[] = [];
    for (const l of limiters) l.onGranted((e: GrantedEvent) => grants.push(e.at));
    const stop = Date.now() + 2_000;
    await Promise.all(
      limiters.flatMap((l) =>
        [0, 1].map(async () => {
          while (Date.now() < stop) await l.acquire();
        }),
      ),
    );
    for (const l of limiters) l.close();
    expect(densest(grants, 400)).toBe(5);
    // A refilling bucket would allow 5 + 2 s × 12.5/s ≈ 30; the window allows 5 per 400 ms.
    expect(grants.length).toBeGreaterThanOrEqual(20);
    expect(grants.length).toBeLessThanOrEqual(5 * Math.ceil((grants.at(-1)! - grants[0]! + 1) / 400));
    // Grants sit in the sorted set with their Redis time; older ones have left it.
    expect(await redis.zcard(key)).toBeLessThanOrEqual(5);
    expect(await redis.pttl(key)).toBeGreaterThan(0);
  }, 15_000);

  it('takes from every window or from none, and reports what each has left', async () => {
    const minute = keys.quotaWindow('alphavantage', 'minute');
    const day = keys.quotaWindow('alphavantage', 'day');
    const av = sharedTokenBucket({
      redis,
      window: 'sliding',
      buckets: [
        { key: minute, capacity: 5, refillPerSecond: 5 / 60 },
        { key: day, capacity: 2, refillPerSecond: 2 / 86_400 },
      ],
    });
    expect(av.remaining()).toEqual([5, 2]);
    await av.acquire();
    expect(av.remaining()).toEqual([4, 1]);
    await av.acquire();
    await expect(av.acquire(1, { maxWaitMs: 500 })).rejects.toBeInstanceOf(RateLimitedError);
    // The day window refused, so the minute window holds only the two grants.
    expect(await redis.zcard(minute)).toBe(2);
    expect(await redis.zcard(day)).toBe(2);
    expect(av.remaining()).toEqual([3, 0]);
    av.close();
  });

  it('pauses every limiter on a Retry-After and adopts X-RateLimit-Remaining', async () => {
    const key = keys.quotaWindow('massive', 'pause');
    const spec = { redis, window: 'sliding' as const, buckets: [{ key, capacity: 10, refillPerSecond: 10 }] };
    const a = sharedTokenBucket(spec);
    const b = sharedTokenBucket(spec);
    const [seconds, micros] = await redis.time();
    const before = Number(seconds) * 1000 + Number(micros) / 1000;
    a.observe({ 'retry-after': '1' });
    await new Promise((r) => setTimeout(r, 30));
    const granted: GrantedEvent[] = [];
    b.onGranted((e) => granted.push(e));
    await b.acquire();
    expect(granted[0]?.at).toBeGreaterThanOrEqual(before + 1_000 - 30);
    // The expired pause is not a grant: 9 left after one.
    expect(b.remaining()).toEqual([9]);
    a.observe({ 'x-ratelimit-remaining': '2' });
    await new Promise((r) => setTimeout(r, 30));
    expect(await redis.zcard(key)).toBe(8);
    await b.acquire();
    expect(b.remaining()).toEqual([1]);
    a.close();
    b.close();
  });
});
