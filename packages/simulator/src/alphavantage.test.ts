import { manualClock } from '@stockade/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROVIDER_NOISE_BPS } from './market-view.js';
import { type Simulator, startSimulator } from './server.js';

type Body = Record<string, Record<string, unknown> | string | unknown[]>;

describe('alphavantage', () => {
  const clock = manualClock(Date.parse('2026-03-10T15:00:00Z'));
  const KEY = 'ABCDEFGHIJ123456';
  let sim: Simulator;
  const call = async (query: string, key: string | null = KEY): Promise<{ status: number; body: Body }> => {
    const res = await fetch(`${sim.url('alphavantage')}/query?${query}${key === null ? '' : `&apikey=${key}`}`);
    return { status: res.status, body: (await res.json()) as Body };
  };

  beforeAll(async () => {
    sim = await startSimulator({ seed: 42, clock, keys: { alphavantage: KEY } });
  });
  afterAll(() => sim.stop());

  describe('errors arrive as HTTP 200 with one key', () => {
    it('"Error Message" for a missing or wrong key, and for the badKey fault', async () => {
      for (const key of [null, 'WRONGKEY12345678']) {
        const r = await call('function=GLOBAL_QUOTE&symbol=MSFT', key);
        expect(r.status).toBe(200);
        expect(Object.keys(r.body)).toEqual(['Error Message']);
        expect(r.body['Error Message']).toMatch(/^the parameter apikey is invalid or missing/);
      }
      sim.faults.set('alphavantage', { badKey: true });
      const r = await call('function=GLOBAL_QUOTE&symbol=MSFT');
      sim.faults.clear('alphavantage');
      expect(r.body['Error Message']).toMatch(/apikey is invalid or missing/);
      expect(sim.stats.faultsServed('alphavantage', 'badKey')).toBe(1);
    });

    it('"Error Message" for an unknown function or a bad call', async () => {
      expect((await call('function=BATCH_STOCK_QUOTES&symbols=MSFT')).body).toEqual({
        'Error Message': 'This API function (BATCH_STOCK_QUOTES) does not exist.',
      });
      expect((await call('function=TIME_SERIES_DAILY&symbol=NOPE')).body).toEqual({
        'Error Message':
          'Invalid API call. Please retry or visit the documentation (https://www.alphavantage.co/documentation/) for TIME_SERIES_DAILY.',
      });
      expect((await call('function=GLOBAL_QUOTE&symbol=NOPE')).body).toEqual({ 'Global Quote': {} });
    });

    it('"Note" past 5 calls a minute, free again a minute later on the simulator clock', async () => {
      sim.faults.set('alphavantage', { quota: { perMinute: 5 } });
      const bodies = [];
      for (let i = 0; i < 6; i++) bodies.push((await call('function=GLOBAL_QUOTE&symbol=MSFT')).body);
      expect(bodies.slice(0, 5).every((b) => 'Global Quote' in b)).toBe(true);
      expect(Object.keys(bodies[5] ?? {})).toEqual(['Note']);
      expect(bodies[5]?.Note).toMatch(/standard API call frequency is 5 calls per minute/);
      clock.advance(60_000);
      const after = await call('function=GLOBAL_QUOTE&symbol=MSFT');
      clock.advance(-60_000);
      sim.faults.clear('alphavantage');
      expect(Object.keys(after.body)).toEqual(['Global Quote']);
      expect(sim.stats.faultsServed('alphavantage', 'quotaMinute')).toBe(1);
    });

    it('"Information" echoing the key past 25 calls a day', async () => {
      sim.faults.set('alphavantage', { quota: { perDay: 25 } });
      let last: Body = {};
      for (let i = 0; i < 26; i++) {
        clock.advance(1000);
        last = (await call('function=GLOBAL_QUOTE&symbol=MSFT')).body;
      }
      clock.advance(-26_000);
      sim.faults.clear('alphavantage');
      expect(Object.keys(last)).toEqual(['Information']);
      expect(last.Information).toContain(`We have detected your API key as ${KEY}`);
      expect(last.Information).toContain('25 requests per day');
    });

    it('"Information" about a premium endpoint for a function switched off', async () => {
      sim.faults.set('alphavantage', { notEntitled: ['TIME_SERIES_INTRADAY'] });
      const r = await call('function=TIME_SERIES_INTRADAY&symbol=MSFT&interval=5min');
      sim.faults.clear('alphavantage');
      expect(r.body.Information).toMatch(/This is a premium endpoint/);
    });
  });

  it('GLOBAL_QUOTE runs a minute behind the clock, within the noise of the true price', async () => {
    const r = await call('function=GLOBAL_QUOTE&symbol=MSFT');
    const q = r.body['Global Quote'] as Record<string, string>;
    const truth = sim.truePrice('MSFT', clock.now() - 60_000);
    expect(Math.abs(Number(q['05. price']) / truth - 1)).toBeLessThanOrEqual(PROVIDER_NOISE_BPS / 10_000 + 0.0001);
    expect(q['07. latest trading day']).toBe('2026-03-10');
    expect(q['10. change percent']).toMatch(/^-?\d+\.\d{4}%$/);
  });

  it('TIME_SERIES_DAILY is raw: before the 4:1 split AAPL closes near four times its later price', async () => {
    clock.set(Date.parse('2020-09-15T15:00:00Z'));
    const r = await call('function=TIME_SERIES_DAILY&symbol=AAPL');
    clock.set(Date.parse('2026-03-10T15:00:00Z'));
    const series = r.body['Time Series (Daily)'] as Record<string, Record<string, string>>;
    expect(Object.keys(series)).toHaveLength(100);
    expect(Object.keys(series)[0]).toBe('2020-09-14'); // completed sessions only, newest first
    const before = Number(series['2020-08-28']?.['4. close']);
    const after = Number(series['2020-08-31']?.['4. close']);
    expect(before / after).toBeGreaterThan(3.4);
    expect(before / after).toBeLessThan(4.6);
    expect(Number(series['2020-08-28']?.['5. volume'])).toBeLessThan(Number(series['2020-08-31']?.['5. volume']));
  });

  it('TIME_SERIES_INTRADAY gives 100 complete bars stamped on the Eastern clock, extended hours included', async () => {
    const r = await call('function=TIME_SERIES_INTRADAY&symbol=MSFT&interval=5min');
    const series = r.body['Time Series (5min)'] as Record<string, unknown>;
    const stamps = Object.keys(series);
    expect(stamps).toHaveLength(100);
    expect(stamps[0]).toBe('2026-03-10 10:50:00');
    expect(stamps).toContain('2026-03-09 19:55:00');
    expect((r.body['Meta Data'] as Record<string, string>)['3. Last Refreshed']).toBe('2026-03-10 10:50:00');
  });

  it('SYMBOL_SEARCH ranks symbol prefixes first', async () => {
    const r = await call('function=SYMBOL_SEARCH&keywords=MS');
    const matches = r.body.bestMatches as Array<Record<string, string>>;
    expect(matches[0]).toMatchObject({
      '1. symbol': 'MSFT',
      '2. name': 'Microsoft Corporation',
      '7. timezone': 'UTC-04',
      '9. matchScore': '0.5000',
    });
  });

  it('CURRENCY_EXCHANGE_RATE works both ways round and for crypto', async () => {
    const rate = async (from: string, to: string) =>
      Number(
        (
          (await call(`function=CURRENCY_EXCHANGE_RATE&from_currency=${from}&to_currency=${to}`)).body[
            'Realtime Currency Exchange Rate'
          ] as Record<string, string>
        )['5. Exchange Rate'],
      );
    const eurusd = await rate('EUR', 'USD');
    expect(eurusd * (await rate('USD', 'EUR'))).toBeCloseTo(1, 8);
    expect(Math.abs(eurusd / sim.truePrice('EURUSD=X', clock.now() - 60_000) - 1)).toBeLessThan(0.001);
    expect(await rate('BTC', 'USD')).toBeGreaterThan(1000);
  });

  it('FX_DAILY and DIGITAL_CURRENCY_DAILY give daily series newest first', async () => {
    const fx = (await call('function=FX_DAILY&from_symbol=EUR&to_symbol=USD')).body['Time Series FX (Daily)'] as Record<
      string,
      Record<string, string>
    >;
    expect(Object.keys(fx)).toHaveLength(100);
    expect(Object.keys(fx)[0]).toBe('2026-03-10');
    expect(Object.keys(Object.values(fx)[0] ?? {})).toEqual(['1. open', '2. high', '3. low', '4. close']);
    const btc = (await call('function=DIGITAL_CURRENCY_DAILY&symbol=BTC&market=USD')).body;
    const series = btc['Time Series (Digital Currency Daily)'] as Record<string, Record<string, string>>;
    expect(Object.keys(series)[0]).toBe('2026-03-09');
    expect(Object.keys(series)).toContain('2026-03-08'); // a Sunday: crypto trades every day
    expect((btc['Meta Data'] as Record<string, string>)['3. Digital Currency Name']).toBe('Bitcoin');
  });
});
