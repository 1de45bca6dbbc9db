import { AllProvidersFailedError, metricNames, ValidationError } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, testConfig } from './test-support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('MarketDataManager quotes', () => {
  it('answers every symbol asked, in order, with its quote or its typed error', async () => {
    h = await startHarness();
    const answers = await h.md.quotes(['AAPL', 'msft', 'BTC-USD', 'AA PL']);
    expect(answers.map((a) => a.symbol)).toEqual(['AAPL', 'msft', 'BTC-USD', 'AA PL']);
    const [aapl, msft, btc, bad] = answers;
    expect(aapl?.ok && aapl.quote.symbol).toBe('AAPL');
    expect(msft?.ok && msft.quote.symbol).toBe('MSFT');
    expect(btc?.ok && btc.quote.symbol).toBe('BTC-USD');
    expect(bad?.ok).toBe(false);
    if (bad && !bad.ok) expect(bad.error).toBeInstanceOf(ValidationError);
    if (aapl?.ok) {
      expect(aapl.quote.provider).toBe('polygon');
      expect(aapl.quote.price).toBeCloseTo(h.sim.truePrice('AAPL'), -1);
      expect(aapl.quote.stale).toBe(false);
    }
  });
});

describe('failover', () => {
  it('moves on from a provider answering 401 and says which provider answered', async () => {
    h = await startHarness();
    h.sim.faults.set('polygon', { badKey: true });
    const [aapl] = await h.md.quotes(['AAPL']);
    expect(aapl?.ok).toBe(true);
    if (aapl?.ok) expect(aapl.quote.provider).toBe('massive');
    expect(h.sim.stats.faultsServed('polygon', 'badKey')).toBeGreaterThan(0);
  });

  it('moves on from a provider answering 500', async () => {
    h = await startHarness();
    h.sim.faults.set('polygon', { errorRate: { 500: 1 } });
    h.sim.faults.set('massive', { errorRate: { 500: 1 } });
    const [msft] = await h.md.quotes(['MSFT']);
    expect(msft?.ok && msft.quote.provider).toBe('yahoo');
    expect(h.sim.stats.faultsServed('polygon', 'error500')).toBeGreaterThan(0);
    expect(h.sim.stats.faultsServed('massive', 'error500')).toBeGreaterThan(0);
  });

  it('moves on from a provider that hangs, within the attempt timeout', async () => {
    h = await startHarness();
    h.sim.faults.set('polygon', { hang: 1 });
    const [aapl] = await h.md.quotes(['AAPL']);
    expect(aapl?.ok && aapl.quote.provider).toBe('massive');
    expect(h.sim.stats.faultsServed('polygon', 'hang')).toBeGreaterThan(0);
  });

  it('answers every symbol of a partly failed batch: only the missing ones move on', async () => {
    h = await startHarness();
    const answers = await h.md.quotes(['AAPL', 'MSFT', 'ZZZZQ']);
    expect(answers[0]?.ok && answers[0].quote.provider).toBe('polygon');
    expect(answers[1]?.ok && answers[1].quote.provider).toBe('polygon');
    const missing = answers[2];
    expect(missing?.ok).toBe(false);
    // Every provider was asked for the unknown symbol, and all said not found.
    if (missing && !missing.ok) expect(missing.error).toMatchObject({ kind: 'not_found' });
    for (const p of ['polygon', 'massive', 'yahoo', 'alphavantage'] as const)
      expect(h.sim.stats.requests(p)).toBeGreaterThan(0);
  });

  it('serves the last known good quote marked stale when every provider fails', async () => {
    h = await startHarness();
    const [first] = await h.md.quotes(['AAPL']);
    expect(first?.ok).toBe(true);
    for (const p of ['polygon', 'massive', 'yahoo', 'alphavantage'])
      h.sim.faults.set(p as never, { errorRate: { 503: 1 } });
    h.clock.shift(60_000); // past the 10 s regular-hours TTL and its grace
    const [again] = await h.md.quotes(['AAPL']);
    expect(again?.ok).toBe(true);
    if (again?.ok && first?.ok) {
      expect(again.quote.stale).toBe(true);
      expect(again.quote.price).toBe(first.quote.price);
    }
  });

  it('gives AllProvidersFailedError listing each attempt when nothing is known', async () => {
    h = await startHarness();
    for (const p of ['polygon', 'massive', 'yahoo', 'alphavantage'])
      h.sim.faults.set(p as never, { errorRate: { 503: 1 } });
    const [x] = await h.md.quotes(['MSFT']);
    expect(x?.ok).toBe(false);
    if (x && !x.ok) {
      expect(x.error).toBeInstanceOf(AllProvidersFailedError);
      expect((x.error as AllProvidersFailedError).attempts.map((a) => a.provider)).toEqual([
        'polygon',
        'massive',
        'yahoo',
        'alphavantage',
      ]);
    }
  });
});

