import { describe, expect, it } from 'vitest';
import { latencyWindow } from './latency-window.js';

describe('latencyWindow', () => {
  it('answers nothing until it has enough samples, then nearest-rank percentiles', () => {
    const w = latencyWindow({ minSamples: 10, recomputeEvery: 1 });
    for (let ms = 1; ms <= 9; ms++) w.record(ms);
    expect(w.percentile(50)).toBeUndefined();
    w.record(100);
    expect(w.percentile(50)).toBe(5);
    expect(w.percentile(90)).toBe(9);
    expect(w.percentile(100)).toBe(100);
  });

  it('keeps only the most recent samples', () => {
    const w = latencyWindow({ size: 4, minSamples: 4, recomputeEvery: 1 });
    for (const ms of [500, 500, 500, 500, 10, 20, 30, 40]) w.record(ms);
    expect(w.count).toBe(4);
    expect(w.percentile(100)).toBe(40);
  });

  it('recomputes only every so many samples', () => {
    const w = latencyWindow({ size: 100, minSamples: 1, recomputeEvery: 5 });
    w.record(10);
    expect(w.percentile(99)).toBe(10);
    w.record(1_000);
    expect(w.percentile(99)).toBe(10);
    for (let i = 0; i < 4; i++) w.record(1_000);
    expect(w.percentile(99)).toBe(1_000);
  });
});
