import { manualClock } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { eventually, providerRejection } from '../test-support/rejection.js';
import { alphaVantageProvider } from './adapter.js';

const KEY = 'SIMAVKEY12345678';
// Tuesday 2025-03-04, 10:30 in New York.
const clock = manualClock(Date.parse('2025-03-04T15:30:00Z'));
let sim: Simulator;
let av: Provider;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 3,
    clock,
    keys: { alphavantage: KEY },
    symbols: ['AAPL', 'MSFT', 'BRK.B', 'SPY', 'BTC-USD', '^GSPC', 'EURUSD=X'],
  });
});
afterAll(async () => {
  await sim.stop();
});
afterEach(async () => {
  await av?.close();
  sim.faults.clear();
  sim.stats.reset();
});

function make(options: Parameters<typeof alphaVantageProvider>[0] = {}): Provider {
  av = alphaVantageProvider({ baseUrl: sim.url('alphavantage'), apiKey: KEY, clock, ...options });
  return av;
}

describe('alpha vantage adapter against the simulator', () => {
  it('quotes equities, crypto and fx with their own functions; indices are unavailable without a request', async () => {
    const { quotes, errors } = await make().quotes(['AAPL', 'BRK.B', 'BTC-USD', 'EURUSD=X', '^GSPC', 'NOPE']);
    expect(quotes.map((q) => q.symbol).sort()).toEqual(['AAPL', 'BRK.B', 'BTC-USD', 'EURUSD=X']);
    expect(errors.map((e) => [e.symbol, e.error.kind]).sort()).toEqual([
      ['NOPE', 'not_found'],
      ['^GSPC', 'unavailable'],
    ]);
    expect(sim.stats.requests('alphavantage', 'GLOBAL_QUOTE')).toBe(3);
    expect(sim.stats.requests('alphavantage', 'CURRENCY_EXCHANGE_RATE')).toBe(2);
    const btc = quotes.find((q) => q.symbol === 'BTC-USD');
    expect(btc).toMatchObject({ currency: 'USD', change: null });
    expect(btc?.bid).toBeLessThan(btc?.ask ?? 0);
    expect(quotes.find((q) => q.symbol === 'AAPL')).toMatchObject({
      delayed: true,
      marketState: 'regular',
      currency: 'USD',
    });
  });

  it('serves raw daily bars, intraday bars, crypto and fx daily bars', async () => {
    const a = make();
    const daily = await a.bars('AAPL', { interval: '1d', from: '2025-02-03', to: '2025-02-07' });
    expect(daily.adjustment).toBe('raw');
    expect(daily.bars.map((b) => b.sessionDate)).toEqual([
      '2025-02-03',
      '2025-02-04',
      '2025-02-05',
      '2025-02-06',
      '2025-02-07',
    ]);
    const intraday = await a.bars('MSFT', { interval: '5m', from: '2025-03-03', to: '2025-03-04' });
    expect(intraday.adjustment).toBe('split_dividend');
    expect(intraday.bars.length).toBeGreaterThan(0);
    expect(intraday.bars.every((b) => b.t % 300_000 === 0)).toBe(true);
    const btc = await a.bars('BTC-USD', { interval: '1d', from: '2025-02-01', to: '2025-02-03' });
    expect(btc.bars.map((b) => [b.sessionDate, new Date(b.t).toISOString()])).toEqual([
      ['2025-02-01', '2025-02-01T00:00:00.000Z'],
      ['2025-02-02', '2025-02-02T00:00:00.000Z'],
      ['2025-02-03', '2025-02-03T00:00:00.000Z'],
    ]);
    const fx = await a.bars('EURUSD=X', { interval: '1d', from: '2025-02-03', to: '2025-02-04' });
    expect(fx.bars).toHaveLength(2);
    expect(fx.bars.every((b) => b.v === undefined)).toBe(true);
    expect(fx.currency).toBe('USD');
  });

  it('keeps the key out of every error: the bad-key Error Message is auth', async () => {
    sim.faults.set('alphavantage', { badKey: true });
    const err = await providerRejection(make().quotes(['AAPL']));
    expect(err).toMatchObject({ kind: 'auth', status: 200 });
    expect(err.message).toContain('the parameter apikey is invalid or missing');
    expect(JSON.stringify(err)).not.toContain(KEY);
  });

  it('maps the per-minute quota (Note) and the daily quota (Information echoing the key) to rate_limited', async () => {
    sim.faults.set('alphavantage', { quota: { perMinute: 1 } });
    const a = make();
    await a.quotes(['AAPL']);
    const minute = await providerRejection(a.quotes(['MSFT']));
    expect(minute).toMatchObject({ kind: 'rate_limited', retryAfterMs: 60_000 });
    sim.faults.set('alphavantage', { quota: { perDay: 1 } });
    const day = await providerRejection(a.quotes(['MSFT']));
    expect(day.kind).toBe('rate_limited');
    expect(day.message).toContain('detected your API key as [REDACTED]');
    expect(day.message).not.toContain(KEY);
    expect(JSON.stringify(day)).not.toContain(KEY);
    // 10:30 New York: the daily quota resets at the next New York midnight, 13.5 hours on.
    expect(day.retryAfterMs).toBe(13.5 * 3_600_000);
  });

  it('maps a premium endpoint (Information) to not_entitled', async () => {
    sim.faults.set('alphavantage', { notEntitled: ['TIME_SERIES_INTRADAY'] });
    const err = await providerRejection(make().bars('MSFT', { interval: '1m', from: '2025-03-03', to: '2025-03-04' }));
    expect(err.kind).toBe('not_entitled');
  });

  it.each([
    [{ errorRate: { 500: 1 } }, 'transient', 500],
    [{ errorRate: { 502: 1 } }, 'transient', 502],
    [{ errorRate: { 503: 1 } }, 'transient', 503],
    [{ rateLimit: { probability: 1, retryAfterSec: 4 } }, 'rate_limited', 429],
    [{ malformed: 1 }, 'bad_response', 200],
    [{ schemaDrift: true }, 'bad_response', 200],
  ] as const)('maps fault %j to %s', async (faults, kind, status) => {
    sim.faults.set('alphavantage', faults);
    const a = make();
    expect(await providerRejection(a.quotes(['AAPL']))).toMatchObject({ kind, status });
    expect(
      await providerRejection(a.bars('AAPL', { interval: '1d', from: '2025-02-03', to: '2025-02-07' })),
    ).toMatchObject({
      kind,
      status,
    });
  });

  it('names the drifted field of a GLOBAL_QUOTE', async () => {
    sim.faults.set('alphavantage', { schemaDrift: true });
    expect((await providerRejection(make().quotes(['AAPL']))).message).toContain('at 05. price');
  });

  it('maps a reset to transient, a hang to timeout, and an abort to the caller reason with the socket freed', async () => {
    sim.faults.set('alphavantage', { reset: 1 });
    expect(await providerRejection(make().quotes(['AAPL']))).toMatchObject({ kind: 'transient' });
    await av.close();
    sim.faults.set('alphavantage', { hang: 1 });
    expect(await providerRejection(make({ headersTimeoutMs: 200 }).quotes(['AAPL']))).toMatchObject({
      kind: 'timeout',
    });
    await av.close();
    const a = make();
    const controller = new AbortController();
    const pending = a.quotes(['AAPL'], { signal: controller.signal });
    await eventually(() => a.poolStats().running === 1);
    const reason = new Error('enough');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await eventually(() => a.poolStats().running === 0 && a.poolStats().pending === 0);
    expect(a.poolStats()).toMatchObject({ running: 0, pending: 0 });
  });

  it('survives latency and a slow body, and passes a wrong price through', async () => {
    sim.faults.set('alphavantage', {
      latency: { fixedMs: 20 },
      slowBodyMs: 60,
      wrongPrice: [{ symbol: 'MSFT', factor: 2 }],
    });
    const { quotes } = await make().quotes(['MSFT']);
    expect((quotes[0]?.price ?? 0) / sim.truePrice('MSFT')).toBeCloseTo(2, 1);
  });

  it('fails auth without any request when no key is configured', async () => {
    const saved = { ...process.env };
    for (const name of ['STOCKADE_PROVIDERS_ALPHAVANTAGE_API_KEY', 'ALPHA_VANTAGE_API_KEY', 'ALPHAVANTAGE_API_KEY'])
      delete process.env[name];
    try {
      av = alphaVantageProvider({ baseUrl: sim.url('alphavantage'), clock });
      const err = await providerRejection(av.quotes(['AAPL']));
      expect(err).toMatchObject({ kind: 'auth', retryable: false });
      expect(err.message).toContain('ALPHA_VANTAGE_API_KEY');
      expect(sim.stats.requests('alphavantage')).toBe(0);
    } finally {
      Object.assign(process.env, saved);
    }
  });
});
