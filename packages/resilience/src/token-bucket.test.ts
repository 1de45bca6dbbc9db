import { manualClock, RateLimitedError, ValidationError } from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { QueuedEvent, RejectedEvent } from './rate-limiter.js';
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

/** Records the order in which promises settle. */
function track(order: string[], name: string, p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => order.push(`${name}:ok`),
    (e: unknown) => order.push(`${name}:${(e as Error).name}`),
  );
}

describe('tokenBucket', () => {
  it('grants a burst of capacity, then refills by arithmetic with no timer armed', () => {
    const bucket = tokenBucket({ capacity: 3, refillPerSecond: 2, timers });
    expect([bucket.tryAcquire(), bucket.tryAcquire(), bucket.tryAcquire(), bucket.tryAcquire()]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    expect(vi.getTimerCount()).toBe(0);
    vi.setSystemTime(T0 + 499);
    expect(bucket.tryAcquire()).toBe(false);
    vi.setSystemTime(T0 + 500);
    expect(bucket.tryAcquire()).toBe(true);
    vi.setSystemTime(T0 + 60_000);
    expect(bucket.tokens()).toBe(3);
  });

  it('serves waiters first come, first served, each when its token is due', async () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 10, timers });
    expect(bucket.tryAcquire()).toBe(true);
    const order: string[] = [];
    const a = track(order, 'a', bucket.acquire());
    const b = track(order, 'b', bucket.acquire());
    expect(bucket.queueLength).toBe(2);
    // A newcomer does not skip the line even when a token would be there.
    expect(bucket.tryAcquire()).toBe(false);
    await vi.advanceTimersByTimeAsync(99);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(order).toEqual(['a:ok']);
    await vi.advanceTimersByTimeAsync(100);
    await Promise.all([a, b]);
    expect(order).toEqual(['a:ok', 'b:ok']);
    expect(bucket.queueLength).toBe(0);
  });

  it('lets a caller with a higher priority go first', async () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 10, timers });
    bucket.tryAcquire();
    const order: string[] = [];
    const all = [
      track(order, 'low1', bucket.acquire(1)),
      track(order, 'low2', bucket.acquire(1)),
      track(order, 'urgent', bucket.acquire(1, { priority: 5 })),
    ];
    await vi.advanceTimersByTimeAsync(300);
    await Promise.all(all);
    expect(order).toEqual(['urgent:ok', 'low1:ok', 'low2:ok']);
  });

  it('refuses at once, with the expected wait, a caller who would wait longer than maxWaitMs', async () => {
    const rejected: RejectedEvent[] = [];
    const bucket = tokenBucket({
      name: 'av:minute',
      capacity: 5,
      refillPerSecond: 5 / 60,
      queue: { maxWaitMs: 5_000 },
      timers,
    });
    bucket.onRejected((e) => rejected.push(e));
    for (let i = 0; i < 5; i++) bucket.tryAcquire();
    const err = await bucket.acquire().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitedError);
    expect((err as RateLimitedError).limiter).toBe('av:minute');
    expect((err as RateLimitedError).retryAfterMs).toBe(12_000);
    expect(rejected).toEqual([{ limiter: 'av:minute', reason: 'wait_too_long', retryAfterMs: 12_000 }]);
    expect(bucket.queueLength).toBe(0);
  });

  it('refuses when the queue is full: nothing is dropped silently', async () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 1, queue: { maxSize: 1 }, timers });
    bucket.tryAcquire();
    const first = bucket.acquire();
    await expect(bucket.acquire()).rejects.toThrow(/queue full/);
    await vi.advanceTimersByTimeAsync(1000);
    await expect(first).resolves.toBeUndefined();
  });

  it('rejects a waiter whose maxWaitMs passes after a higher priority caller jumped ahead', async () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 10, timers });
    bucket.tryAcquire();
    const patient = bucket.acquire(1, { maxWaitMs: 150 });
    const outcome = patient.catch((e: unknown) => e);
    const urgent = bucket.acquire(1, { priority: 1 });
    const urgent2 = bucket.acquire(1, { priority: 1 });
    await vi.advanceTimersByTimeAsync(200);
    await expect(urgent).resolves.toBeUndefined();
    await expect(urgent2).resolves.toBeUndefined();
    expect(await outcome).toBeInstanceOf(RateLimitedError);
  });

  it('removes an aborted waiter at once, before the clock moves, and serves the next one', async () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 10, timers });
    bucket.tryAcquire();
    const controller = new AbortController();
    const aborted = bucket.acquire(1, { signal: controller.signal });
    const next = bucket.acquire(1);
    const before = Date.now();
    controller.abort(new Error('caller gave up'));
    await expect(aborted).rejects.toThrow('caller gave up');
    expect(Date.now()).toBe(before);
    expect(bucket.queueLength).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    await expect(next).resolves.toBeUndefined();
  });

  it('rejects at once when the signal is already aborted', async () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 1, timers });
    await expect(bucket.acquire(1, { signal: AbortSignal.abort('gone') })).rejects.toBe('gone');
  });

  it('grants nothing before a Retry-After instant, then goes on', async () => {
    const bucket = tokenBucket({ capacity: 5, refillPerSecond: 1, timers });
    bucket.tryAcquire();
    bucket.pauseUntil(T0 + 2_000);
    expect(bucket.tryAcquire()).toBe(false);
    expect(bucket.waitTimeMs()).toBe(2_000);
    const waiting = bucket.acquire();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(bucket.queueLength).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    await expect(waiting).resolves.toBeUndefined();
    expect(bucket.tokens()).toBe(4);
    // An earlier pause does not shorten a later one.
    bucket.pauseUntil(T0 + 10_000);
    bucket.pauseUntil(T0 + 5_000);
    expect(bucket.waitTimeMs()).toBe(8_000);
  });

  it("adopts a provider's X-RateLimit-Remaining and -Reset, and Retry-After", () => {
    const bucket = tokenBucket({ capacity: 100, refillPerSecond: 100 / 60, timers });
    bucket.observe({ 'x-ratelimit-remaining': '2', 'x-ratelimit-reset': String((T0 + 30_000) / 1000) });
    expect(bucket.tokens()).toBe(2);
    bucket.observe(new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '30' }));
    expect(bucket.tryAcquire()).toBe(false);
    expect(bucket.waitTimeMs()).toBe(30_000);
    const other = tokenBucket({ capacity: 10, refillPerSecond: 10, timers });
    other.observe({ 'retry-after': '3' });
    expect(other.waitTimeMs()).toBe(3_000);
    other.observe({ 'content-type': 'application/json' });
    expect(other.waitTimeMs()).toBe(3_000);
  });

  it('tells listeners who queued and the expected wait', async () => {
    const queued: QueuedEvent[] = [];
    const bucket = tokenBucket({ name: 'polygon', capacity: 1, refillPerSecond: 4, timers });
    const sub = bucket.onQueued((e) => queued.push(e));
    bucket.tryAcquire();
    const p = bucket.acquire(1, { priority: 2 });
    expect(queued).toEqual([{ limiter: 'polygon', queueLength: 1, estimatedWaitMs: 250, priority: 2 }]);
    sub.dispose();
    await vi.advanceTimersByTimeAsync(250);
    await p;
    bucket.tryAcquire();
    expect(queued).toHaveLength(1);
  });

  it('runs a call under one token with execute, and passes the caller signal through', async () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 1, timers });
    const signal = new AbortController().signal;
    const seen: AbortSignal[] = [];
    const result = await bucket.execute(({ signal: s }) => {
      seen.push(s);
      return 'quote';
    }, signal);
    expect(result).toBe('quote');
    expect(seen).toEqual([signal]);
    expect(bucket.tryAcquire()).toBe(false);
  });

  it('rejects a cost it can never grant and options that make no sense', async () => {
    const bucket = tokenBucket({ capacity: 2, refillPerSecond: 1, timers });
    await expect(bucket.acquire(3)).rejects.toBeInstanceOf(ValidationError);
    expect(() => tokenBucket({ capacity: -1, refillPerSecond: 1 })).toThrow(/capacity/);
    expect(() => tokenBucket({ capacity: 1, refillPerSecond: 0 })).toThrow(ValidationError);
    expect(() => tokenBucket({ capacity: 1, refillPerSecond: 1, queue: { maxSize: -2 } })).toThrow(/queue\.maxSize/);
  });

  it('rejects every waiter when closed', async () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 1, timers });
    bucket.tryAcquire();
    const waiting = bucket.acquire();
    bucket.close();
    await expect(waiting).rejects.toBeInstanceOf(RateLimitedError);
    await expect(bucket.acquire()).rejects.toThrow(/closed/);
    // The wheel that held the waiter's deadline stops on its next tick: no timer is left behind.
    await vi.advanceTimersByTimeAsync(10);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('a sliding-window quota', () => {
  it('never grants more than capacity in any window, unlike a refilling bucket of the same rate', () => {
    const clock = manualClock(0);
    const sliding = tokenBucket({ capacity: 5, refillPerSecond: 5 / 60, window: 'sliding', clock });
    const refilling = tokenBucket({ capacity: 5, refillPerSecond: 5 / 60, clock });
    const granted = { sliding: [] as number[], refilling: [] as number[] };
    for (let t = 0; t <= 120_000; t += 1_000) {
      clock.set(t);
      while (sliding.tryAcquire()) granted.sliding.push(t);
      while (refilling.tryAcquire()) granted.refilling.push(t);
    }
    const worstWindow = (grants: number[]) =>
      Math.max(...grants.map((s) => grants.filter((g) => g >= s && g < s + 60_000).length));
    expect(worstWindow(granted.sliding)).toBe(5);
    expect(worstWindow(granted.refilling)).toBeGreaterThan(5);
    expect(granted.sliding.length).toBe(15);
  });
});
