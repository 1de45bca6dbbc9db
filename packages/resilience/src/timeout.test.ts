import { ProviderError, TimeoutError } from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deadline } from './deadline.js';
import { retry } from './retry.js';
import { timeout } from './timeout.js';
import { type TimerWheel, timerWheel } from './timer-wheel.js';

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

describe('timeout', () => {
  it('cuts off a call that ignores its signal, as a provider timeout', async () => {
    const policy = timeout({ ms: 2_000, provider: 'yahoo', timers });
    const p = policy.execute(() => new Promise(() => {})).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(1_999);
    await vi.advanceTimersByTimeAsync(1);
    const err = await p;
    expect(err).toBeInstanceOf(ProviderError);
    expect(err).toMatchObject({ provider: 'yahoo', kind: 'timeout' });
    expect(Date.now() - T0).toBe(2_000);
  });

  it('aborts the signal of a call that reads it, and makes none for a call that does not', async () => {
    const policy = timeout({ ms: 100, timers });
    let signal: AbortSignal | undefined;
    const p = policy
      .execute((ctx) => {
        signal = ctx.signal;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(100);
    expect(await p).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBeInstanceOf(TimeoutError);

    const made = countAbortControllers();
    await expect(policy.execute(() => Promise.resolve('fast'))).resolves.toBe('fast');
    expect(made.count()).toBe(0);
    made.restore();
  });

  it('arms no setTimeout per call: every deadline shares the wheel', async () => {
    const policy = timeout({ ms: 5_000, timers });
    const answers: Array<(v: string) => void> = [];
    const calls = Array.from({ length: 50 }, () => policy.execute(() => new Promise<string>((r) => answers.push(r))));
    expect(vi.getTimerCount()).toBe(1);
    expect(timers.size).toBe(50);
    for (const answer of answers) answer('ok');
    await Promise.all(calls);
    expect(timers.size).toBe(0);
  });

  it("rejects with the caller's reason the moment the caller aborts", async () => {
    const controller = new AbortController();
    const p = timeout({ ms: 10_000, timers }).execute(() => new Promise(() => {}), { signal: controller.signal });
    controller.abort('navigated away');
    await expect(p).rejects.toBe('navigated away');
    expect(timers.size).toBe(0);
  });
});

describe('deadline', () => {
  it('hands its end to the policies inside, so a retry does not sleep past it', async () => {
    const overall = deadline({ ms: 1_000, timers });
    const inner = retry({ backoff: { initialDelayMs: 5_000, jitter: 'none' } });
    let calls = 0;
    const p = overall
      .execute((ctx) =>
        inner.execute(() => {
          calls++;
          return Promise.reject(new ProviderError('503', { provider: 'polygon', kind: 'transient' }));
        }, ctx),
      )
      .catch((e: unknown) => e);
    expect(await p).toMatchObject({ kind: 'transient' });
    expect(calls).toBe(1);
  });

  it('rejects with a TimeoutError when the whole operation runs out of time, keeping an earlier caller deadline', async () => {
    const overall = deadline({ ms: 1_000, timers });
    const p = overall.execute(() => new Promise(() => {}), { deadline: T0 + 300 }).catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(300);
    expect(await p).toBeInstanceOf(TimeoutError);
    expect(Date.now() - T0).toBe(300);
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
