import {
  CircuitOpenError,
  ProviderError,
  type ProviderErrorKind,
  RateLimitedError,
  ValidationError,
} from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyContext } from './call-context.js';
import { circuitBreaker } from './circuit-breaker.js';
import { pipeline } from './pipeline.js';
import type { AttemptEvent, NotEntitledEvent, PipelineRejectedEvent } from './pipeline-core.js';
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

describe('pipeline', () => {
  it('takes one token per attempt, so retries can never exceed the quota', async () => {
    const bucket = tokenBucket({
      name: 'polygon',
      capacity: 2,
      refillPerSecond: 1 / 60,
      queue: { maxWaitMs: 1_000 },
      timers,
    });
    const rejected: PipelineRejectedEvent[] = [];
    const p = pipeline({ provider: 'polygon', retry: noJitter(5, 10), rateLimit: bucket, timers });
    p.onRejected((e) => rejected.push(e));
    const { fn, calls } = provider(perr('transient'), perr('transient'), perr('transient'));
    const outcome = p.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await outcome).toBeInstanceOf(RateLimitedError);
    expect(calls).toEqual([0, 10]);
    expect(rejected.map((e) => e.by)).toEqual(['rate_limit']);
  });

  it('judges each attempt in the breaker, and stops retrying once it opens', async () => {
    const breaker = circuitBreaker({ name: 'polygon', breaker: { consecutive: 2 }, halfOpenAfterMs: 60_000 });
    const p = pipeline({ provider: 'polygon', retry: noJitter(5, 10), breaker, timers });
    const { fn, calls } = provider(perr('unavailable'), perr('unavailable'), perr('unavailable'));
    const outcome = p.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    const err = await outcome;
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect((err as CircuitOpenError).cause).toMatchObject({ kind: 'unavailable' });
    expect(calls).toHaveLength(2);
    expect(breaker.state).toBe('open');
  });

  it('times out a hung attempt innermost, so the hang counts against the breaker and is retried', async () => {
    const breaker = circuitBreaker({ name: 'yahoo', breaker: { consecutive: 2 } });
    const p = pipeline({ provider: 'yahoo', retry: noJitter(2, 10), breaker, timeoutMs: 500, timers });
    const attempts: AttemptEvent[] = [];
    p.onAttempt((e) => attempts.push(e));
    const outcome = p.execute(() => new Promise(() => {})).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_010);
    expect(await outcome).toMatchObject({ provider: 'yahoo', kind: 'timeout' });
    expect(attempts.map((a) => [a.attempt, a.outcome, a.kind, a.durationMs])).toEqual([
      [1, 'failure', 'timeout', 500],
      [2, 'failure', 'timeout', 500],
    ]);
    expect(breaker.state).toBe('open');
  });

  it('keeps everything inside the overall deadline: no sleep and no queue wait past it', async () => {
    const p = pipeline({ provider: 'polygon', deadlineMs: 1_000, retry: noJitter(5, 5_000), timers });
    const { fn, calls } = provider(perr('transient'));
    expect(await p.execute(fn).catch((e: unknown) => e)).toMatchObject({ kind: 'transient' });
    expect(calls).toEqual([0]);

    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 1 / 10, timers });
    bucket.tryAcquire();
    const queued = pipeline({ provider: 'polygon', deadlineMs: 1_000, rateLimit: bucket, timers });
    expect(await queued.execute(fn).catch((e: unknown) => e)).toBeInstanceOf(RateLimitedError);
  });

  it('reports an attempt cut off by the overall deadline as a timed-out attempt', async () => {
    const p = pipeline({ provider: 'polygon', deadlineMs: 1_000, timeoutMs: 5_000, timers });
    const attempts: AttemptEvent[] = [];
    p.onAttempt((e) => attempts.push(e));
    const outcome = p.execute(() => new Promise<never>(() => {})).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_010);
    expect(await outcome).toMatchObject({ code: 'TIMEOUT' });
    expect(attempts).toEqual([expect.objectContaining({ provider: 'polygon', outcome: 'failure', kind: 'timeout' })]);
  });

  it("waits out a 429's Retry-After, pausing the provider's bucket meanwhile, without counting it", async () => {
    const bucket = tokenBucket({ name: 'polygon', capacity: 5, refillPerSecond: 5, timers });
    const breaker = circuitBreaker({ name: 'polygon', breaker: { consecutive: 1 } });
    const p = pipeline({ provider: 'polygon', retry: noJitter(3, 10), rateLimit: bucket, breaker, timers });
    const { fn, calls } = provider(perr('rate_limited', { retryAfterMs: 3_000 }));
    const outcome = p.execute(fn);
    await vi.advanceTimersByTimeAsync(0);
    expect(bucket.tryAcquire()).toBe(false);
    expect(breaker.state).toBe('closed');
    await vi.advanceTimersByTimeAsync(3_000);
    await expect(outcome).resolves.toBe('AAPL 187.42');
    expect(calls).toEqual([0, 3_000]);
  });

  it('refreshes the key once on auth and retries; a second auth failure opens the breaker at once', async () => {
    const breaker = circuitBreaker({ name: 'massive', breaker: { consecutive: 99 } });
    const refresh = vi.fn(async () => true);
    const p = pipeline({ provider: 'massive', retry: noJitter(), breaker, onAuthFailure: refresh, timers });

    const recovered = provider(perr('auth'));
    await expect(p.execute(recovered.fn)).resolves.toBe('AAPL 187.42');
    expect(recovered.calls).toEqual([0, 0]);
    expect(breaker.state).toBe('closed');

    const stillBad = provider(perr('auth'), perr('auth'));
    await expect(p.execute(stillBad.fn)).rejects.toMatchObject({ kind: 'auth' });
    expect(stillBad.calls).toHaveLength(2);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(breaker.state).toBe('open');
  });

  it('opens the breaker at once on auth when the key did not change', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 99 } });
    const p = pipeline({ retry: noJitter(), breaker, onAuthFailure: async () => false, timers });
    const { fn, calls } = provider(perr('auth'));
    await expect(p.execute(fn)).rejects.toMatchObject({ kind: 'auth' });
    expect(calls).toHaveLength(1);
    expect(breaker.state).toBe('open');
  });

  it('switches a capability off with one notEntitled event per operation, never retrying', async () => {
    const events: NotEntitledEvent[] = [];
    const breaker = circuitBreaker({ breaker: { consecutive: 1 } });
    const p = pipeline({ provider: 'polygon', retry: noJitter(), breaker, timers });
    p.onNotEntitled((e) => events.push(e));
    for (let i = 0; i < 3; i++) {
      const { fn, calls } = provider(perr('not_entitled', { operation: 'snapshot' }));
      await expect(p.execute(fn)).rejects.toMatchObject({ kind: 'not_entitled' });
      expect(calls).toHaveLength(1);
    }
    await p.execute(provider(perr('not_entitled')).fn, { operation: 'bars' }).catch(() => {});
    expect(events.map((e) => [e.provider, e.operation])).toEqual([
      ['polygon', 'snapshot'],
      ['polygon', 'bars'],
    ]);
    expect(breaker.state).toBe('closed');
    p.resetNotEntitled('bars');
    await p.execute(provider(perr('not_entitled')).fn, { operation: 'bars' }).catch(() => {});
    expect(events).toHaveLength(3);
  });

  it('reports whether it has quota, for hedging across providers', () => {
    const bucket = tokenBucket({ capacity: 1, refillPerSecond: 1, timers });
    const breaker = circuitBreaker({ halfOpenAfterMs: 1_000 });
    const p = pipeline({ rateLimit: bucket, breaker, timers });
    expect(p.hasQuota()).toBe(true);
    bucket.tryAcquire();
    expect(p.hasQuota()).toBe(false);
    vi.setSystemTime(T0 + 1_000);
    breaker.open();
    expect(p.hasQuota()).toBe(false);
    vi.setSystemTime(T0 + 2_000);
    expect(p.hasQuota()).toBe(true);
  });

  it('tells the health monitor everything through typed events', async () => {
    const bucket = tokenBucket({ name: 'polygon', capacity: 1, refillPerSecond: 1, timers });
    const breaker = circuitBreaker({ name: 'polygon', breaker: { consecutive: 2 }, halfOpenAfterMs: 60_000 });
    const p = pipeline({
      provider: 'polygon',
      retry: noJitter(2, 50),
      breaker,
      rateLimit: bucket,
      timeoutMs: 200,
      timers,
    });
    const seen: string[] = [];
    p.onRetry((e) => seen.push(`retry ${e.attempt} in ${e.delayMs} ms (${e.kind})`));
    p.onTimeout((e) => seen.push(`timeout ${e.scope} ${e.timeoutMs} ms`));
    p.onQueued((e) => seen.push(`queued on ${e.limiter}`));
    p.onBreakerStateChange((e) => seen.push(`breaker ${e.from} → ${e.to}`));
    p.onRejected((e) => seen.push(`rejected by ${e.by}`));
    const hang = p.execute(() => new Promise(() => {})).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_500);
    expect(await hang).toMatchObject({ kind: 'timeout' });
    expect(seen).toEqual([
      'timeout attempt 200 ms',
      'retry 1 in 50 ms (timeout)',
      'queued on polygon',
      'timeout attempt 200 ms',
      'breaker closed → open',
    ]);
    seen.length = 0;
    await expect(p.execute(() => 'x')).rejects.toBeInstanceOf(CircuitOpenError);
    expect(seen).toEqual(['rejected by breaker']);
  });

  it('holds calls to the bulkhead limit inside the pipeline', async () => {
    const { bulkhead } = await import('./bulkhead.js');
    const pool = bulkhead({ maxConcurrent: 1, queue: { maxSize: 10 }, timers });
    const p = pipeline({ bulkhead: pool, timers });
    let running = 0;
    let most = 0;
    const call = () => {
      running++;
      most = Math.max(most, running);
      return new Promise((r) => setTimeout(r, 10)).then(() => running--);
    };
    const all = Promise.all([p.execute(call), p.execute(call), p.execute(call)]);
    await vi.advanceTimersByTimeAsync(30);
    await all;
    expect(most).toBe(1);
    expect(pool.active).toBe(0);
  });

  it('names the bad option', () => {
    expect(() => pipeline({ timeoutMs: -5 })).toThrow(ValidationError);
    expect(() => pipeline({ breaker: {} as never })).toThrow(/breaker: expected a circuitBreaker/);
  });
});
