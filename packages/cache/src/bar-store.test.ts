import { type Bar, createKeyBuilder, createMarketCalendar, manualClock, newYorkTimeToEpoch } from '@stockade/core';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../../test/support/redis.js';
import { type BarSeriesKey, createBarStore, type SessionRange, type SpanLoader } from './bar-store.js';
import { createCache } from './tiered-cache.js';

const calendar = createMarketCalendar();
const FIVE_MIN = 300_000;
const series: BarSeriesKey = { provider: 'polygon', symbol: 'AAPL', interval: '5m', adjustment: 'split' };

/** 78 five-minute bars of a regular session, priced along a deterministic walk. */
function sessionBars(date: string): Bar[] {
  const open = newYorkTimeToEpoch(date, 9, 30);
  return Array.from({ length: 78 }, (_, i) => {
    const c = 190 + Math.sin(open / 1e9 + i / 7) * 3;
    return { t: open + i * FIVE_MIN, sessionDate: date, o: c - 0.1, h: c + 0.4, l: c - 0.5, c, v: 1_000 + i };
  });
}

/** An upstream that answers like many providers do at range edges: one bar too many on each side. */
function upstream(calls: SessionRange[], options: { truncated?: boolean } = {}): SpanLoader {
  return async (range) => {
    calls.push(range);
    const days = calendar.tradingDays(range.from, range.to);
    const inside = days.flatMap(sessionBars);
    const before = calendar
      .tradingDays('2026-06-01', range.from)
      .filter((d) => d < range.from)
      .at(-1);
    const after = calendar.tradingDays(range.to, '2026-06-30').find((d) => d > range.to);
    const extra = [...(before ? sessionBars(before).slice(-1) : []), ...(after ? sessionBars(after).slice(0, 1) : [])];
    return { bars: [...extra, ...inside], truncated: options.truncated ?? false, source: 'polygon' };
  };
}

function setup(at = '2026-06-16T12:00:00-04:00', redis?: Redis, prefix = testPrefix('bars')) {
  const clock = manualClock(Date.parse(at));
  const cache = createCache({ clock, redis, keys: createKeyBuilder({ prefix }) });
  return { clock, cache, store: createBarStore(cache, { calendar }) };
}

