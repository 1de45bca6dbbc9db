import { readFileSync } from 'node:fs';
import { manualClock } from '@stockade/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './server.js';
import { compareShapes } from './shape.js';

const FIXTURES = new URL('../../../../shared/fixtures/', import.meta.url);
const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'));
const KEY = 'A'.repeat(32);

/**
 * Every endpoint the simulator serves is compared with the real recorded body for it in
 * shared/fixtures: same keys, same value types, recursively. The clock is pinned next to the
 * recording so that the same ranges are valid.
 */
describe('bodies have the structure of the real recorded payloads', () => {
  const clock = manualClock(Date.parse('2025-02-20T15:00:00Z'));
  let sim: Simulator;
  const body = async (provider: Parameters<Simulator['url']>[0], path: string, init?: RequestInit) => {
    const res = await fetch(`${sim.url(provider)}${path}`, init);
    const text = await res.text();
    return { status: res.status, text, json: (): unknown => JSON.parse(text) };
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 7, clock, symbols: ['AAPL', 'MSFT', 'BABA', 'META', 'BTC-USD', 'EURUSD=X'] });
  });
  afterAll(() => sim.stop());

  describe('yahoo', () => {
    const chart = (symbol: string, query: string) => body('yahoo', `/v8/finance/chart/${symbol}?${query}`);

    it('daily chart of an equity matches chart-AAPL-1d', async () => {
      const r = await chart(
        'AAPL',
        'interval=1d&includePrePost=true&events=div%7Csplit%7Cearn&period1=1577836800&period2=1578009600',
      );
      expect(r.status).toBe(200);
      expect(compareShapes(r.json(), fixture('yahoo/chart-AAPL-1d-2020-01-01_2020-01-03.json'))).toEqual([]);
    });

    it('daily chart of a crypto pair matches chart-BTC-USD-1d, with the 1 January bar', async () => {
      const r = await chart(
        'BTC-USD',
        'interval=1d&includePrePost=true&events=div%7Csplit%7Cearn&period1=1577836800&period2=1578009600',
      );
      expect(compareShapes(r.json(), fixture('yahoo/chart-BTC-USD-1d-2020-01-01_2020-01-03.json'))).toEqual([]);
      expect((r.json() as { chart: { result: [{ timestamp: number[] }] } }).chart.result[0].timestamp).toEqual([
        1577836800, 1577923200, 1578009600,
      ]);
    });

    it('intraday chart matches chart-AAPL-1m, tradingPeriods included', async () => {
      clock.set(Date.parse('2024-10-04T15:00:00Z'));
      const r = await chart('AAPL', 'interval=1m&includePrePost=false&period1=1727827200&period2=1727913600');
      clock.set(Date.parse('2025-02-20T15:00:00Z'));
      expect(compareShapes(r.json(), fixture('yahoo/chart-AAPL-1m-2024-10-02-intraday.json'))).toEqual([]);
      const result = (r.json() as { chart: { result: [{ timestamp: number[] }] } }).chart.result[0];
      expect(result.timestamp).toHaveLength(390);
    });

    it('a weekend intraday range matches the empty-range fixture: no timestamp, quote [{}]', async () => {
      const r = await chart('AAPL', 'interval=1m&includePrePost=false&period1=1738368000&period2=1738454400');
      expect(compareShapes(r.json(), fixture('yahoo/chart-AAPL-1m-2025-02-01-weekend-no-bars.json'))).toEqual([]);
    });

    it('quote of two equities matches quote-AAPL-BABA when the market is closed', async () => {
      clock.set(Date.parse('2025-02-15T15:00:00Z')); // a Saturday
      const home = await fetch(`${sim.url('yahoo')}/fc`);
      const cookie = (home.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
      const crumb = await (await fetch(`${sim.url('yahoo')}/v1/test/getcrumb`, { headers: { cookie } })).text();
      const r = await body('yahoo', `/v7/finance/quote?symbols=AAPL,BABA&crumb=${crumb}`, { headers: { cookie } });
      clock.set(Date.parse('2025-02-20T15:00:00Z'));
      expect(r.status).toBe(200);
      expect(compareShapes(r.json(), fixture('yahoo/quote-AAPL-BABA.json'))).toEqual([]);
      const unknown = await body('yahoo', `/v7/finance/quote?symbols=UNIR.MI&crumb=${crumb}`, { headers: { cookie } });
      expect(unknown.json()).toEqual(fixture('yahoo/quote-UNIR.MI-empty-result.json'));
    });

    it('errors match the recorded 404, 400, 401 and 429 bodies', async () => {
      const missing = await chart('SI', 'interval=1d&period1=1577836800&period2=1578009600');
      expect(missing.status).toBe(404);
      expect(missing.json()).toEqual(fixture('yahoo/error-chart-404-SI-no-data-delisted.json'));
      const early = await chart('META', 'interval=1d&period1=1262304000&period2=1262476800');
      expect(early.status).toBe(400);
      expect(compareShapes(early.json(), fixture('yahoo/error-chart-400-BEKE-data-doesnt-exist.json'))).toEqual([]);
      const noCrumb = await body('yahoo', '/v7/finance/quote?symbols=AAPL');
      expect(noCrumb.status).toBe(401);
      expect(noCrumb.json()).toEqual(fixture('yahoo/error-401-invalid-crumb.json'));
      sim.faults.set('yahoo', { quoteEndpointDisabled: true });
      const disabled = await body('yahoo', '/v7/finance/quote?symbols=AAPL');
      expect(disabled.json()).toEqual(fixture('yahoo/error-401-user-unable-to-access-feature.json'));
      sim.faults.set('yahoo', { rateLimit: {} });
      const throttled = await body('yahoo', '/v1/test/getcrumb');
      sim.faults.clear('yahoo');
      expect(throttled.status).toBe(429);
      expect(throttled.text).toBe(
        readFileSync(new URL('yahoo/error-429-edge-too-many-requests.txt', FIXTURES), 'utf8').trim(),
      );
    });
  });

  describe('alphavantage', () => {
    const av = (query: string) => body('alphavantage', `/query?${query}&apikey=DEMOKEY1234567890`);

    it.each([
      ['function=GLOBAL_QUOTE&symbol=MSFT', 'alphavantage/global-quote-MSFT.json'],
      ['function=TIME_SERIES_DAILY&symbol=MSFT&outputsize=compact', 'alphavantage/time-series-daily-compact-MSFT.json'],
      [
        'function=TIME_SERIES_INTRADAY&symbol=MSFT&interval=1min',
        'alphavantage/time-series-intraday-1min-compact-MSFT.json',
      ],
      ['function=SYMBOL_SEARCH&keywords=BA', 'alphavantage/symbol-search-BA.json'],
      ['function=FX_DAILY&from_symbol=XXX&to_symbol=YYY', 'alphavantage/error-message-invalid-api-call.json'],
    ])('%s matches %s', async (query, file) => {
      const r = await av(query);
      expect(r.status).toBe(200);
      expect(compareShapes(r.json(), fixture(file))).toEqual([]);
    });

    it('quota answers match the Note and Information fixtures', async () => {
      sim.faults.set('alphavantage', { quota: { perMinute: 0 } });
      const minute = await av('function=GLOBAL_QUOTE&symbol=MSFT');
      sim.faults.set('alphavantage', { quota: { perDay: 0 } });
      const day = await av('function=GLOBAL_QUOTE&symbol=MSFT');
      sim.faults.clear('alphavantage');
      expect(compareShapes(minute.json(), fixture('alphavantage/error-note-rate-limit-legacy-5-per-min.json'))).toEqual(
        [],
      );
      expect(compareShapes(day.json(), fixture('alphavantage/error-information-rate-limit-25-per-day.json'))).toEqual(
        [],
      );
    });
  });

  describe('polygon', () => {
    const poly = (path: string, provider: 'polygon' | 'massive' = 'polygon') =>
      body(provider, `${path}${path.includes('?') ? '&' : '?'}apiKey=${KEY}`);

    it.each([
      [
        '/v2/aggs/ticker/AAPL/range/1/day/2023-01-01/2023-01-10?adjusted=true&sort=asc&limit=49999',
        'polygon/aggs-AAPL-1day-2023-01-01_2023-01-10.json',
      ],
      ['/v2/aggs/ticker/AAPL/prev', 'polygon/prev-AAPL.json'],
      ['/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL,MSFT', 'polygon/snapshot-tickers.json'],
      ['/v2/snapshot/locale/us/markets/stocks/tickers/AAPL', 'polygon/snapshot-ticker-AAPL.json'],
      ['/v2/last/trade/AAPL', 'polygon/last-trade-AAPL.json'],
    ])('%s matches %s', async (path, file) => {
      const r = await poly(path);
      expect(r.status).toBe(200);
      expect(compareShapes(r.json(), fixture(file))).toEqual([]);
    });

    it('the aggs of a day with no trades leave results out, as current responses do', async () => {
      const r = await poly('/v2/aggs/ticker/AAPL/range/1/day/2025-01-01/2025-01-01');
      const legacy = fixture('polygon/aggs-empty-results-null-legacy.json') as Record<string, unknown>;
      expect(r.json()).toMatchObject({ resultsCount: 0, queryCount: 0, adjusted: true, status: 'OK' });
      expect(r.json()).not.toHaveProperty('results');
      expect(Object.keys(legacy)).toContain('results');
    });

    it('errors match the recorded 401 and 403 bodies', async () => {
      const noKey = await body('polygon', '/v2/aggs/ticker/AAPL/prev');
      expect(noKey.status).toBe(401);
      expect(compareShapes(noKey.json(), fixture('polygon/error-401-api-key-not-provided.json'))).toEqual([]);
      expect(noKey.json()).toMatchObject({ error: 'API Key was not provided' });
      sim.faults.set('polygon', { notEntitled: ['prev'] });
      const denied = await poly('/v2/aggs/ticker/AAPL/prev');
      sim.faults.clear('polygon');
      expect(denied.status).toBe(403);
      expect(denied.json()).toMatchObject({
        status: 'NOT_AUTHORIZED',
        message: (fixture('polygon/error-403-not-authorized-not-entitled.json') as { message: string }).message,
      });
      const future = await poly('/v2/aggs/ticker/AAPL/range/1/day/2025-12-31/2025-12-31');
      expect(future.status).toBe(403);
      expect(future.json()).toMatchObject({
        message: (fixture('polygon/error-403-not-authorized-timeframe.json') as { message: string }).message,
      });
    });

    // Massive's files are doc samples, trimmed of fields the live API sends (`count`, `n`, `fmv`):
    // every field they show must be there with its type, and Massive's decimal fields must be added.
    it.each([
      ['/v2/aggs/ticker/AAPL/range/1/day/2020-01-01/2020-01-10?limit=2', 'massive/aggs-range-doc-sample.json'],
      ['/v2/aggs/ticker/AAPL/prev', 'massive/prev-doc-sample.json'],
      ['/v2/snapshot/locale/us/markets/stocks/tickers?tickers=AAPL', 'massive/snapshot-tickers-doc-sample.json'],
      ['/v2/last/trade/AAPL', 'massive/last-trade-doc-sample.json'],
    ])('massive %s has every field of %s', async (path, file) => {
      const r = await poly(path, 'massive');
      expect(r.status).toBe(200);
      expect(compareShapes(r.json(), fixture(file), { allowExtraKeys: true })).toEqual([]);
    });
  });
});
