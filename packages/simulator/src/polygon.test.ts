import { manualClock } from '@stockade/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DELAYED_PLAN_MS, PROVIDER_NOISE_BPS } from './market-view.js';
import { type Simulator, startSimulator } from './server.js';

type Json = Record<string, unknown>;
interface Agg {
  o: number;
  c: number;
  h: number;
  l: number;
  t: number;
  v?: number;
  vw?: number;
  n?: number;
}

describe('polygon and massive', () => {
  const clock = manualClock(Date.parse('2026-03-10T15:00:00Z'));
  const KEY = 'k'.repeat(32);
  let sim: Simulator;
  const get = async (path: string, init: RequestInit = {}, provider: 'polygon' | 'massive' = 'polygon') => {
    const res = await fetch(`${sim.url(provider)}${path}`, init);
    return { res, body: (await res.json()) as Json };
  };
  const withKey = (path: string) => `${path}${path.includes('?') ? '&' : '?'}apiKey=${KEY}`;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 42, clock, keys: { polygon: KEY, massive: KEY } });
  });
  afterAll(() => sim.stop());

  describe('auth', () => {
    it('accepts the key as apiKey or as a Bearer token, and answers with X-Request-Id', async () => {
      const q = await get(withKey('/v2/aggs/ticker/AAPL/prev'));
      const b = await get('/v2/aggs/ticker/AAPL/prev', { headers: { authorization: `Bearer ${KEY}` } });
      expect(q.res.status).toBe(200);
      expect(b.res.status).toBe(200);
      expect(q.res.headers.get('x-request-id')).toBe(q.body.request_id);
      expect(q.body.request_id).toMatch(/^[0-9a-f]{32}$/);
    });

    it('answers 401 "API Key was not provided" without a key and "Unknown API Key" for another', async () => {
      const none = await get('/v2/aggs/ticker/AAPL/prev');
      expect(none.res.status).toBe(401);
      expect(none.body).toMatchObject({ status: 'ERROR', error: 'API Key was not provided' });
      const wrong = await get('/v2/aggs/ticker/AAPL/prev?apiKey=nope');
      expect(wrong.res.status).toBe(401);
      expect(wrong.body).toMatchObject({ status: 'ERROR', error: 'Unknown API Key' });
    });
  });

  describe('aggregates', () => {
    it('page long ranges through next_url and return every bar exactly once', async () => {
      const all = (await get(withKey('/v2/aggs/ticker/AAPL/range/1/day/2024-01-01/2026-03-06?limit=50000'))).body
        .results as Agg[];
      expect(all.length).toBeGreaterThan(500);
      const seen: number[] = [];
      let url: string | undefined = withKey('/v2/aggs/ticker/AAPL/range/1/day/2024-01-01/2026-03-06?limit=120');
      let pages = 0;
      while (url !== undefined) {
        const { body } = await get(url.replace(sim.url('polygon'), ''));
        seen.push(...(body.results as Agg[]).map((r) => r.t));
        expect(body.resultsCount).toBe((body.results as Agg[]).length);
        url = typeof body.next_url === 'string' ? withKey(body.next_url) : undefined;
        pages += 1;
      }
      expect(pages).toBe(Math.ceil(all.length / 120));
      expect(seen).toEqual(all.map((r) => r.t));
    });

    it('page in descending order too', async () => {
      const first = (await get(withKey('/v2/aggs/ticker/MSFT/range/1/day/2026-01-01/2026-03-06?sort=desc&limit=10')))
        .body;
      const ts = (first.results as Agg[]).map((r) => r.t);
      expect(ts).toEqual([...ts].sort((a, b) => b - a));
      const next = (await get(withKey(String(first.next_url).replace(sim.url('polygon'), '')))).body;
      expect(((next.results as Agg[])[0] as Agg).t).toBeLessThan(ts[9] as number);
    });

    it('serve one page of a years-long minute range, from either end', async () => {
      const asc = (await get(withKey('/v2/aggs/ticker/AAPL/range/1/minute/2020-01-01/2026-03-10?limit=1000'))).body;
      const ascBars = asc.results as Agg[];
      expect(ascBars).toHaveLength(1000);
      expect(new Date((ascBars[0] as Agg).t).toISOString()).toBe('2020-01-02T09:00:00.000Z'); // 04:00 New York
      expect(String(asc.next_url)).toContain(`/range/1/minute/${(ascBars[999] as Agg).t + 60_000}/2026-03-10?cursor=`);
      const desc = (await get(withKey('/v2/aggs/ticker/AAPL/range/1/minute/2020-01-01/2026-03-10?limit=500&sort=desc')))
        .body;
      const descBars = desc.results as Agg[];
      expect(descBars).toHaveLength(500);
      expect(new Date((descBars[0] as Agg).t).toISOString()).toBe('2026-03-10T14:59:00.000Z');
      expect(descBars.every((b, i) => i === 0 || b.t < (descBars[i - 1] as Agg).t)).toBe(true);
    });

    it('stamp daily stock bars at New York midnight, and have none on weekends or holidays', async () => {
      const bars = (await get(withKey('/v2/aggs/ticker/AAPL/range/1/day/2026-01-16/2026-01-20'))).body.results as Agg[];
      // Friday 16 January, then Tuesday 20 (Monday 19 is Martin Luther King Jr. Day).
      expect(bars.map((b) => new Date(b.t).toISOString())).toEqual([
        '2026-01-16T05:00:00.000Z',
        '2026-01-20T05:00:00.000Z',
      ]);
    });

    it('include pre-market minutes for stocks', async () => {
      const bars = (await get(withKey('/v2/aggs/ticker/AAPL/range/1/minute/2026-03-10/2026-03-10'))).body
        .results as Agg[];
      expect(new Date((bars[0] as Agg).t).toISOString()).toBe('2026-03-10T08:00:00.000Z'); // 04:00 New York
      expect(new Date((bars[bars.length - 1] as Agg).t).toISOString()).toBe('2026-03-10T14:59:00.000Z'); // up to the clock
    });

    it('leave volume, VWAP and trade count out of index bars; stamp crypto at UTC midnight with fractional volume', async () => {
      const spx = (await get(withKey('/v2/aggs/ticker/I:SPX/range/1/day/2026-03-02/2026-03-06'))).body.results as Agg[];
      expect(spx).toHaveLength(5);
      expect(Object.keys(spx[0] as Agg).sort()).toEqual(['c', 'h', 'l', 'o', 't']);
      const btc = (await get(withKey('/v2/aggs/ticker/X:BTCUSD/range/1/day/2026-03-07/2026-03-08'))).body
        .results as Agg[];
      expect(btc.map((b) => new Date(b.t).toISOString())).toEqual([
        '2026-03-07T00:00:00.000Z',
        '2026-03-08T00:00:00.000Z',
      ]);
      expect(Number.isInteger((btc[0] as Agg).v)).toBe(false);
    });

    it('are split-adjusted unless adjusted=false', async () => {
      const path = '/v2/aggs/ticker/NVDA/range/1/day/2024-06-07/2024-06-07';
      const adjusted = ((await get(withKey(path))).body.results as Agg[])[0] as Agg;
      const raw = ((await get(withKey(`${path}?adjusted=false`))).body.results as Agg[])[0] as Agg;
      expect(raw.c / adjusted.c).toBeCloseTo(10, 3);
      expect(((raw.v ?? 0) * 10) / (adjusted.v ?? 1)).toBeCloseTo(1, 3);
    });

    it('answer 403 for a range that starts in the future, and an empty OK for an unknown ticker', async () => {
      expect((await get(withKey('/v2/aggs/ticker/AAPL/range/1/day/2026-04-01/2026-04-02'))).res.status).toBe(403);
      const unknown = await get(withKey('/v2/aggs/ticker/ZZZZ/range/1/day/2026-03-02/2026-03-06'));
      expect(unknown.res.status).toBe(200);
      expect(unknown.body).toMatchObject({ ticker: 'ZZZZ', resultsCount: 0, status: 'OK' });
      expect(unknown.body).not.toHaveProperty('results');
    });
  });

  describe('snapshots and last trade', () => {
    it('serve the listed tickers only, at the true price within the noise', async () => {
      const { body } = await get(withKey('/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL,ZZZZ,MSFT'));
      const tickers = body.tickers as Array<{ ticker: string; lastTrade: { p: number }; day: { c: number } }>;
      expect(body.count).toBe(2);
      expect(tickers.map((t) => t.ticker)).toEqual(['AAPL', 'MSFT']);
      const aapl = tickers[0] as (typeof tickers)[0];
      expect(Math.abs(aapl.lastTrade.p / sim.truePrice('AAPL') - 1)).toBeLessThanOrEqual(
        PROVIDER_NOISE_BPS / 10_000 + 0.0001,
      );
      const single = await get(withKey('/v2/snapshot/locale/us/markets/stocks/tickers/ZZZZ'));
      expect(single.res.status).toBe(404);
    });

    it('answer 403 NOT_AUTHORIZED for an endpoint the plan lacks, and drop fmv when it is switched off', async () => {
      sim.faults.set('polygon', { notEntitled: ['snapshot', 'fmv'] });
      const denied = await get(withKey('/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL'));
      const single = await get(withKey('/v2/snapshot/locale/us/markets/stocks/tickers/AAPL'));
      const aggs = await get(withKey('/v2/aggs/ticker/AAPL/prev'));
      sim.faults.clear('polygon');
      expect(denied.res.status).toBe(403);
      expect(denied.body).toMatchObject({ status: 'NOT_AUTHORIZED', message: expect.stringContaining('not entitled') });
      expect(single.res.status).toBe(200);
      expect(single.body.ticker).not.toHaveProperty('fmv');
      expect(aggs.res.status).toBe(200);
      expect(sim.stats.faultsServed('polygon', 'notEntitled')).toBe(1);
    });

    it('give Massive its decimal-string share fields and its own next_url host and pricing link', async () => {
      const snap = (await get(withKey('/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL'), {}, 'massive'))
        .body;
      const t = (snap.tickers as Array<Record<string, Record<string, unknown>>>)[0] ?? {};
      expect(t.day?.dv).toBe(`${t.day?.v}.0`);
      expect(typeof t.lastTrade?.ds).toBe('string');
      expect(typeof t.min?.dav).toBe('string');
      const last = (await get(withKey('/v2/last/trade/AAPL'), {}, 'massive')).body;
      expect(typeof (last.results as Json).ds).toBe('string');
      const poly = (await get(withKey('/v2/last/trade/AAPL'))).body;
      expect(poly.results).not.toHaveProperty('ds');
      const page = (await get(withKey('/v2/aggs/ticker/AAPL/range/1/day/2026-01-01/2026-03-06?limit=5'), {}, 'massive'))
        .body;
      expect(String(page.next_url).startsWith(`${sim.url('massive')}/v2/aggs/ticker/AAPL/range/1/day/`)).toBe(true);
      sim.faults.set('massive', { quota: { perMinute: 0 } });
      const limited = await get(withKey('/v2/last/trade/AAPL'), {}, 'massive');
      sim.faults.clear('massive');
      expect(limited.body.error).toContain('https://massive.com/pricing');
    });

    it('give last trades nanosecond timestamps and index snapshots their value', async () => {
      const last = (await get(withKey('/v2/last/trade/AAPL'))).body.results as Record<string, number>;
      expect(last.t).toBeGreaterThan(1e18);
      expect(Math.floor((last.t ?? 0) / 1e6)).toBe(clock.now());
      const indices = (await get(withKey('/v3/snapshot/indices?ticker.any_of=I:SPX'))).body.results as Array<
        Record<string, number>
      >;
      expect(Math.abs((indices[0]?.value ?? 0) / sim.truePrice('^GSPC') - 1)).toBeLessThan(0.0005);
    });
  });

  it('answers 429 past 5 calls a minute, and again a minute later on the clock', async () => {
    sim.faults.set('polygon', { quota: { perMinute: 5 } });
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await get(withKey('/v2/aggs/ticker/AAPL/prev'))).res.status);
    const limited = await get(withKey('/v2/aggs/ticker/AAPL/prev'));
    clock.advance(60_000);
    const after = await get(withKey('/v2/aggs/ticker/AAPL/prev'));
    clock.advance(-60_000);
    sim.faults.clear('polygon');
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(limited.body).toMatchObject({
      status: 'ERROR',
      error:
        "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing",
    });
    expect(limited.res.headers.get('retry-after')).toBeNull(); // the real API sends no rate-limit headers
    expect(after.res.status).toBe(200);
  });

  it('serves a delayed plan 15 minutes late with status DELAYED', async () => {
    sim.faults.set('polygon', { delayedPlan: true });
    const { body } = await get(withKey('/v2/last/trade/AAPL'));
    sim.faults.clear('polygon');
    expect(body.status).toBe('DELAYED');
    const p = (body.results as { p: number }).p;
    const late = sim.truePrice('AAPL', clock.now() - DELAYED_PLAN_MS);
    expect(Math.abs(p / late - 1)).toBeLessThanOrEqual(PROVIDER_NOISE_BPS / 10_000 + 0.0001);
    const current = ((await get(withKey('/v2/last/trade/AAPL'))).body.results as { p: number }).p;
    expect(p).not.toBe(current);
  });
});
