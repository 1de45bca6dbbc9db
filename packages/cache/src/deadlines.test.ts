import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createDeadlines } from './deadlines.js';

describe('createDeadlines', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('expires a deadline no earlier than the timeout and at most two ticks later, once', () => {
    const deadlines = createDeadlines(200); // ticks of 50 ms
    let expired = 0;
    deadlines.start(() => expired++);
    vi.advanceTimersByTime(199);
    expect(expired).toBe(0);
    vi.advanceTimersByTime(100);
    expect(expired).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(expired).toBe(1);
  });

  it('forgets finished deadlines and stops its timer when nothing is pending', () => {
    const deadlines = createDeadlines(100);
    let expired = 0;
    const a = deadlines.start(() => expired++);
    const b = deadlines.start(() => expired++);
    expect(vi.getTimerCount()).toBe(1);
    deadlines.done(a);
    vi.advanceTimersByTime(200);
    expect(expired).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
    deadlines.done(b);
    deadlines.start(() => expired++);
    deadlines.close();
    vi.advanceTimersByTime(1_000);
    expect(expired).toBe(1);
    expect(vi.getTimerCount()).toBe(0);
  });
});
