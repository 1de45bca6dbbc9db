import { ProviderError, type ProviderErrorKind, TimeoutError } from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyContext } from './call-context.js';
import { circuitBreaker } from './circuit-breaker.js';
import { hedge } from './hedge.js';
import { pipeline } from './pipeline.js';
import type { AttemptEvent } from './pipeline-core.js';
import { retry } from './retry.js';
import { retryBudget } from './retry-budget.js';
import { type TimerWheel, timerWheel } from './timer-wheel.js';
import { tokenBucket } from './token-bucket.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');
let timers: TimerWheel;
beforeEach(() => {
  vi.useFakeTimers({ now: T0 });
  timers = timerWheel({ resolutionMs: 1 });
});
afterEach(() => {
  timers.close();
  vi.useRealTimers();
});

const perr = (kind: ProviderErrorKind, extra: { retryAfterMs?: number; operation?: string } = {}) =>
  new ProviderError(kind, { provider: 'polygon', kind, ...extra });

/** A provider call that fails with the given errors in turn, then answers; records when it was called. */
function provider(...errors: ProviderError[]) {
  const calls: number[] = [];
  const fn = (_ctx: PolicyContext) => {
    calls.push(Date.now() - T0);
    const e = errors.shift();
    return e === undefined ? Promise.resolve('AAPL 187.42') : Promise.reject(e);
  };
  return { fn, calls };
}

const noJitter = (maxAttempts = 3, initialDelayMs = 100) =>
  retry({ maxAttempts, backoff: { initialDelayMs, jitter: 'none' }, budget: retryBudget({ minPerWindow: 100 }) });

describe('pipeline operation: deadlines, hedges, aborts, signals', () => {
  it('rejects with a TimeoutError at the deadline while an attempt is still in flight, and aborts it', async () => {
    const p = pipeline({ provider: 'polygon', deadlineMs: 300, timers });
    let signal: AbortSignal | undefined;
    const outcome = p
      .execute((ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(300);
    expect(await outcome).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('makes no AbortController for a call that never reads its signal', async () => {
    const made = countAbortControllers();
    try {
      const p = pipeline({
        provider: 'polygon',
        deadlineMs: 5_000,
        retry: noJitter(),
        breaker: circuitBreaker(),
        rateLimit: tokenBucket({ capacity: 100, refillPerSecond: 100, timers }),
        timeoutMs: 2_000,
        hedge: hedge({ afterMs: 1_000, timers }),
        timers,
      });
      for (let i = 0; i < 10; i++) await p.execute(() => Promise.resolve(i));
      expect(made.count()).toBe(0);
      // The armed hedge, the attempt timeout and the deadline shared one wheel entry, now cancelled.
      expect(timers.size).toBe(0);
      await expect(p.execute((ctx) => ctx.signal.aborted)).resolves.toBe(false);
      // The counter does count (a signal read above may have reused a spare controller).
      new AbortController();
      expect(made.count()).toBeGreaterThanOrEqual(1);
    } finally {
      made.restore();
    }
  });

  it('hedges a slow call: the first answer wins and the slow one is aborted', async () => {
    const h = hedge({ afterMs: 200, budget: retryBudget({ ratio: 1 }), timers });
    const p = pipeline({
      provider: 'yahoo',
      hedge: h,
      rateLimit: tokenBucket({ capacity: 10, refillPerSecond: 1, timers }),
      timers,
    });
    const attempts: AttemptEvent[] = [];
    p.onAttempt((e) => attempts.push(e));
    const signals: AbortSignal[] = [];
    const delays = [5_000, 30];
    const outcome = p.execute((ctx) => {
      signals.push(ctx.signal);
      const ms = delays.shift() as number;
      return new Promise((r) => setTimeout(() => r(`after ${ms}`), ms));
    });
    await vi.advanceTimersByTimeAsync(230);
    await expect(outcome).resolves.toBe('after 30');
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    expect(attempts.map((a) => [a.hedge, a.outcome])).toEqual([[1, 'success']]);
  });

  it('skips the hedge when the bucket is short of tokens', async () => {
    const h = hedge({ afterMs: 50, budget: retryBudget({ ratio: 1 }), timers });
    let hedged = 0;
    h.onHedge(() => hedged++);
    const p = pipeline({ hedge: h, rateLimit: tokenBucket({ capacity: 1, refillPerSecond: 0.001, timers }), timers });
    const outcome = p.execute(() => new Promise((r) => setTimeout(() => r('late'), 500)));
    await vi.advanceTimersByTimeAsync(500);
    await expect(outcome).resolves.toBe('late');
    expect(hedged).toBe(0);
  });

  describe('rejects with the abort at once, before the fake clock advances, when aborted during', () => {
    it('a retry sleep', async () => {
      const p = pipeline({ retry: noJitter(3, 10_000), timers });
      const controller = new AbortController();
      const outcome = p.execute(provider(perr('transient')).fn, { signal: controller.signal });
      await vi.advanceTimersByTimeAsync(0);
      controller.abort(new Error('user left'));
      await expect(outcome).rejects.toThrow('user left');
      expect(Date.now()).toBe(T0);
      expect(vi.getTimerCount()).toBe(0);
    });

    it('a queue wait', async () => {
      const bucket = tokenBucket({ capacity: 1, refillPerSecond: 1 / 10, timers });
      bucket.tryAcquire();
      const p = pipeline({ rateLimit: bucket, timers });
      const controller = new AbortController();
      const { fn, calls } = provider();
      const outcome = p.execute(fn, controller.signal);
      await vi.advanceTimersByTimeAsync(0);
      expect(bucket.queueLength).toBe(1);
      controller.abort('cancelled');
      await expect(outcome).rejects.toBe('cancelled');
      expect(Date.now()).toBe(T0);
      expect(bucket.queueLength).toBe(0);
      expect(calls).toEqual([]);
    });

    it('a hedge', async () => {
      const h = hedge({ afterMs: 10, budget: retryBudget({ ratio: 1 }), timers });
      const p = pipeline({ hedge: h, timers });
      const signals: AbortSignal[] = [];
      const controller = new AbortController();
      const outcome = p.execute((ctx) => {
        signals.push(ctx.signal);
        return new Promise(() => {});
      }, controller.signal);
      await vi.advanceTimersByTimeAsync(10);
      expect(signals).toHaveLength(2);
      const now = Date.now();
      controller.abort('closed the chart');
      await expect(outcome).rejects.toBe('closed the chart');
      expect(Date.now()).toBe(now);
      expect(signals.every((s) => s.aborted)).toBe(true);
    });
  });
});

/** Counts `new AbortController()` while installed. */
function countAbortControllers() {
  const Original = globalThis.AbortController;
  let n = 0;
  globalThis.AbortController = class extends Original {
    constructor() {
      super();
      n++;
    }
  };
  return {
    count: () => n,
    restore: () => {
      globalThis.AbortController = Original;
    },
  };
}
