import { describe, expect, it } from 'vitest';
import { latencyBaseline } from './latency-baseline.js';

describe('latencyBaseline', () => {
  it('knows nothing until the first window is folded, then is seeded by it', () => {
    const b = latencyBaseline();
    expect(b.valueMs).toBeUndefined();
    expect(b.thresholdMs(3)).toBeUndefined();
    b.fold(3_500);
    expect(b.valueMs).toBe(3_500);
    expect(b.thresholdMs(3)).toBe(10_500);
  });

  it('moves slowly: a moving average weighted by alpha', () => {
    const b = latencyBaseline({ alpha: 0.25 });
    b.fold(100);
    b.fold(500);
    expect(b.valueMs).toBe(0.25 * 500 + 0.75 * 100);
  });

  it('judges a fast provider against the floor, not its few milliseconds', () => {
    const b = latencyBaseline({ floorMs: 250 });
    b.fold(20);
    expect(b.valueMs).toBe(20);
    expect(b.thresholdMs(2)).toBe(500);
  });
});
