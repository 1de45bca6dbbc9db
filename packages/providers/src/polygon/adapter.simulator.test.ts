import { manualClock } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { eventually, providerRejection } from '../test-support/rejection.js';
import { massiveProvider, polygonProvider } from './adapter.js';

const KEY = 'SimulatorKey_0123456789abcdefghi';
// Tuesday 2025-03-04, 10:30 in New York: the regular session is open.
const clock = manualClock(Date.parse('2025-03-04T15:30:00Z'));
let sim: Simulator;
let provider: Provider;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 7,
    clock,
    keys: { polygon: KEY, massive: KEY },
    symbols: ['AAPL', 'MSFT', 'BRK.B', 'SPY', 'BTC-USD', '^GSPC', '^NDX', 'EURUSD=X', 'WSU.DE'],
  });
});
afterAll(async () => {
  await sim.stop();
});
afterEach(async () => {
  await provider?.close();
  sim.faults.clear();
  sim.stats.reset();
});

describe.each([
  ['polygon', polygonProvider],
  ['massive', massiveProvider],
] as const)('%s adapter against the simulator', (name, factory) => {
  const make = (options: Parameters<typeof polygonProvider>[0] = {}) => {
    provider = factory({ baseUrl: sim.url(name), apiKey: KEY, clock, ...options });
    return provider;
  };

  it('quotes every asset class it serves in its dialect, reports listings abroad unavailable without a request', async () => {
    const p = make();
    const { quotes, errors } = await p.quotes([
      'AAPL',
      'BRK.B',
      'SPY',
      'BTC-USD',
      '^GSPC',
      '^NDX',
      'EURUSD=X',
      'WSU.DE',
      'NOPE',
    ]);
    expect(quotes.map((q) => q.symbol).sort()).toEqual([
      'AAPL',
      'BRK.B',
      'BTC-USD',
      'EURUSD=X',
      'SPY',
      '^GSPC',
      '^NDX',
    ]);
    expect(quotes.every((q) => q.provider === name && !q.delayed)).toBe(true);
    expect(errors.map((e) => [e.symbol, e.error.kind]).sort()).toEqual([
      ['NOPE', 'not_found'],
      ['WSU.DE', 'unavailable'],
    ]);
    expect(quotes.find((q) => q.symbol === 'BTC-USD')).toMatchObject({
      currency: 'USD',
      exchange: 'CRYPTO',
      marketState: 'regular',
    });
    expect(quotes.find((q) => q.symbol === 'AAPL')?.price).toBeCloseTo(sim.truePrice('AAPL'), 0);
    // One request per market: stocks, crypto, forex, indices.
    // One request per market: a batch for stocks and indices, the single-ticker snapshot for the lone crypto and fx pairs.
    expect(sim.stats.requests(name, 'snapshot')).toBe(1);
    expect(sim.stats.requests(name, 'snapshot_indices')).toBe(1);
    expect(sim.stats.requests(name, 'snapshot_ticker')).toBe(2);
    expect(sim.stats.requests(name)).toBe(4);
  });

  it('gives the same answer for a symbol quoted alone and in a batch', async () => {
    const p = make();
    const batch = await p.quotes(['AAPL', 'MSFT']);
    for (const symbol of ['AAPL', 'MSFT']) {
      const [one] = (await p.quotes([symbol])).quotes;
      const inBatch = batch.quotes.find((q) => q.symbol === symbol);
      expect({ ...one, receivedAt: 0 }).toEqual({ ...inBatch, receivedAt: 0 });
    }
    expect(sim.stats.requests(name, 'snapshot_ticker')).toBe(2);
  });

  it('falls back to per-symbol calls when the key is not entitled to batch snapshots', async () => {
    sim.faults.set(name, { notEntitled: ['snapshot'] });
    const p = make();
    const { quotes, errors } = await p.quotes(['AAPL', 'MSFT', 'SPY']);
    expect(errors).toEqual([]);
    expect(quotes).toHaveLength(3);
    expect(sim.stats.requests(name, 'snapshot')).toBe(1);
    expect(sim.stats.requests(name, 'snapshot_ticker')).toBe(3);
    await p.quotes(['AAPL', 'MSFT']);
    expect(sim.stats.requests(name, 'snapshot')).toBe(1);
  });

  it('falls back to the previous close when no snapshot is entitled', async () => {
    sim.faults.set(name, { notEntitled: ['snapshot', 'snapshot_ticker', 'snapshot_indices'] });
    // Crypto and fx: the simulator's /prev answers no results for US listings (reported to its owner).
    const { quotes, errors } = await make({ concurrency: 1 }).quotes(['BTC-USD', 'EURUSD=X']);
    expect(errors).toEqual([]);
    const btc = quotes.find((q) => q.symbol === 'BTC-USD');
    expect(btc).toMatchObject({ change: null, changePercent: null, currency: 'USD' });
    expect(btc?.previousClose).toBeUndefined();
    // The previous UTC day's close, true at that day's end.
    expect(btc?.asOf).toBe(Date.parse('2025-03-03T23:59:59.999Z'));
    expect(quotes.map((q) => q.symbol).sort()).toEqual(['BTC-USD', 'EURUSD=X']);
    expect(sim.stats.requests(name, 'prev')).toBe(2);
  });

  it('pages aggregates through next_url and marks a series cut by the page cap as truncated', async () => {
    const whole = await make({ pageSize: 5 }).bars('AAPL', { interval: '1d', from: '2025-01-06', to: '2025-01-31' });
    expect(whole.truncated).toBe(false);
    // 19 weekdays less the 20 January holiday and 9 January, the day of mourning for President Carter.
    expect(whole.bars).toHaveLength(18);
    expect(whole.bars[0]?.sessionDate).toBe('2025-01-06');
    expect(whole.bars.map((b) => b.sessionDate)).not.toContain('2025-01-09');
    expect(new Set(whole.bars.map((b) => b.t)).size).toBe(18);
    expect(sim.stats.requests(name, 'aggs')).toBe(4);
    await provider.close();
    const cut = await make({ pageSize: 5, pageCap: 2 }).bars('AAPL', {
      interval: '1d',
      from: '2025-01-06',
      to: '2025-01-31',
    });
    expect(cut.truncated).toBe(true);
    expect(cut.bars).toHaveLength(10);
  });

  it('normalizes index bars without volume and crypto bars with fractional volume on UTC dates', async () => {
    const p = make();
    const index = await p.bars('^NDX', { interval: '1d', from: '2025-02-03', to: '2025-02-07' });
    expect(index.bars).toHaveLength(5);
    expect(index.bars.every((b) => b.v === undefined)).toBe(true);
    const btc = await p.bars('BTC-USD', { interval: '1d', from: '2025-02-01', to: '2025-02-07' });
    expect(btc.bars.map((b) => b.sessionDate)).toEqual([
      '2025-02-01',
      '2025-02-02',
      '2025-02-03',
      '2025-02-04',
      '2025-02-05',
      '2025-02-06',
      '2025-02-07',
    ]);
    expect(btc.bars.every((b) => new Date(b.t).getUTCHours() === 0)).toBe(true);
    expect(btc.bars.some((b) => b.v !== undefined && !Number.isInteger(b.v))).toBe(true);
  });

  it('marks delayed-plan answers as delayed', async () => {
    sim.faults.set(name, { delayedPlan: true });
    const p = make();
    const { quotes } = await p.quotes(['AAPL', 'MSFT', '^GSPC']);
    expect(quotes.every((q) => q.delayed)).toBe(true);
    expect((await p.bars('AAPL', { interval: '1d', from: '2025-02-03', to: '2025-02-07' })).delayed).toBe(true);
  });

  it('sends the key as Bearer only: a wrong key is auth', async () => {
    const err = await providerRejection(
      factory({ baseUrl: sim.url(name), apiKey: 'WrongKey_0123456789abcdefghijklm', clock })
        .quotes(['AAPL'])
        .finally(() => undefined),
    );
    expect(err).toMatchObject({ kind: 'auth', status: 401 });
    expect(err.message).toContain('Unknown API Key');
  });

  it('asks the key resolver for a fresh key once after a 401', async () => {
    const keys = ['WrongKey_0123456789abcdefghijklm', KEY];
    let refreshed = 0;
    provider = factory({
      baseUrl: sim.url(name),
      clock,
      keyResolver: {
        resolve: async () => ({ key: keys[Math.min(refreshed, 1)] as string }),
        refresh: async () => {
          refreshed++;
          return true;
        },
      },
    });
    const { quotes } = await provider.quotes(['AAPL']);
    expect(quotes).toHaveLength(1);
    expect(refreshed).toBe(1);
  });

  it.each([
    [{ badKey: true }, 'auth', 401],
    [{ errorRate: { 500: 1 } }, 'transient', 500],
    [{ errorRate: { 502: 1 } }, 'transient', 502],
    [{ errorRate: { 503: 1 } }, 'transient', 503],
    [{ rateLimit: { probability: 1, retryAfterSec: 2 } }, 'rate_limited', 429],
    [{ malformed: 1 }, 'bad_response', 200],
    [{ schemaDrift: true }, 'bad_response', 200],
  ] as const)('maps fault %j to %s', async (faults, kind, status) => {
    sim.faults.set(name, faults);
    const p = make();
    expect(await providerRejection(p.quotes(['AAPL']))).toMatchObject({ kind, status });
    expect(await providerRejection(p.quotes(['AAPL', 'MSFT']))).toMatchObject({ kind, status });
    expect(
      await providerRejection(p.bars('AAPL', { interval: '1d', from: '2025-02-03', to: '2025-02-07' })),
    ).toMatchObject({
      kind,
      status,
    });
  });

  it('maps the per-minute quota to rate_limited', async () => {
    sim.faults.set(name, { quota: { perMinute: 1 } });
    const p = make();
    await p.quotes(['AAPL']);
    expect(await providerRejection(p.quotes(['MSFT']))).toMatchObject({ kind: 'rate_limited', status: 429 });
  });

  it('maps a reset socket to transient and a hung one to timeout', async () => {
    sim.faults.set(name, { reset: 1 });
    expect(await providerRejection(make().quotes(['AAPL']))).toMatchObject({ kind: 'transient' });
    await provider.close();
    sim.faults.set(name, { hang: 1 });
    expect(await providerRejection(make({ headersTimeoutMs: 200 }).quotes(['AAPL']))).toMatchObject({
      kind: 'timeout',
    });
  });

  it('aborts a hung request with the caller reason and frees its socket', async () => {
    sim.faults.set(name, { hang: 1 });
    const p = make();
    const controller = new AbortController();
    const pending = p.bars('AAPL', { interval: '1d', from: '2025-02-03', to: '2025-02-07', signal: controller.signal });
    await eventually(() => p.poolStats().running === 1);
    const reason = new Error('deadline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await eventually(() => p.poolStats().running === 0 && p.poolStats().pending === 0);
    expect(p.poolStats()).toMatchObject({ running: 0, pending: 0 });
  });

  it('survives latency and a slow body, and passes a wrong price through', async () => {
    sim.faults.set(name, { latency: { fixedMs: 20 }, slowBodyMs: 80, wrongPrice: [{ symbol: 'AAPL', factor: 0.5 }] });
    const { quotes } = await make().quotes(['AAPL']);
    expect((quotes[0]?.price ?? 0) / sim.truePrice('AAPL')).toBeCloseTo(0.5, 2);
  });

  it('probes with the previous close', async () => {
    const p = make();
    expect(await p.probe()).toMatchObject({ ok: true });
    sim.faults.set(name, { badKey: true });
    const r = await p.probe();
    expect(r.ok === false && r.error.kind).toBe('auth');
  });
});
