import { metricNames, type SdkEvent } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, testConfig } from './test-support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

function record(md: Harness['md'], types: SdkEvent['type'][]): SdkEvent[] {
  const seen: SdkEvent[] = [];
  for (const t of types) md.on(t, (e) => seen.push(e));
  return seen;
}

describe('breaker, health and alerts', () => {
  it('opens the breaker after consecutive failures and closes it through half-open', async () => {
    h = await startHarness();
    const events = record(h.md, ['breaker.state']);
    h.sim.faults.set('polygon', { errorRate: { 500: 1 } });
    for (let i = 0; i < 4; i++) {
      h.clock.shift(60_000);
      await h.md.quotes(['AAPL']);
    }
    expect(events).toContainEqual(expect.objectContaining({ provider: 'polygon', from: 'closed', to: 'open' }));
    const open = await h.md.health({ level: 1 });
    // health() also lets the recovery prober try polygon, which may have moved it to half-open.
    expect(['open', 'half_open']).toContain(open.providers.polygon?.breaker);
    expect(open.providers.polygon?.status).toBe('unhealthy');

    // Let any recovery probe that health() started settle before the fault is lifted.
    for (let i = 0; i < 50 && (await h.md.health()).providers.polygon?.breaker !== 'open'; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    h.sim.faults.clear('polygon');
    h.clock.shift(60_000);
    const [aapl] = await h.md.quotes(['AAPL']);
    expect(aapl?.ok && aapl.quote.provider).toBe('massive'); // ranked behind healthy providers while it is out
    // The recovery prober half-opens polygon's breaker and its probe closes it.
    let breaker = (await h.md.health()).providers.polygon?.breaker;
    for (let i = 0; i < 50 && breaker !== 'closed'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      breaker = (await h.md.health()).providers.polygon?.breaker;
    }
    expect(breaker).toBe('closed');
    expect(events).toContainEqual(expect.objectContaining({ provider: 'polygon', from: 'half_open', to: 'closed' }));
  });

  it('raises an auth alert at once naming the config path, and clears it when the key works again', async () => {
    h = await startHarness();
    const events = record(h.md, ['alert.raised', 'alert.cleared']);
    h.sim.faults.set('massive', { badKey: true });
    await h.md.quotes(['AAPL'], { providers: ['massive', 'yahoo'] });
    const raised = events.find((e) => e.type === 'alert.raised' && e.alert.type === 'auth_failure');
    expect(raised).toBeDefined();
    if (raised?.type === 'alert.raised') {
      expect(raised.alert.subject).toBe('massive');
      expect(raised.alert.message).toContain('providers.massive.apiKey');
    }
    h.sim.faults.clear('massive');
    h.clock.shift(5_000);
    h.clock.shift(60_000);
    await h.md.quotes(['MSFT'], { providers: ['massive'] });
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'alert.cleared', alertType: 'auth_failure', subject: 'massive' }),
    );
  });

  it('reports every provider and the cache in a HealthReport at each level', async () => {
    h = await startHarness();
    await h.md.quotes(['AAPL', 'BTC-USD']);
    const l1 = await h.md.health();
    expect(l1.level).toBe(1);
    expect(Object.keys(l1.providers).sort()).toEqual(['alphavantage', 'massive', 'polygon', 'yahoo']);
    const l2 = await h.md.health({ level: 2 });
    expect(l2.status).toBe('healthy');
    expect(l2.redis.status).toBe('disabled');
    const l3 = await h.md.health({ level: 3 });
    expect(l3.providers.polygon?.probe?.ok).toBe(true);
  });

  it('goes unhealthy when every provider is down and raises all_providers_down', async () => {
    h = await startHarness();
    const events = record(h.md, ['alert.raised', 'alert.cleared']);
    for (const p of ['polygon', 'massive', 'yahoo', 'alphavantage'] as const)
      h.sim.faults.set(p, { errorRate: { 503: 1 } });
    for (let i = 0; i < 4; i++) {
      h.clock.shift(60_000);
      await h.md.quotes(['MSFT']);
    }
    const report = await h.md.health({ level: 2 });
    expect(report.status).toBe('unhealthy');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'alert.raised', alert: expect.objectContaining({ type: 'all_providers_down' }) }),
    );
    h.sim.faults.clear();
    h.clock.shift(5_000);
    for (let i = 0; i < 3; i++) {
      h.clock.shift(60_000);
      await h.md.quotes(['MSFT'], { providers: ['yahoo'] });
    }
    expect(events).toContainEqual(expect.objectContaining({ type: 'alert.cleared', alertType: 'all_providers_down' }));
  });
});

