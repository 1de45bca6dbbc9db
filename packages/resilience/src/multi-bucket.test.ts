import { RateLimitedError } from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { multiBucket } from './multi-bucket.js';
import { type TimerWheel, timerWheel } from './timer-wheel.js';
import { tokenBucket } from './token-bucket.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');
let timers: TimerWheel;
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  timers = timerWheel();
});
afterEach(() => {
  timers.close();
  vi.useRealTimers();
});

/** Alpha Vantage's free tier: 5 a minute and 25 a day. */
function alphaVantage(wheel: TimerWheel = timers) {
  const timers = wheel;
  const minute = tokenBucket({ name: 'av:minute', capacity: 5, refillPerSecond: 5 / 60, timers });
  const day = tokenBucket({ name: 'av:day', capacity: 25, refillPerSecond: 25 / 86_400, timers });
  return {
    minute,
    day,
    both: multiBucket({ name: 'alphavantage', buckets: [minute, day], queue: { maxWaitMs: 86_400_000 }, timers }),
  };
}

describe('multiBucket', () => {
  it('takes from every bucket or from none', () => {
    const { minute, day, both } = alphaVantage();
    for (let i = 0; i < 24; i++) day.tryAcquire();
    expect(both.tryAcquire()).toBe(true);
    expect(minute.tokens()).toBeCloseTo(4, 6);
    expect(both.tryAcquire()).toBe(false);
    // The day bucket said no, so the minute bucket kept its token.
    expect(minute.tokens()).toBeCloseTo(4, 6);
  });

  it('never exceeds either quota over a simulated day of eager callers', async () => {
    // A coarse wheel keeps a simulated day to ~86 000 ticks.
    const coarse = timerWheel({ resolutionMs: 1_000 });
    const { both } = alphaVantage(coarse);
    const grants: number[] = [];
    const caller = async () => {
      for (;;) {
        try {
          await both.acquire(1, { maxWaitMs: 86_400_000 });
        } catch {
          return;
        }
        grants.push(Date.now() - T0);
      }
    };
    const callers = [caller(), caller(), caller()];
    await vi.advanceTimersByTimeAsync(86_400_000);
    both.close();
    await Promise.all(callers);
    coarse.close();
    // A bucket of capacity C refilling R admits at most C + R·T in any window T: for the day
    // bucket 25 at once, then one more every 3 456 s; for the minute bucket 5 + 5 per minute.
    grants.forEach((t, i) => {
      expect(i + 1).toBeLessThanOrEqual(25 + Math.floor((25 * t) / 86_400_000));
      const inMinute = grants.filter((u) => u >= t && u < t + 60_000).length;
      expect(inMinute).toBeLessThanOrEqual(5 + 5);
    });
    expect(grants.length).toBeGreaterThanOrEqual(49);
    expect(grants.length).toBeLessThanOrEqual(50);
    // The first minute: the burst of 5, then one every 12 s.
    expect(grants.filter((t) => t < 60_000)).toEqual([0, 0, 0, 0, 0, 12_000, 24_000, 36_000, 48_000]);
  });

  it('waits for the slowest bucket and refuses what would wait too long', async () => {
    const { minute, both } = alphaVantage();
    for (let i = 0; i < 5; i++) minute.tryAcquire();
    expect(both.waitTimeMs()).toBeCloseTo(12_000, 0);
    await expect(both.acquire(1, { maxWaitMs: 1_000 })).rejects.toBeInstanceOf(RateLimitedError);
    const p = both.acquire(1);
    await vi.advanceTimersByTimeAsync(12_000);
    await expect(p).resolves.toBeUndefined();
  });

  it('pauses every window on a Retry-After', () => {
    const { minute, day, both } = alphaVantage();
    both.observe({ 'retry-after': '30' });
    expect(minute.tryAcquire()).toBe(false);
    expect(day.tryAcquire()).toBe(false);
  });
});
