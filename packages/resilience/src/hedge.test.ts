import { ProviderError } from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PolicyContext } from './call-context.js';
import { type HedgeEvent, hedge } from './hedge.js';
import { retryBudget } from './retry-budget.js';
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

/** A call answering `value` after `ms`, recording its signal. */
function after<T>(ms: number, value: T, signals: AbortSignal[]) {
  return (ctx: PolicyContext) => {
    signals.push(ctx.signal);
    return new Promise<T>((resolve) => setTimeout(() => resolve(value), ms));
  };
}

const generous = () => retryBudget({ ratio: 1, minPerWindow: 100 });

describe('hedge', () => {
  it('starts a second call when the first is slow; the first answer wins and the loser is aborted', async () => {
    const fired: HedgeEvent[] = [];
    const policy = hedge({ afterMs: 100, budget: generous(), timers, name: 'quotes' });
    policy.onHedge((e) => fired.push(e));
    const signals: AbortSignal[] = [];
    const slowThenFast = [after(1_000, 'slow', signals), after(50, 'fast', signals)];
    const p = policy.execute((ctx) => (slowThenFast.shift() as (c: PolicyContext) => Promise<string>)(ctx));
    await vi.advanceTimersByTimeAsync(150);
    await expect(p).resolves.toBe('fast');
    expect(Date.now() - T0).toBe(150);
    expect(fired).toEqual([{ name: 'quotes', hedge: 1, afterMs: 100, target: undefined }]);
    expect(signals.map((s) => s.aborted)).toEqual([true, false]);
    expect(signals[0]?.reason).toMatchObject({ name: 'AbortError' });
  });

  it('fires no hedge when the first call is fast', async () => {
    const policy = hedge({ afterMs: 100, budget: generous(), timers });
    const signals: AbortSignal[] = [];
    const p = policy.execute(after(20, 'quick', signals));
    await vi.advanceTimersByTimeAsync(20);
    await expect(p).resolves.toBe('quick');
    await vi.advanceTimersByTimeAsync(200);
    expect(signals).toHaveLength(1);
    expect(timers.size).toBe(0);
  });

  it('goes to the next target the caller gives, skipping one short on quota', async () => {
    const policy = hedge({ afterMs: 100, maxHedges: 2, budget: generous(), timers });
    const fired: HedgeEvent[] = [];
    policy.onHedge((e) => fired.push(e));
    const signals: AbortSignal[] = [];
    const p = policy.executeAcross(
      [
        { name: 'polygon', run: after(10_000, 'polygon', signals) },
        { name: 'massive', run: after(10, 'massive', signals), hasQuota: () => false },
        { name: 'yahoo', run: after(10, 'yahoo', signals) },
      ],
      {},
    );
    await vi.advanceTimersByTimeAsync(110);
    await expect(p).resolves.toBe('yahoo');
    expect(fired.map((e) => e.target)).toEqual(['yahoo']);
  });

  it('stays within its budget: by default at most 5 % of calls are hedged', async () => {
    const policy = hedge({ afterMs: 10, timers });
    let hedges = 0;
    policy.onHedge(() => hedges++);
    for (let i = 0; i < 100; i++) {
      const p = policy.execute(() => new Promise((r) => setTimeout(() => r('x'), 50)));
      await vi.advanceTimersByTimeAsync(50);
      await p;
    }
    expect(hedges).toBe(5);
  });

  it('waits for a live percentile of recent latency once it knows enough', async () => {
    const policy = hedge({
      afterPercentile: 90,
      afterMs: 1_000,
      budget: generous(),
      timers,
      latency: { minSamples: 10, recomputeEvery: 1 },
    });
    expect(policy.delayMs()).toBe(1_000);
    for (let i = 1; i <= 10; i++) {
      const p = policy.execute(() => new Promise((r) => setTimeout(() => r('x'), i * 10)));
      await vi.advanceTimersByTimeAsync(i * 10);
      await p;
    }
    expect(policy.delayMs()).toBe(90);
  });

  it('rejects with the first call error when every call failed', async () => {
    const policy = hedge({ afterMs: 10, budget: generous(), timers });
    let n = 0;
    const p = policy
      .execute(() => {
        const k = ++n;
        return new Promise((_, reject) =>
          setTimeout(
            () => reject(new ProviderError(`call ${k}`, { provider: 'yahoo', kind: 'transient' })),
            k === 1 ? 50 : 20,
          ),
        );
      })
      .catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(60);
    expect(((await p) as Error).message).toBe('yahoo: call 1');
    expect(n).toBe(2);
  });

  it('rejects at once when aborted while hedged, aborting both calls, before the clock moves', async () => {
    const policy = hedge({ afterMs: 10, budget: generous(), timers });
    const signals: AbortSignal[] = [];
    const controller = new AbortController();
    const p = policy.execute(after(10_000, 'x', signals), { signal: controller.signal });
    await vi.advanceTimersByTimeAsync(10);
    expect(signals).toHaveLength(2);
    const now = Date.now();
    controller.abort('user closed the chart');
    await expect(p).rejects.toBe('user closed the chart');
    expect(Date.now()).toBe(now);
    expect(signals.every((s) => s.aborted)).toBe(true);
  });

  it('needs afterMs or afterPercentile', () => {
    expect(() => hedge({})).toThrow(/afterMs/);
  });
});
