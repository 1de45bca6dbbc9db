import { ProviderError, type ProviderErrorKind } from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type GiveUpEvent, type RetryEvent, retry } from './retry.js';
import { retryBudget } from './retry-budget.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');
const perr = (kind: ProviderErrorKind, retryAfterMs?: number) =>
  new ProviderError(kind, { provider: 'polygon', kind, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });

/** A call that fails with the given errors in turn, then answers. */
function flaky(...errors: ProviderError[]) {
  const calls: number[] = [];
  const fn = () => {
    calls.push(Date.now() - T0);
    const e = errors.shift();
    return e === undefined ? Promise.resolve('bars') : Promise.reject(e);
  };
  return { fn, calls };
}

beforeEach(() => vi.useFakeTimers({ now: T0 }));
afterEach(() => vi.useRealTimers());

describe('retry', () => {
  it('retries a transient failure with backoff until the call answers', async () => {
    const events: RetryEvent[] = [];
    const policy = retry({ maxAttempts: 3, backoff: { initialDelayMs: 100, jitter: 'none' }, name: 'polygon' });
    policy.onRetry((e) => events.push(e));
    const { fn, calls } = flaky(perr('transient'), perr('timeout'));
    const p = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(300);
    await expect(p).resolves.toBe('bars');
    expect(calls).toEqual([0, 100, 300]);
    expect(events.map((e) => [e.attempt, e.delayMs, e.kind])).toEqual([
      [1, 100, 'transient'],
      [2, 200, 'timeout'],
    ]);
  });

  it('does not retry what cannot pass: not found, bad request, auth, not entitled', async () => {
    for (const kind of ['not_found', 'bad_request', 'auth', 'not_entitled'] as const) {
      const { fn, calls } = flaky(perr(kind));
      await expect(retry().execute(fn)).rejects.toMatchObject({ kind });
      expect(calls).toHaveLength(1);
    }
  });

  it('never retries a 429 before its Retry-After', async () => {
    const policy = retry({ backoff: { initialDelayMs: 10, jitter: 'none' } });
    const { fn, calls } = flaky(perr('rate_limited', 2_000));
    const p = policy.execute(fn);
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls).toEqual([0]);
    await vi.advanceTimersByTimeAsync(1);
    await expect(p).resolves.toBe('bars');
    expect(calls).toEqual([0, 2_000]);
  });

  it('gives up after maxAttempts with the last error', async () => {
    const gaveUp: GiveUpEvent[] = [];
    const policy = retry({ maxAttempts: 2, backoff: { initialDelayMs: 1, jitter: 'none' } });
    policy.onGiveUp((e) => gaveUp.push(e));
    const { fn } = flaky(perr('transient'), perr('unavailable'), perr('transient'));
    const p = policy.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(10);
    expect(await p).toMatchObject({ kind: 'unavailable' });
    expect(gaveUp.map((e) => [e.reason, e.attempts])).toEqual([['attempts', 2]]);
  });

  it('keeps the sum of its waits within maxTotalDelayMs', async () => {
    const policy = retry({ maxAttempts: 10, maxTotalDelayMs: 1_000 });
    const { fn, calls } = flaky(perr('rate_limited', 600), perr('rate_limited', 600));
    const p = policy.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(await p).toMatchObject({ kind: 'rate_limited' });
    expect(calls).toEqual([0, 600]);
  });

  it('spreads delays with full jitter below the exponential cap', async () => {
    const policy = retry({ maxAttempts: 4, backoff: { initialDelayMs: 100, jitter: 'full' }, budget: false });
    const delays: number[] = [];
    policy.onRetry((e) => delays.push(e.delayMs));
    for (let i = 0; i < 20; i++) {
      const { fn } = flaky(perr('transient'), perr('transient'), perr('transient'));
      const p = policy.execute(fn);
      await vi.advanceTimersByTimeAsync(1_000);
      await p;
    }
    const [first, second, third] = [0, 1, 2].map((k) => delays.filter((_, i) => i % 3 === k));
    expect(Math.max(...(first ?? []))).toBeLessThan(100);
    expect(Math.max(...(second ?? []))).toBeLessThan(200);
    expect(Math.max(...(third ?? []))).toBeLessThan(400);
    expect(new Set(delays).size).toBeGreaterThan(10);
  });

  it('stops retrying when the retry budget is spent, so retries cannot multiply an outage', async () => {
    const budget = retryBudget({ ratio: 0, minPerWindow: 2 });
    const policy = retry({ maxAttempts: 5, backoff: { initialDelayMs: 1, jitter: 'none' }, budget });
    const { fn, calls } = flaky(...Array.from({ length: 10 }, () => perr('unavailable')));
    const p = policy.execute(fn).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    await p;
    expect(calls).toHaveLength(3);
    expect(budget.retries).toBe(2);
  });

  it('does not sleep past the deadline it was given', async () => {
    const policy = retry({ maxAttempts: 5, backoff: { initialDelayMs: 500, jitter: 'none' } });
    const { fn, calls } = flaky(perr('transient'), perr('transient'));
    const p = policy.execute(fn, { deadline: T0 + 400 }).catch((e: unknown) => e);
    expect(await p).toMatchObject({ kind: 'transient' });
    expect(calls).toEqual([0]);
  });

  it('ends its sleep the moment the signal aborts, before the clock moves', async () => {
    const policy = retry({ backoff: { initialDelayMs: 10_000, jitter: 'none' } });
    const controller = new AbortController();
    const { fn, calls } = flaky(perr('transient'));
    const p = policy.execute(fn, { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toEqual([0]);
    controller.abort(new Error('user left'));
    await expect(p).rejects.toThrow('user left');
    expect(Date.now()).toBe(T0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('aborts the attempt in flight with the caller', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const p = retry().execute(({ signal }) => {
      seen = signal;
      return new Promise(() => {});
    }, controller.signal);
    controller.abort('stop');
    await expect(p).rejects.toBe('stop');
    expect(seen?.aborted).toBe(true);
  });

  it('validates its options', () => {
    expect(() => retry({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => retry({ backoff: { jitter: 'wild' as never } })).toThrow(/backoff\.jitter/);
  });
});
