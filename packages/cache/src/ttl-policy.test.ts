import { ConfigError, createMarketCalendar } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { createTtlPolicy, defaultTtlTable } from './ttl-policy.js';

const calendar = createMarketCalendar();
const policy = createTtlPolicy({ calendar });
const at = (iso: string) => Date.parse(iso);
const H = 3_600_000;

describe('createTtlPolicy', () => {
  it('keeps an equity quote on a Saturday noon until Monday 09:30 New York', () => {
    const saturdayNoon = at('2026-06-13T12:00:00-04:00');
    const { freshMs } = policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: saturdayNoon });
    expect(saturdayNoon + freshMs).toBe(at('2026-06-15T09:30:00-04:00'));
    expect(freshMs).toBe(45.5 * H);
  });

  it('counts the weekend the clocks change in real hours (23-hour Sunday)', () => {
    const saturdayNoon = at('2026-03-07T12:00:00-05:00');
    const { freshMs } = policy.ttlFor({ kind: 'quote', symbol: 'MSFT', at: saturdayNoon });
    expect(saturdayNoon + freshMs).toBe(at('2026-03-09T09:30:00-04:00'));
    expect(freshMs).toBe(44.5 * H);
  });

  it('keeps daily bars until the 13:00 early close on 2026-11-27', () => {
    const tenAm = at('2026-11-27T10:00:00-05:00');
    const { freshMs } = policy.ttlFor({ kind: 'bars', symbol: 'AAPL', interval: '1d', at: tenAm });
    expect(tenAm + freshMs).toBe(at('2026-11-27T13:00:00-05:00'));
  });

  it('treats 14:00 on the early-close day as after-hours for quotes', () => {
    expect(policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: at('2026-11-27T12:59:00-05:00') }).freshMs).toBe(10_000);
    expect(policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: at('2026-11-27T14:00:00-05:00') }).freshMs).toBe(30_000);
  });

  it('gives crypto 10 s at 03:00 and on weekends alike', () => {
    expect(policy.ttlFor({ kind: 'quote', symbol: 'BTC-USD', at: at('2026-06-16T03:00:00-04:00') }).freshMs).toBe(
      10_000,
    );
    expect(policy.ttlFor({ kind: 'quote', symbol: 'ETH-USD', at: at('2026-06-13T12:00:00-04:00') }).freshMs).toBe(
      10_000,
    );
  });

  it('gives 30 s in pre-market and 10 s in the regular session', () => {
    expect(policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: at('2026-06-16T08:00:00-04:00') }).freshMs).toBe(30_000);
    expect(policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: at('2026-06-16T11:00:00-04:00') }).freshMs).toBe(10_000);
  });

  it('gives a venue the calendar does not model the short regular-hours TTL, even on a Saturday', () => {
    expect(policy.ttlFor({ kind: 'quote', symbol: 'WSU.DE', at: at('2026-06-13T12:00:00-04:00') }).freshMs).toBe(
      10_000,
    );
    expect(
      policy.ttlFor({ kind: 'bars', symbol: 'WSU.DE', interval: '1d', at: at('2026-06-16T11:00:00-04:00') }).freshMs,
    ).toBe(10_000);
  });

  it('keeps intraday bars for one interval while trading and until the open while closed', () => {
    expect(
      policy.ttlFor({ kind: 'bars', symbol: 'AAPL', interval: '5m', at: at('2026-06-16T11:00:00-04:00') }).freshMs,
    ).toBe(300_000);
    expect(
      policy.ttlFor({ kind: 'bars', symbol: 'AAPL', interval: '1h', at: at('2026-06-16T18:00:00-04:00') }).freshMs,
    ).toBe(H);
    const saturdayNoon = at('2026-06-13T12:00:00-04:00');
    expect(policy.ttlFor({ kind: 'bars', symbol: 'AAPL', interval: '1m', at: saturdayNoon }).freshMs).toBe(45.5 * H);
  });

  it('keeps crypto daily bars until UTC midnight', () => {
    const t = at('2026-06-16T21:30:00Z');
    expect(policy.ttlFor({ kind: 'bars', symbol: 'BTC-USD', interval: '1d', at: t }).freshMs).toBe(2.5 * H);
  });

  it('derives the grace and the last-known-good horizon from the table', () => {
    const weekday = policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: at('2026-06-16T11:00:00-04:00') });
    expect(weekday).toEqual({ freshMs: 10_000, staleMs: 10_000, maxStaleMs: 3 * 24 * H });
    const weekend = policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: at('2026-06-13T12:00:00-04:00') });
    expect(weekend.staleMs).toBe(60_000);
    expect(policy.notFound()).toEqual({ freshMs: 60_000, staleMs: 0, maxStaleMs: 0 });
  });

  it('applies overrides written as durations, the closed cap and pre-market reopening', () => {
    const custom = createTtlPolicy({
      calendar,
      overrides: { quoteRegularMs: '5s', quoteClosedMaxMs: '1h', closedUntil: 'open', maxStaleMs: 60_000 },
    });
    expect(custom.ttlFor({ kind: 'quote', symbol: 'AAPL', at: at('2026-06-16T11:00:00-04:00') }).freshMs).toBe(5_000);
    expect(custom.ttlFor({ kind: 'quote', symbol: 'AAPL', at: at('2026-06-13T12:00:00-04:00') }).freshMs).toBe(H);
    const pre = createTtlPolicy({ calendar, overrides: { closedUntil: 'preOpen' } });
    const saturdayNoon = at('2026-06-13T12:00:00-04:00');
    expect(saturdayNoon + pre.ttlFor({ kind: 'quote', symbol: 'AAPL', at: saturdayNoon }).freshMs).toBe(
      at('2026-06-15T04:00:00-04:00'),
    );
    // Indices have no pre-market: they still wait for the regular open.
    expect(saturdayNoon + pre.ttlFor({ kind: 'quote', symbol: '^GSPC', at: saturdayNoon }).freshMs).toBe(
      at('2026-06-15T09:30:00-04:00'),
    );
  });

  it('shortens fresh TTLs after a fast move when configured', () => {
    const fast = createTtlPolicy({ calendar, overrides: { fastMovePct: 2 } });
    const t = at('2026-06-16T11:00:00-04:00');
    expect(fast.ttlFor({ kind: 'quote', symbol: 'AAPL', at: t, lastMovePct: -3.1 }).freshMs).toBe(5_000);
    expect(fast.ttlFor({ kind: 'quote', symbol: 'AAPL', at: t, lastMovePct: 1.2 }).freshMs).toBe(10_000);
    expect(policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: t, lastMovePct: 9 }).freshMs).toBe(10_000);
  });

  it('rejects unknown fields and non-durations, listing every problem', () => {
    const make = () =>
      createTtlPolicy({ calendar, overrides: { quoteRegularMs: 'soon', nope: 1 } as unknown as Record<string, never> });
    expect(make).toThrow(ConfigError);
    try {
      make();
    } catch (err) {
      const paths = (err as ConfigError).issues.map((i) => i.path).sort();
      expect(paths).toEqual(['cache.ttl.nope', 'cache.ttl.quoteRegularMs']);
    }
    expect(defaultTtlTable.quoteExtendedMs).toBe(30_000);
  });
});
