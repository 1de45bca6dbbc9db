import { describe, expect, it } from 'vitest';
import { latencyFor } from './latency.js';

describe('latencyFor', () => {
  it('is the fixed value, or nothing without a latency fault', () => {
    expect(latencyFor({ fixedMs: 50 }, 2)).toBe(50);
    expect(latencyFor(undefined, 2)).toBe(0);
  });

  it('puts the lognormal median at p50 and its 99th percentile at p99', () => {
    expect(latencyFor({ p50Ms: 20, p99Ms: 200 }, 0)).toBeCloseTo(20, 6);
    expect(latencyFor({ p50Ms: 20, p99Ms: 200 }, 2.326_347_874)).toBeCloseTo(200, 3);
    expect(latencyFor({ p50Ms: 20, p99Ms: 200 }, -2.326_347_874)).toBeCloseTo(2, 3);
  });

  it('caps a wild draw at ten times the p99', () => {
    expect(latencyFor({ p50Ms: 20, p99Ms: 200 }, 40)).toBe(2000);
  });
});
