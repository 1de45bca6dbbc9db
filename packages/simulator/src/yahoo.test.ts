import { manualClock } from '@stockade/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_NOISE_BPS } from './market-view.js';
import { type Simulator, startSimulator } from './server.js';

interface ChartResult {
  meta: Record<string, unknown>;
  timestamp?: number[];
  events?: {
    dividends?: Record<string, { amount: number; date: number }>;
    splits?: Record<string, Record<string, unknown>>;
  };
  indicators: { quote: [Record<string, Array<number | null>>]; adjclose?: [{ adjclose: number[] }] };
}

describe('yahoo', () => {
  // Tuesday 2026-03-10, 11:00 New York: a regular session.
  const clock = manualClock(Date.parse('2026-03-10T15:00:00Z'));
  let sim: Simulator;
  let base: string;

  beforeAll(async () => {
    sim = await startSimulator({ seed: 42, clock });
    base = sim.url('yahoo');
  });
  afterAll(() => sim.stop());

  async function session(): Promise<{ cookie: string; crumb: string }> {
    const fc = await fetch(`${base}/fc`);
    expect(fc.status).toBe(404); // fc.yahoo.com answers 404 and sets the cookie all the same
    const cookie = (fc.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    expect(cookie).toMatch(/^A3=d=AQABBA/);
    const res = await fetch(`${base}/v1/test/getcrumb`, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return { cookie, crumb: await res.text() };
  }

  const quote = (symbols: string, s: { cookie: string; crumb: string }) =>
    fetch(`${base}/v7/finance/quote?symbols=${encodeURIComponent(symbols)}&crumb=${encodeURIComponent(s.crumb)}`, {
      headers: { cookie: s.cookie },
    });

  const chart = async (symbol: string, query: string): Promise<ChartResult> => {
    const res = await fetch(`${base}/v8/finance/chart/${encodeURIComponent(symbol)}?${query}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { chart: { result: [ChartResult] } }).chart.result[0];
  };

  describe('cookie and crumb flow', () => {
    it('serves quotes to the cookie and crumb it issued, and 401 Invalid Crumb otherwise', async () => {
      const s = await session();
      expect(s.crumb).toMatch(/^[A-Za-z0-9./]{11}$/);
      expect((await quote('AAPL', s)).status).toBe(200);
      const noCookie = await fetch(`${base}/v7/finance/quote?symbols=AAPL&crumb=${s.crumb}`);
      expect(noCookie.status).toBe(401);
      expect(await noCookie.json()).toEqual({
        finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } },
      });
      expect((await quote('AAPL', { cookie: s.cookie, crumb: 'wrongcrumb1' })).status).toBe(401);
      const noCrumbCookie = await fetch(`${base}/v1/test/getcrumb`);
      expect(noCrumbCookie.status).toBe(401);
      expect(await noCrumbCookie.json()).toMatchObject({ finance: { error: { description: 'Invalid Cookie' } } });
    });

    it('rejects crumbs issued before expiredCrumb was switched on, until a new crumb is fetched', async () => {
      const s = await session();
      expect((await quote('AAPL', s)).status).toBe(200);
      sim.faults.set('yahoo', { expiredCrumb: true });
      const before = sim.stats.faultsServed('yahoo', 'expiredCrumb');
      const expired = await quote('AAPL', s);
      expect(expired.status).toBe(401);
      expect(await expired.json()).toMatchObject({ finance: { error: { description: 'Invalid Crumb' } } });
      expect(sim.stats.faultsServed('yahoo', 'expiredCrumb')).toBe(before + 1);
      const fresh = await (await fetch(`${base}/v1/test/getcrumb`, { headers: { cookie: s.cookie } })).text();
      expect(fresh).not.toBe(s.crumb);
      expect((await quote('AAPL', { cookie: s.cookie, crumb: fresh })).status).toBe(200);
      sim.faults.clear('yahoo');
    });

    it('answers 401 "User is unable to access this feature" while the quote endpoint is switched off', async () => {
      const s = await session();
      sim.faults.set('yahoo', { quoteEndpointDisabled: true });
      const res = await quote('AAPL', s);
      sim.faults.clear('yahoo');
      expect(res.status).toBe(401);
      expect(((await res.json()) as { finance: { error: { description: string } } }).finance.error.description).toBe(
        'User is unable to access this feature - https://bit.ly/yahoo-finance-api-feedback',
      );
      expect((await fetch(`${base}/v8/finance/chart/AAPL`)).status).toBe(200); // the chart needs no crumb
    });
  });

  describe('quote', () => {
    it('answers in the order asked, in Yahoo spellings, silently leaving out unknown symbols', async () => {
      const s = await session();
      const res = await quote('BRK-B,NOPE,BTC-USD,^GSPC,EURUSD=X,AAPL,AAPL', s);
      const body = (await res.json()) as { quoteResponse: { result: Array<Record<string, unknown>>; error: null } };
      expect(body.quoteResponse.error).toBeNull();
      expect(body.quoteResponse.result.map((r) => r.symbol)).toEqual(['BRK-B', 'BTC-USD', '^GSPC', 'EURUSD=X', 'AAPL']);
      expect(body.quoteResponse.result.map((r) => r.quoteType)).toEqual([
        'EQUITY',
        'CRYPTOCURRENCY',
        'INDEX',
        'CURRENCY',
        'EQUITY',
      ]);
      expect(body.quoteResponse.result[4]).toMatchObject({ marketState: 'REGULAR', currency: 'USD' });
    });

    it('serves the true price within the provider noise, and follows the clock', async () => {
      const s = await session();
      const price = async () =>
        ((await (await quote('AAPL', s)).json()) as { quoteResponse: { result: [{ regularMarketPrice: number }] } })
          .quoteResponse.result[0].regularMarketPrice;
      const served = await price();
      const truth = sim.truePrice('AAPL');
      expect(Math.abs(served / truth - 1)).toBeLessThanOrEqual(PROVIDER_NOISE_BPS / 10_000 + 0.005 / truth);
      clock.advance(5 * 60_000);
      const later = await price();
      clock.advance(-5 * 60_000);
      expect(later).not.toBe(served);
    });

    it('reports the post-market of a closed session, and the price frozen at the close', async () => {
      const s = await session();
      clock.set(Date.parse('2026-03-14T15:00:00Z')); // Saturday
      const r = (
        (await (await quote('AAPL', s)).json()) as { quoteResponse: { result: [Record<string, number | string>] } }
      ).quoteResponse.result[0];
      const friday = sim.truePrice('AAPL');
      clock.set(Date.parse('2026-03-10T15:00:00Z'));
      expect(r.marketState).toBe('CLOSED');
      expect(r.regularMarketTime).toBe(Date.parse('2026-03-13T20:00:00Z') / 1000);
      expect(r.postMarketTime).toBe(Date.parse('2026-03-14T00:00:00Z') / 1000);
      expect(Math.abs((r.regularMarketPrice as number) / friday - 1)).toBeLessThan(0.001);
    });
  });

  describe('chart', () => {
    it('returns 404 "No data found, symbol may be delisted" for a symbol it does not list', async () => {
      const res = await fetch(`${base}/v8/finance/chart/ZZZZ?range=1d`);
      expect(res.status).toBe(404);
      expect(await res.json()).toEqual({
        chart: { result: null, error: { code: 'Not Found', description: 'No data found, symbol may be delisted' } },
      });
    });

    it('gives five daily bars for range=5d, stamped at the 09:30 open', async () => {
      const r = await chart('AAPL', 'range=5d&interval=1d');
      expect(r.timestamp).toHaveLength(5);
      expect(r.meta.range).toBe('5d');
      expect(new Date((r.timestamp?.[4] ?? 0) * 1000).toISOString()).toBe('2026-03-10T13:30:00.000Z');
      expect(r.indicators.adjclose?.[0].adjclose).toHaveLength(5);
    });

    it('lists the AAPL 4:1 split and quarterly dividends, and adjusts closes before dividends', async () => {
      const r = await chart('AAPL', 'period1=1577836800&period2=1609459200&interval=1d&events=div%7Csplit');
      expect(Object.values(r.events?.splits ?? {})).toEqual([
        { date: Date.parse('2020-08-31T13:30:00Z') / 1000, numerator: 4, denominator: 1, splitRatio: '4:1' },
      ]);
      const dividends = Object.values(r.events?.dividends ?? {});
      expect(dividends).toHaveLength(4);
      for (const d of dividends) expect(d.amount).toBeGreaterThan(0);
      // adjclose takes out every dividend paid since the bar, up to now: the factor grows towards 1.
      const close = r.indicators.quote[0].close as number[];
      const factors = (r.indicators.adjclose?.[0].adjclose ?? []).map((a, i) => a / (close[i] as number));
      expect(factors[0]).toBeLessThan(factors[factors.length - 1] as number);
      expect(factors[factors.length - 1]).toBeLessThan(1);
    });

    it('leaves out a minute now and then as an all-null bar, as real Yahoo does', async () => {
      clock.set(Date.parse('2026-03-14T15:00:00Z'));
      const r = await chart('MSFT', 'range=5d&interval=1m');
      clock.set(Date.parse('2026-03-10T15:00:00Z'));
      const q = r.indicators.quote[0];
      const nulls = (q.close ?? []).flatMap((v, i) => (v === null ? [i] : []));
      expect(r.timestamp).toHaveLength(5 * 390);
      expect(nulls.length).toBeGreaterThan(0);
      for (const field of ['open', 'high', 'low', 'volume']) {
        expect(nulls.every((i) => q[field]?.[i] === null)).toBe(true);
      }
    });

    it('adds extended hours and the pre/regular/post trading periods with includePrePost=true', async () => {
      const r = await chart('AAPL', 'period1=1773100800&period2=1773187200&interval=5m&includePrePost=true');
      const first = new Date((r.timestamp?.[0] ?? 0) * 1000).toISOString();
      expect(first).toBe('2026-03-10T08:00:00.000Z'); // 04:00 New York
      expect(Object.keys(r.meta.tradingPeriods as object)).toEqual(['pre', 'regular', 'post']);
    });

    it('refuses more than a week of 1m bars with the real 422', async () => {
      const res = await fetch(`${base}/v8/finance/chart/AAPL?interval=1m&period1=1772323200&period2=1773100800`);
      expect(res.status).toBe(422);
      expect(await res.json()).toMatchObject({ chart: { result: null, error: { code: 'Unprocessable Entity' } } });
    });

    it('trades crypto at the weekend, not equities', async () => {
      clock.set(Date.parse('2026-03-15T12:00:00Z')); // Sunday
      const btc = await chart('BTC-USD', 'range=1d&interval=1h');
      const aapl = await chart('AAPL', 'period1=1773446400&period2=1773532800&interval=1h');
      clock.set(Date.parse('2026-03-10T15:00:00Z'));
      expect(btc.timestamp?.length).toBe(12);
      expect(aapl.timestamp).toBeUndefined();
      expect(aapl.indicators).toEqual({ quote: [{}] });
    });
  });

  it('counts requests per endpoint', async () => {
    sim.stats.reset();
    await session();
    await fetch(`${base}/v8/finance/chart/AAPL`);
    expect(sim.stats.requests('yahoo')).toBe(3);
    expect(sim.stats.requests('yahoo', 'cookie')).toBe(1);
    expect(sim.stats.requests('yahoo', 'getcrumb')).toBe(1);
    expect(sim.stats.requests('yahoo', 'chart')).toBe(1);
    expect(sim.stats.snapshot().yahoo.statuses).toEqual({ '200': 2, '404': 1 });
  });
});
