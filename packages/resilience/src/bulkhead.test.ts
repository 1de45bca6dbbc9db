import { RateLimitedError } from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bulkhead } from './bulkhead.js';
import { type TimerWheel, timerWheel } from './timer-wheel.js';

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

function gate() {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

describe('bulkhead', () => {
  it('runs at most maxConcurrent calls and queues the next ones in order', async () => {
    const pool = bulkhead({ name: 'yahoo', maxConcurrent: 2, queue: { maxSize: 5 }, timers });
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      pool.execute(() => {
        started.push(i);
        return g.promise.then(() => i);
      }),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1]);
    expect(pool.active).toBe(2);
    expect(pool.queueLength).toBe(1);
    gates[1]?.open();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 1, 2]);
    gates[0]?.open();
    gates[2]?.open();
    expect(await Promise.all(runs)).toEqual([0, 1, 2]);
    expect(pool.active).toBe(0);
  });

  it('refuses at once when full and no queue is allowed', async () => {
    const pool = bulkhead({ maxConcurrent: 1, timers });
    expect(pool.tryEnter()).toBe(true);
    await expect(pool.execute(() => 'x')).rejects.toBeInstanceOf(RateLimitedError);
    pool.release();
    await expect(pool.execute(() => 'x')).resolves.toBe('x');
  });

  it('gives up on a waiter after maxWaitMs, and removes an aborted one at once', async () => {
    const pool = bulkhead({ maxConcurrent: 1, queue: { maxSize: 5, maxWaitMs: 1_000 }, timers });
    pool.tryEnter();
    const late = pool.enter().catch((e: unknown) => e);
    const controller = new AbortController();
    const aborted = pool.enter({ signal: controller.signal });
    controller.abort('cancel');
    await expect(aborted).rejects.toBe('cancel');
    expect(pool.queueLength).toBe(1);
    await vi.advanceTimersByTimeAsync(1_010);
    expect(await late).toBeInstanceOf(RateLimitedError);
  });

  it('frees its slot when the call fails', async () => {
    const pool = bulkhead({ maxConcurrent: 1, timers });
    await expect(pool.execute(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(pool.active).toBe(0);
  });
});
