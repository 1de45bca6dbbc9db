import { createMarketCalendar } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { dailyBars, intradayBars } from './bars.js';
import { createPriceModel } from './price-path.js';
import { profileOf } from './symbol-profiles.js';

const calendar = createMarketCalendar();
const pathOf = (symbol: string, seed: number | string = 1) =>
  createPriceModel({ seed, calendar }).path(profileOf(symbol));
const day = (date: string) => Date.parse(`${date}T00:00:00Z`);
const DAY = 86_400_000;

describe('price paths', () => {
  it('are the same for the same seed and symbol, and differ with the seed or the symbol', () => {
    const at = Date.parse('2026-03-10T15:00:00Z');
    expect(pathOf('AAPL', 42).priceAt(at)).toBe(pathOf('AAPL', 42).priceAt(at));
    expect(pathOf('AAPL', 43).priceAt(at)).not.toBe(pathOf('AAPL', 42).priceAt(at));
    expect(pathOf('MSFT', 42).priceAt(at) / profileOf('MSFT').basePrice).not.toBeCloseTo(
      pathOf('AAPL', 42).priceAt(at) / profileOf('AAPL').basePrice,
      6,
    );
  });

  it('do not depend on the order in which days are first asked for', () => {
    const late = Date.parse('2026-06-01T15:00:00Z');
    const early = Date.parse('2024-02-01T15:00:00Z');
    const a = pathOf('TSLA', 5);
    const lateFirst = a.priceAt(late);
    const b = pathOf('TSLA', 5);
    b.priceAt(early);
    expect(b.priceAt(late)).toBe(lateFirst);
  });

  it('stay near their base price over decades, with plausible daily moves', () => {
    for (const symbol of ['AAPL', 'BTC-USD', 'EURUSD=X', '^GSPC']) {
      const path = pathOf(symbol, 9);
      const bars = dailyBars(path, day('2024-01-01'), day('2025-01-01'), day('2026-01-01'), 'midnight');
      const base = profileOf(symbol).basePrice;
      for (const b of bars) {
        expect(b.c / base).toBeGreaterThan(0.25);
        expect(b.c / base).toBeLessThan(4);
        expect(b.h).toBeGreaterThanOrEqual(Math.max(b.o, b.c));
        expect(b.l).toBeLessThanOrEqual(Math.min(b.o, b.c));
      }
      const moves = bars.slice(1).map((b, i) => Math.abs(Math.log(b.c / (bars[i]?.c ?? b.c))));
      expect(Math.max(...moves)).toBeLessThan(0.3);
      expect(moves.reduce((s, m) => s + m, 0) / moves.length).toBeGreaterThan(0.0005);
    }
  });

  it('switch volatility regimes from time to time', () => {
    const path = pathOf('NVDA', 3);
    const regimes = new Set<number>();
    for (let d = day('2020-01-01'); d < day('2026-01-01'); d += DAY) regimes.add(path.regimeAt(d));
    expect([...regimes].sort()).toEqual([0.6, 1, 2]);
  });

  it('have no equity bars on Thanksgiving 2026 or a weekend, while crypto trades every day', () => {
    const now = day('2026-12-01');
    const aapl = pathOf('AAPL');
    const btc = pathOf('BTC-USD');
    // New York days (EST, UTC-5): Wednesday's after-hours run until 01:00 UTC on Thursday.
    const nyDay = (date: string) => Date.parse(`${date}T05:00:00Z`);
    const thanksgiving = { from: nyDay('2026-11-26'), to: nyDay('2026-11-27') };
    const weekend = { from: nyDay('2026-11-28'), to: nyDay('2026-11-30') };
    for (const { from, to } of [thanksgiving, weekend]) {
      expect(intradayBars(aapl, { from, to, intervalMs: 60_000, align: (s) => s.open, extended: true, now })).toEqual(
        [],
      );
      expect(dailyBars(aapl, from, to, now, 'midnight')).toEqual([]);
      expect(
        intradayBars(btc, { from, to, intervalMs: 60_000, align: (s) => s.midnight, extended: false, now }),
      ).toHaveLength((to - from) / 60_000);
    }
    // The day after Thanksgiving closes at 13:00: 210 regular minutes.
    const friday = intradayBars(aapl, {
      from: nyDay('2026-11-27'),
      to: nyDay('2026-11-28'),
      intervalMs: 60_000,
      align: (s) => s.open,
      extended: false,
      now,
    });
    expect(friday).toHaveLength(210);
  });

  it('freeze the last price of an equity over the weekend but not of bitcoin', () => {
    const aapl = pathOf('AAPL');
    const btc = pathOf('BTC-USD');
    const fridayClose = Date.parse('2026-03-06T21:00:00Z');
    const saturday = Date.parse('2026-03-07T15:00:00Z');
    expect(aapl.lastPriceAt(saturday)).toBe(aapl.priceAt(fridayClose));
    expect(aapl.lastTradeInstant(saturday)).toBe(fridayClose);
    expect(btc.lastPriceAt(saturday)).toBe(btc.priceAt(saturday));
    expect(btc.lastPriceAt(saturday)).not.toBe(btc.priceAt(fridayClose));
  });

  it('trade more at the open and close than at midday, and little in extended hours', () => {
    const path = pathOf('AAPL', 11);
    const now = day('2026-04-01');
    const volumeAt = (from: string, to: string) =>
      intradayBars(path, {
        from: Date.parse(from),
        to: Date.parse(to),
        intervalMs: 30 * 60_000,
        align: (s) => s.open,
        extended: true,
        now,
      })
        .map((b) => b.v)
        .reduce((a, b) => a + b, 0);
    const open = volumeAt('2026-03-10T13:30:00Z', '2026-03-10T14:00:00Z');
    const midday = volumeAt('2026-03-10T16:30:00Z', '2026-03-10T17:00:00Z');
    const pre = volumeAt('2026-03-10T11:00:00Z', '2026-03-10T11:30:00Z');
    expect(open).toBeGreaterThan(midday * 1.3);
    expect(pre).toBeLessThan(midday / 3);
  });
});
