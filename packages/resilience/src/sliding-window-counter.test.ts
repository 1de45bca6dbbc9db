import { describe, expect, it } from 'vitest';
import { SlidingWindowCounter } from './sliding-window-counter.js';

describe('SlidingWindowCounter', () => {
  it('never grants more than capacity in any sliding window, however the calls are spread', () => {
    const c = new SlidingWindowCounter(5, 60_000);
    const grants: number[] = [];
    // A burst at t=0, then one try every second for five minutes.
    for (let t = 0; t <= 300_000; t += 1_000) {
      while (c.tryTake(1, t)) grants.push(t);
    }
    for (const start of grants) {
      expect(grants.filter((g) => g >= start && g < start + 60_000).length).toBeLessThanOrEqual(5);
    }
    // And it uses the whole quota: 5 per minute over 5 minutes, plus the window starting at 300 s.
    expect(grants.length).toBe(30);
  });

  it('says how long until enough tokens come back', () => {
    const c = new SlidingWindowCounter(3, 10_000);
    c.take(1, 0);
    c.take(1, 2_000);
    c.take(1, 4_000);
    expect(c.waitMs(1, 5_000)).toBe(5_000); // the stamp of t=0 leaves at 10 s
    expect(c.waitMs(2, 5_000)).toBe(7_000); // the stamp of t=2 s leaves at 12 s
    expect(c.waitMs(1, 10_000)).toBe(0);
  });

  it('grants nothing while paused by a Retry-After', () => {
    const c = new SlidingWindowCounter(5, 60_000);
    c.pause(30_000, 0);
    expect(c.tryTake(1, 10_000)).toBe(false);
    expect(c.waitMs(1, 10_000)).toBe(20_000);
    expect(c.tryTake(1, 30_000)).toBe(true);
  });

  it("adopts a provider's own count of calls left", () => {
    const c = new SlidingWindowCounter(5, 60_000);
    c.clamp(2, 0);
    expect(c.refill(0)).toBe(2);
    expect(c.waitMs(3, 0)).toBe(60_000);
  });
});
