import { manualClock } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { retryBudget } from './retry-budget.js';

describe('retryBudget', () => {
  it('allows a floor of retries plus a share of recent requests', () => {
    const clock = manualClock(0);
    const budget = retryBudget({ ratio: 0.1, minPerWindow: 2, windowMs: 10_000, clock });
    for (let i = 0; i < 50; i++) budget.recordRequest();
    const granted = Array.from({ length: 10 }, () => budget.tryRetry()).filter(Boolean).length;
    expect(granted).toBe(7);
    expect(budget.available()).toBe(0);
  });

  it('forgets requests and retries older than the window', () => {
    const clock = manualClock(0);
    const budget = retryBudget({ ratio: 0, minPerWindow: 1, windowMs: 1_000, clock });
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
    clock.advance(500);
    expect(budget.tryRetry()).toBe(false);
    clock.advance(600);
    expect(budget.retries).toBe(0);
    expect(budget.tryRetry()).toBe(true);
  });

  it('validates the ratio', () => {
    expect(() => retryBudget({ ratio: 2 })).toThrow(/ratio/);
  });
});
