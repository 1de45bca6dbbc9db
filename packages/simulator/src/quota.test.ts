import { describe, expect, it } from 'vitest';
import { createQuotaTracker } from './quota.js';

describe('quota tracker', () => {
  const t0 = Date.parse('2026-03-10T15:00:00Z');

  it('refuses the sixth call in a minute and admits again a minute later', () => {
    const q = createQuotaTracker();
    for (let i = 0; i < 5; i++) expect(q.admit('alphavantage', { perMinute: 5 }, t0 + i * 1000)).toBeNull();
    expect(q.admit('alphavantage', { perMinute: 5 }, t0 + 10_000)).toBe('minute');
    expect(q.admit('alphavantage', { perMinute: 5 }, t0 + 60_000)).toBeNull();
  });

  it('counts the day on the UTC calendar and does not count refused calls', () => {
    const q = createQuotaTracker();
    const quota = { perMinute: 5, perDay: 7 };
    let admitted = 0;
    for (let i = 0; i < 20; i++) if (q.admit('alphavantage', quota, t0 + i * 20_000) === null) admitted += 1;
    expect(admitted).toBe(7);
    expect(q.admit('alphavantage', quota, t0 + 3_600_000)).toBe('day');
    expect(q.admit('alphavantage', quota, Date.parse('2026-03-11T00:00:01Z'))).toBeNull();
  });

  it('keeps providers apart and admits everything without a quota', () => {
    const q = createQuotaTracker();
    expect(q.admit('polygon', { perMinute: 1 }, t0)).toBeNull();
    expect(q.admit('massive', { perMinute: 1 }, t0)).toBeNull();
    expect(q.admit('polygon', { perMinute: 1 }, t0)).toBe('minute');
    expect(q.admit('yahoo', undefined, t0)).toBeNull();
  });
});
