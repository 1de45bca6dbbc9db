import { describe, expect, it } from 'vitest';
import { attemptWindow } from './attempt-window.js';

describe('attemptWindow', () => {
  it('counts requests and successes and takes nearest-rank percentiles of successful latencies', () => {
    const w = attemptWindow({ windowMs: 60_000 });
    for (let i = 1; i <= 100; i++) w.record(1_000 + i, true, i * 10);
    w.record(1_200, false, 99_999);
    const s = w.stats(2_000);
    expect(s).toEqual({
      requests: 101,
      successes: 100,
      successRate: 100 / 101,
      p50: 500,
      p95: 950,
      p99: 990,
      latencySamples: 100,
    });
  });

  it('answers a success rate of 1 and null percentiles with no attempts', () => {
    expect(attemptWindow().stats(0)).toEqual({
      requests: 0,
      successes: 0,
      successRate: 1,
      p50: null,
      p95: null,
      p99: null,
      latencySamples: 0,
    });
  });

  it('leaves attempts older than the window out', () => {
    const w = attemptWindow({ windowMs: 10_000 });
    w.record(0, false, 100);
    w.record(5_000, true, 200);
    expect(w.stats(9_000)).toMatchObject({ requests: 2, successes: 1 });
    expect(w.stats(10_000)).toMatchObject({ requests: 1, successes: 1, successRate: 1, p50: 200 });
    expect(w.stats(15_000)).toMatchObject({ requests: 0, p50: null });
  });

  it('keeps at most `capacity` attempts, overwriting the oldest', () => {
    const w = attemptWindow({ windowMs: 1e9, capacity: 8 });
    for (let i = 0; i < 100; i++) w.record(i, i < 95, i);
    expect(w.size).toBe(8);
    // 92..99 are kept: 92, 93, 94 succeeded, 95..99 failed.
    expect(w.stats(100)).toMatchObject({ requests: 8, successes: 3, p50: 93, p99: 94 });
  });

  it('re-sorts percentiles on the hot path only every `recomputeEvery` attempts, counts always', () => {
    const w = attemptWindow({ windowMs: 1e9, recomputeEvery: 4 });
    w.record(0, true, 100);
    expect(w.stats(1, false).p50).toBe(100);
    for (let i = 0; i < 3; i++) w.record(1, true, 1_000);
    const stale = w.stats(2, false);
    expect(stale).toMatchObject({ requests: 4, successes: 4, p50: 100, latencySamples: 1 });
    w.record(2, true, 1_000);
    expect(w.stats(3, false)).toMatchObject({ requests: 5, p50: 1_000, latencySamples: 5 });
    expect(w.stats(3, true).p50).toBe(1_000);
  });
});
