import { manualClock, ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { createCostTracker } from './cost-tracker.js';

// A whole minute, so buckets line up with the seconds below.
const T0 = Date.parse('2026-03-10T15:00:00Z');

function setup() {
  const clock = manualClock(T0);
  const cost = createCostTracker({ clock, costPerCall: { polygon: 0.002, yahoo: 0 } });
  const callEverySecond = (provider: string, seconds: number) => {
    for (let i = 0; i < seconds; i++) {
      clock.advance(1_000);
      cost.record(provider);
    }
  };
  return { clock, cost, callEverySecond };
}

describe('createCostTracker', () => {
  it('adds the configured cost per call and returns what each record added', () => {
    const { cost } = setup();
    expect(cost.record('polygon')).toBe(0.002);
    expect(cost.record('polygon', 4)).toBeCloseTo(0.008, 12);
    expect(cost.record('yahoo', 10)).toBe(0);
    expect(cost.total('polygon')).toBeCloseTo(0.01, 12);
    expect(cost.calls('polygon')).toBe(5);
    expect(cost.calls('yahoo')).toBe(10);
    expect(cost.total('yahoo')).toBe(0);
  });

  it('projects a month from the rate since start while the tracker is younger than the window', () => {
    const { cost, callEverySecond } = setup();
    callEverySecond('polygon', 600);
    // 0.002 a second for 30 days.
    expect(cost.projectedMonthly('polygon')).toBeCloseTo(0.002 * 30 * 86_400, 6);
    expect(cost.projectedMonthly('yahoo')).toBe(0);
  });

  it('projects from the last hour only once the tracker is older, following a change of rate', () => {
    const { cost, callEverySecond, clock } = setup();
    callEverySecond('polygon', 7_200);
    expect(cost.projectedMonthly('polygon')).toBeCloseTo(5_184, -1);
    // Half the rate for an hour: the projection halves, the old rate forgotten.
    for (let i = 0; i < 1_800; i++) {
      clock.advance(2_000);
      cost.record('polygon');
    }
    expect(cost.projectedMonthly('polygon')).toBeCloseTo(2_592, -1);
    expect(cost.total('polygon')).toBeCloseTo(0.002 * 9_000, 9);
  });

  it('falls to zero once a provider has not been called for a whole window', () => {
    const { cost, callEverySecond, clock } = setup();
    callEverySecond('polygon', 60);
    expect(cost.projectedMonthly('polygon')).toBeGreaterThan(0);
    clock.advance(3_600_000);
    expect(cost.projectedMonthly('polygon')).toBe(0);
    expect(cost.total('polygon')).toBeCloseTo(0.12, 12);
  });

  it('does not extrapolate a few seconds into a wild figure: the rate spans at least one bucket', () => {
    const { cost, clock } = setup();
    clock.advance(5_000);
    cost.record('polygon');
    expect(cost.projectedMonthly('polygon')).toBeCloseTo((0.002 / 60_000) * 30 * 86_400_000, 9);
  });

  it('gives every provider’s figures in one snapshot', () => {
    const { cost, callEverySecond } = setup();
    callEverySecond('polygon', 60);
    cost.record('yahoo', 3);
    expect(cost.snapshot()).toEqual({
      polygon: {
        costPerCall: 0.002,
        calls: 60,
        cost: expect.closeTo(0.12, 12),
        projectedMonthly: expect.closeTo(5_184, 6),
      },
      yahoo: { costPerCall: 0, calls: 3, cost: 0, projectedMonthly: 0 },
    });
  });

  it('rejects unknown providers and bad prices with a ValidationError', () => {
    const { cost } = setup();
    expect(() => cost.record('iex')).toThrow(/Unknown provider "iex" for the cost tracker; known: polygon, yahoo/);
    expect(() => cost.record('polygon', -1)).toThrow(ValidationError);
    expect(() => createCostTracker({ costPerCall: { polygon: -0.1 } })).toThrow(
      /costPerCall\.polygon must be a number ≥ 0/,
    );
    expect(() => createCostTracker({ costPerCall: {}, rateWindowMs: 10, bucketMs: 60_000 })).toThrow(/rateWindowMs/);
  });
});