describe('cache and batching', () => {
  it('serves a second request from the cache with no upstream call', async () => {
    h = await startHarness();
    await h.md.quotes(['AAPL', 'MSFT']);
    const before = h.sim.stats.requests('polygon');
    const again = await h.md.quotes(['AAPL', 'MSFT']);
    expect(again.every((a) => a.ok)).toBe(true);
    expect(h.sim.stats.requests('polygon')).toBe(before);
  });

  it('sends one batch for many symbols to a batch-capable provider', async () => {
    h = await startHarness();
    await h.md.quotes(['AAPL', 'MSFT', 'NVDA', 'AMZN', 'GOOGL', 'META']);
    expect(h.sim.stats.requests('polygon', 'snapshot')).toBe(1);
  });

  it('shares the symbols two overlapping requests have in common', async () => {
    h = await startHarness();
    await Promise.all([h.md.quotes(['AAPL', 'MSFT']), h.md.quotes(['MSFT', 'NVDA'])]);
    const snap = h.sim.stats.snapshot().polygon;
    expect(snap?.requests).toBe(1);
  });
});

describe('consensus', () => {
  it('rejects an injected wrong price and answers with the simulated path price', async () => {
    h = await startHarness();
    h.sim.faults.set('massive', { wrongPrice: [{ symbol: 'AAPL', factor: 1.2 }] });
    const [aapl] = await h.md.quotes(['AAPL'], { strategy: 'consensus' });
    expect(aapl?.ok).toBe(true);
    if (aapl?.ok) {
      expect(aapl.consensus?.rejected.map((r) => r.provider)).toEqual(['massive']);
      expect(aapl.consensus?.accepted.length).toBeGreaterThanOrEqual(2);
      const truth = h.sim.truePrice('AAPL');
      expect(Math.abs(aapl.quote.price - truth) / truth).toBeLessThan(0.002);
      expect(aapl.quote.provider).toBe('consensus');
    }
  });
});

describe('per-call and config limits', () => {
  it('does not serve a stale quote older than the caller accepts', async () => {
    h = await startHarness();
    await h.md.quotes(['AAPL']);
    h.clock.shift(12_000); // past the 10 s TTL, inside the stale-while-revalidate grace
    const [relaxed] = await h.md.quotes(['AAPL']);
    expect(relaxed?.ok && relaxed.quote.stale).toBe(true);
    h.clock.shift(2_000);
    const [strict] = await h.md.quotes(['AAPL'], { maxStaleMs: 1 });
    expect(strict?.ok && strict.quote.stale).toBe(false);
  });

  it('takes quote TTLs from config', async () => {
    h = await startHarness({ config: testConfig({ cache: { ttl: { quoteRegularMs: 2_000 } } }) });
    await h.md.quotes(['MSFT']);
    const before = h.sim.stats.requests('polygon');
    h.clock.shift(60_000);
    await h.md.quotes(['MSFT'], { maxStaleMs: 1 });
    expect(h.sim.stats.requests('polygon')).toBe(before + 1);
  });

  it('leaves a provider out of quota out of the consensus and says so', async () => {
    h = await startHarness({
      config: testConfig({
        providers: {
          alphavantage: { quotas: [{ name: 'minute', limit: 1, perMs: 60_000 }] },
          polygon: { quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
          massive: { quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
          yahoo: { quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
        },
      }),
    });
    const answers = await h.md.quotes(['AAPL', 'MSFT'], { strategy: 'consensus' });
    expect(answers.every((a) => a.ok)).toBe(true);
    const skipped = answers.flatMap((a) => (a.ok ? (a.consensus?.skipped ?? []) : []));
    expect(skipped).toContainEqual({ provider: 'alphavantage', reason: 'out of quota' });
    expect(h.sim.stats.requests('alphavantage')).toBe(1);
  });

  it('records provider requests and cache lookups in the metrics', async () => {
    h = await startHarness();
    await h.md.quotes(['AAPL']);
    await h.md.quotes(['AAPL']);
    expect(
      h.md.metrics.value(metricNames.providerRequests, { provider: 'polygon', endpoint: 'quotes', outcome: 'ok' }),
    ).toBe(1);
    h.md.metrics.snapshot(); // cache counters are copied into the metrics at scrape time
    expect(h.md.metrics.value(metricNames.cacheLookups, { tier: 'l1', result: 'hit' })).toBeGreaterThanOrEqual(1);
    expect(h.md.metrics.value(metricNames.cacheLookups, { tier: 'l1', result: 'miss' })).toBeGreaterThanOrEqual(1);
  });
});

describe('quotas', () => {
  it('never exceeds a provider quota counted over a sliding minute, even in consensus', async () => {
    const freeTier = [{ name: 'minute', limit: 5, perMs: 60_000 }];
    h = await startHarness({ config: testConfig({ providers: { alphavantage: { quotas: freeTier } } }) });
    h.sim.faults.set('alphavantage', { quota: { perMinute: 5 } });
    const symbols = ['AAPL', 'MSFT', 'NVDA'];
    let skippedForQuota = 0;
    for (let cycle = 0; cycle < 24; cycle++) {
      h.clock.shift(11_000);
      const answers = await h.md.quotes(symbols, { strategy: 'consensus', maxStaleMs: 1 });
      expect(answers.every((a) => a.ok)).toBe(true);
      for (const a of answers)
        if (a.ok) skippedForQuota += (a.consensus?.skipped ?? []).filter((s) => s.provider === 'alphavantage').length;
    }
    expect(h.sim.stats.faultsServed('alphavantage', 'quotaMinute')).toBe(0);
    expect(h.sim.stats.requests('alphavantage')).toBeGreaterThan(10); // the quota was used, window after window
    expect(skippedForQuota).toBeGreaterThan(0); // and the answers said when it was left out
  });
});