describe('counters', () => {
  it('counts upstream calls and their cost exactly', async () => {
    h = await startHarness({
      config: testConfig({
        providers: {
          polygon: { costPerCall: 0.002, quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
          massive: { quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
          yahoo: { quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
          alphavantage: { quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
        },
      }),
    });
    await h.md.quotes(['AAPL', 'MSFT', 'NVDA']);
    h.clock.shift(60_000);
    await h.md.quotes(['AAPL', 'MSFT', 'NVDA']);
    expect(h.sim.stats.requests('polygon')).toBe(2);
    expect(h.md.metrics.value(metricNames.upstreamCost, { provider: 'polygon' })).toBeCloseTo(0.004, 10);
  });
});

describe('recovery', () => {
  it('probes a failed provider once its breaker may half-open, and brings it back without other traffic', async () => {
    h = await startHarness();
    const events = record(h.md, ['alert.raised', 'alert.cleared']);
    h.sim.faults.set('massive', { badKey: true });
    await h.md.quotes(['AAPL'], { providers: ['massive', 'yahoo'] });
    expect((await h.md.health()).providers.massive?.status).toBe('unhealthy');
    h.sim.faults.clear('massive');
    h.clock.shift(5_000); // past halfOpenAfterMs: the next refresh probes massive
    const probesBefore = h.sim.stats.requests('massive');
    let status = (await h.md.health()).providers.massive?.status;
    for (let i = 0; i < 50 && status !== 'healthy'; i++) {
      await new Promise((r) => setTimeout(r, 20));
      status = (await h.md.health()).providers.massive?.status;
    }
    expect(status).toBe('healthy');
    expect(h.sim.stats.requests('massive')).toBeGreaterThan(probesBefore);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'alert.cleared', alertType: 'auth_failure', subject: 'massive' }),
    );
  });
});

describe('consensus outliers', () => {
  it('marks a provider whose price keeps being rejected as degraded, raises an alert, and clears it', async () => {
    h = await startHarness();
    const events = record(h.md, ['alert.raised', 'alert.cleared']);
    h.sim.faults.set('massive', { wrongPrice: [{ symbol: 'AAPL', factor: 1.1 }] });
    for (let i = 0; i < 3; i++) {
      h.clock.shift(11_000);
      await h.md.quotes(['AAPL'], { strategy: 'consensus', maxStaleMs: 1 });
    }
    expect((await h.md.health()).providers.massive?.status).toBe('degraded');
    expect(events).toContainEqual(
      expect.objectContaining({
        type: 'alert.raised',
        alert: expect.objectContaining({ type: 'consensus_outlier', subject: 'massive' }),
      }),
    );
    h.sim.faults.clear('massive');
    h.clock.shift(11_000);
    await h.md.quotes(['AAPL'], { strategy: 'consensus', maxStaleMs: 1 });
    expect((await h.md.health()).providers.massive?.status).toBe('healthy');
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'alert.cleared', alertType: 'consensus_outlier', subject: 'massive' }),
    );
  });
});

describe('deep health', () => {
  it('marks a provider whose level-3 probe fails as unhealthy in the report', async () => {
    h = await startHarness();
    h.sim.faults.set('alphavantage', { errorRate: { 503: 1 } });
    const report = await h.md.health({ level: 3 });
    expect(report.providers.alphavantage?.probe?.ok).toBe(false);
    expect(report.providers.alphavantage?.status).toBe('unhealthy');
    expect(report.providers.polygon?.status).toBe('healthy');
    expect(report.status).toBe('degraded');
  });
});
