import { manualClock } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { eventually, providerRejection } from '../test-support/rejection.js';
import { yahooProvider } from './adapter.js';

// Tuesday 2025-03-04, 10:30 in New York: the regular session is open.
const clock = manualClock(Date.parse('2025-03-04T15:30:00Z'));
let sim: Simulator;
let yahoo: Provider;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 42,
    clock,
    symbols: ['AAPL', 'MSFT', 'BRK.B', 'SPY', 'BTC-USD', '^GSPC', 'EURUSD=X', 'WSU.DE'],
  });
});
afterAll(async () => {
  await sim.stop();
});
afterEach(async () => {
  await yahoo?.close();
  sim.faults.clear();
  sim.stats.reset();
});

function make(options: Parameters<typeof yahooProvider>[0] = {}): Provider {
  yahoo = yahooProvider({ baseUrl: sim.url('yahoo'), cookieUrl: `${sim.url('yahoo')}/fc`, clock, ...options });
  return yahoo;
}

describe('yahoo adapter against the simulator', () => {
  it('quotes every asset class in its own dialect and answers with canonical symbols', async () => {
    const y = make();
    const { quotes, errors } = await y.quotes(['AAPL', 'brk-b', 'BTC-USD', '^GSPC', 'EURUSD=X', 'WSU.DE', 'NOPE']);
    expect(quotes.map((q) => q.symbol).sort()).toEqual(['AAPL', 'BRK.B', 'BTC-USD', 'EURUSD=X', 'WSU.DE', '^GSPC']);
    expect(errors.map((e) => [e.symbol, e.error.kind])).toEqual([['NOPE', 'not_found']]);
    const aapl = quotes.find((q) => q.symbol === 'AAPL');
    expect(aapl?.marketState).toBe('regular');
    expect(aapl?.price).toBeCloseTo(sim.truePrice('AAPL'), 0);
    expect(sim.stats.requests('yahoo', 'quote')).toBe(1);
  });

  it('gives the same answer for a symbol quoted alone (chart) and in a batch (quote)', async () => {
    const y = make();
    const batch = await y.quotes(['AAPL', 'MSFT']);
    const single = [...(await y.quotes(['AAPL'])).quotes, ...(await y.quotes(['MSFT'])).quotes];
    // Every field both answers state must agree; bid/ask (and the session open) come only from the batch.
    for (const one of single) {
      const inBatch = batch.quotes.find((q) => q.symbol === one.symbol);
      expect(inBatch).toBeDefined();
      const shared = Object.keys(one).filter((k) => k !== 'receivedAt' && k in (inBatch ?? {}));
      expect(shared).toEqual(
        expect.arrayContaining([
          'price',
          'previousClose',
          'change',
          'high',
          'low',
          'volume',
          'marketState',
          'asOf',
          'currency',
          'exchange',
        ]),
      );
      for (const k of shared)
        expect([k, (one as Record<string, unknown>)[k]]).toEqual([k, (inBatch as Record<string, unknown>)[k]]);
    }
    expect(sim.stats.requests('yahoo', 'chart')).toBe(2);
  });

  it('serves daily bars with the AAPL split and the adjustment stated', async () => {
    const series = await make().bars('AAPL', { interval: '1d', from: '2020-08-24', to: '2020-09-04' });
    expect(series.adjustment).toBe('split');
    expect(series.splits).toEqual([expect.objectContaining({ numerator: 4, denominator: 1 })]);
    expect(series.bars.map((b) => b.sessionDate)).toContain('2020-08-31');
    expect(series.bars.every((b) => b.adjClose !== undefined)).toBe(true);
  });

  it('refreshes an expired crumb once and carries on', async () => {
    const y = make();
    await y.quotes(['AAPL', 'MSFT']);
    sim.faults.set('yahoo', { expiredCrumb: true });
    const { quotes } = await y.quotes(['AAPL', 'MSFT']);
    expect(quotes).toHaveLength(2);
    expect(sim.stats.faultsServed('yahoo', 'expiredCrumb')).toBe(1);
    expect(sim.stats.requests('yahoo', 'getcrumb')).toBe(2);
  });

  it('falls back to the chart when the quote endpoint is shut', async () => {
    sim.faults.set('yahoo', { quoteEndpointDisabled: true });
    const { quotes, errors } = await make().quotes(['AAPL', 'MSFT', 'SPY']);
    expect(errors).toEqual([]);
    expect(quotes).toHaveLength(3);
    expect(sim.stats.requests('yahoo', 'chart')).toBe(3);
  });

  it('reports a bad cookie as auth after one refresh', async () => {
    sim.faults.set('yahoo', { badKey: true });
    const err = await providerRejection(make().quotes(['AAPL', 'MSFT']));
    expect(err).toMatchObject({ kind: 'auth', status: 401 });
  });

  it.each([
    [{ errorRate: { 500: 1 } }, 'transient', 500],
    [{ errorRate: { 502: 1 } }, 'transient', 502],
    [{ errorRate: { 503: 1 } }, 'transient', 503],
    [{ rateLimit: { probability: 1, retryAfterSec: 3 } }, 'rate_limited', 429],
    [{ malformed: 1 }, 'bad_response', 200],
    [{ schemaDrift: true }, 'bad_response', 200],
  ] as const)('maps fault %j to %s', async (faults, kind, status) => {
    sim.faults.set('yahoo', faults);
    const y = make();
    expect(await providerRejection(y.quotes(['AAPL']))).toMatchObject({ kind, status });
    expect(await providerRejection(y.quotes(['AAPL', 'MSFT']))).toMatchObject({ kind, status });
    expect(
      await providerRejection(y.bars('AAPL', { interval: '1d', from: '2025-02-03', to: '2025-02-28' })),
    ).toMatchObject({
      kind,
    });
  });

  it('reads Retry-After on a 429', async () => {
    sim.faults.set('yahoo', { rateLimit: { probability: 1, retryAfterSec: 3 } });
    expect((await providerRejection(make().quotes(['AAPL']))).retryAfterMs).toBe(3000);
  });

  it('maps the per-minute quota to rate_limited', async () => {
    sim.faults.set('yahoo', { quota: { perMinute: 1 } });
    const y = make();
    await y.quotes(['AAPL']);
    expect(await providerRejection(y.quotes(['MSFT']))).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(sim.stats.faultsServed('yahoo', 'quotaMinute')).toBe(1);
  });

  it('maps a reset socket to transient', async () => {
    sim.faults.set('yahoo', { reset: 1 });
    expect(await providerRejection(make().quotes(['AAPL']))).toMatchObject({ kind: 'transient' });
  });

  it('maps a hung answer to timeout under the headers timeout', async () => {
    sim.faults.set('yahoo', { hang: 1 });
    expect(await providerRejection(make({ headersTimeoutMs: 200 }).quotes(['AAPL']))).toMatchObject({
      kind: 'timeout',
    });
  });

  it('aborts a hung request with the caller reason and frees its socket', async () => {
    sim.faults.set('yahoo', { hang: 1 });
    const y = make();
    const controller = new AbortController();
    const pending = y.quotes(['AAPL'], { signal: controller.signal });
    await eventually(() => y.poolStats().running === 1);
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await eventually(() => y.poolStats().running === 0 && y.poolStats().pending === 0);
    expect(y.poolStats()).toMatchObject({ running: 0, pending: 0 });
  });

  it('survives injected latency and a slow body', async () => {
    sim.faults.set('yahoo', { latency: { fixedMs: 30 }, slowBodyMs: 100 });
    const { quotes } = await make().quotes(['AAPL']);
    expect(quotes).toHaveLength(1);
    expect(sim.stats.faultsServed('yahoo', 'slowBody')).toBe(1);
  });

  it('passes a wrong price through untouched, for consensus to catch', async () => {
    sim.faults.set('yahoo', { wrongPrice: [{ symbol: 'AAPL', factor: 1.5 }] });
    const { quotes } = await make().quotes(['AAPL']);
    expect((quotes[0]?.price ?? 0) / sim.truePrice('AAPL')).toBeCloseTo(1.5, 2);
  });

  it('answers probe() with ok, and with the error when the chart fails', async () => {
    const y = make();
    expect(await y.probe()).toMatchObject({ ok: true });
    sim.faults.set('yahoo', { errorRate: { 503: 1 } });
    const r = await y.probe();
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.error.kind).toBe('transient');
  });
});