describe('createBarStore', () => {
  it('loads only the two missing ends of a range whose middle is cached, with no duplicate or missing bars', async () => {
    const { store } = setup();
    const calls: SessionRange[] = [];
    const middle = await store.getRange(series, { from: '2026-06-09', to: '2026-06-11' }, upstream(calls));
    expect(calls).toEqual([{ from: '2026-06-09', to: '2026-06-11' }]);
    expect(middle.bars).toHaveLength(3 * 78);

    calls.length = 0;
    const whole = await store.getRange(series, { from: '2026-06-08', to: '2026-06-12' }, upstream(calls));
    expect([...calls].sort((a, b) => a.from.localeCompare(b.from))).toEqual([
      { from: '2026-06-08', to: '2026-06-08' },
      { from: '2026-06-12', to: '2026-06-12' },
    ]);
    const expected = ['2026-06-08', '2026-06-09', '2026-06-10', '2026-06-11', '2026-06-12'].flatMap(sessionBars);
    expect(whole.bars).toEqual(expected);
    expect(whole).toMatchObject({ truncated: false, spans: { cached: 3, loaded: 2 } });
  });

  it('skips exchange holidays when splitting intraday ranges into sessions', async () => {
    const { store } = setup('2026-06-23T12:00:00-04:00');
    const calls: SessionRange[] = [];
    // Juneteenth (Friday 2026-06-19) is a holiday: the week has four sessions.
    const week = await store.getRange(series, { from: '2026-06-15', to: '2026-06-19' }, upstream(calls));
    expect(week.spans).toEqual({ cached: 0, loaded: 4 });
    expect(calls).toEqual([{ from: '2026-06-15', to: '2026-06-18' }]);
    expect(new Set(week.bars.map((b) => b.sessionDate))).toEqual(
      new Set(['2026-06-15', '2026-06-16', '2026-06-17', '2026-06-18']),
    );
  });

  it('never caches a truncated answer', async () => {
    const { store } = setup();
    const calls: SessionRange[] = [];
    const first = await store.getRange(
      series,
      { from: '2026-06-08', to: '2026-06-09' },
      upstream(calls, { truncated: true }),
    );
    expect(first.truncated).toBe(true);
    const second = await store.getRange(series, { from: '2026-06-08', to: '2026-06-09' }, upstream(calls));
    expect(second.truncated).toBe(false);
    expect(calls).toHaveLength(2);
    const third = await store.getRange(series, { from: '2026-06-08', to: '2026-06-09' }, upstream(calls));
    expect(third.spans).toEqual({ cached: 2, loaded: 0 });
    expect(calls).toHaveLength(2);
  });

  it('keeps a session still in progress only for the bars TTL, not as complete', async () => {
    const { clock, store } = setup('2026-06-16T11:00:00-04:00');
    const calls: SessionRange[] = [];
    await store.getRange(series, { from: '2026-06-15', to: '2026-06-16' }, upstream(calls));
    clock.advance(FIVE_MIN - 1);
    await store.getRange(series, { from: '2026-06-15', to: '2026-06-16' }, upstream(calls));
    expect(calls).toHaveLength(1);
    clock.advance(1);
    await store.getRange(series, { from: '2026-06-15', to: '2026-06-16' }, upstream(calls));
    expect(calls).toEqual([
      { from: '2026-06-15', to: '2026-06-16' },
      { from: '2026-06-16', to: '2026-06-16' },
    ]);
  });

  it('stores daily bars per calendar month and loads whole months', async () => {
    const { store } = setup();
    const daily: BarSeriesKey = { ...series, interval: '1d' };
    const calls: SessionRange[] = [];
    const loader: SpanLoader = async (range) => {
      calls.push(range);
      const bars = calendar
        .tradingDays(range.from, range.to)
        .map((d) => ({ ...sessionBars(d)[0], sessionDate: d }) as Bar);
      return { bars, truncated: false, source: 'yahoo' };
    };
    const spring = await store.getRange(daily, { from: '2026-03-10', to: '2026-05-20' }, loader);
    expect(calls).toEqual([{ from: '2026-03-01', to: '2026-05-31' }]);
    expect(spring.bars[0]?.sessionDate).toBe('2026-03-10');
    expect(spring.bars.at(-1)?.sessionDate).toBe('2026-05-20');
    expect(spring.bars).toHaveLength(calendar.tradingDays('2026-03-10', '2026-05-20').length);
    const april = await store.getRange(daily, { from: '2026-04-01', to: '2026-04-30' }, loader);
    expect(calls).toHaveLength(1);
    expect(april.bars).toHaveLength(calendar.tradingDays('2026-04-01', '2026-04-30').length);
  });

  it('rejects a range whose from is after its to', async () => {
    const { store } = setup();
    await expect(store.getRange(series, { from: '2026-06-12', to: '2026-06-08' }, upstream([]))).rejects.toMatchObject({
      name: 'ValidationError',
    });
  });
});

describe.skipIf(!redisUrl())('createBarStore over Redis', () => {
  it('serves spans another process stored, in one round trip, without loading', async () => {
    const redis = new Redis(redisUrl() as string);
    await redis.ping();
    const prefix = testPrefix('bars-shared');
    const a = setup(undefined, redis, prefix);
    const b = setup(undefined, redis, prefix);
    try {
      const calls: SessionRange[] = [];
      await a.store.getRange(series, { from: '2026-06-08', to: '2026-06-12' }, upstream(calls));
      const again = await b.store.getRange(series, { from: '2026-06-08', to: '2026-06-12' }, upstream(calls));
      expect(calls).toHaveLength(1);
      expect(again.bars).toHaveLength(5 * 78);
      expect(b.cache.stats()).toMatchObject({ l2Hits: 5, l1Misses: 5 });
    } finally {
      await a.cache.close();
      await b.cache.close();
      await redis.quit();
    }
  });
});
