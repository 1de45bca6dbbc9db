import { describe, expect, it } from 'vitest';
import { reconnectBackoff } from './backoff.js';

describe('reconnect backoff', () => {
  it('doubles its cap up to the maximum and keeps every delay within [cap/2, cap]', () => {
    const low = reconnectBackoff(500, 4_000, () => 0);
    expect([low.next(), low.next(), low.next(), low.next(), low.next()]).toEqual([250, 500, 1_000, 2_000, 2_000]);
    const high = reconnectBackoff(500, 4_000, () => 0.999_999);
    expect([high.next(), high.next(), high.next(), high.next(), high.next()]).toEqual([
      500, 1_000, 2_000, 4_000, 4_000,
    ]);
  });

  it('starts over after a reset', () => {
    const b = reconnectBackoff(100, 10_000, () => 0.5);
    b.next();
    b.next();
    expect(b.attempts).toBe(2);
    b.reset();
    expect(b.attempts).toBe(0);
    expect(b.next()).toBe(75);
  });
});
