import { ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { simulatedClock } from './simulated-clock.js';

describe('simulatedClock', () => {
  it('starts at the given instant and runs speed times faster than the real clock', () => {
    let real = 1_000;
    const clock = simulatedClock({ start: Date.parse('2026-03-10T14:30:00Z'), speed: 60, realNow: () => real });
    expect(clock.now()).toBe(Date.parse('2026-03-10T14:30:00Z'));
    real += 1_000;
    expect(clock.now()).toBe(Date.parse('2026-03-10T14:31:00Z'));
  });

  it('refuses a speed that is not positive', () => {
    expect(() => simulatedClock({ speed: 0 })).toThrow(ValidationError);
  });
});
