import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness, testConfig } from './test-support/harness.js';
import { NOT_ENTITLED_RECHECK_MS } from './wire-runtime.js';

const generous = [{ name: 'minute', limit: 100_000, perMs: 60_000 }];

describe('an operation the plan does not include', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('is switched off with an alert, tried again after the recheck time, and back on once the plan allows it', async () => {
    h = await startHarness({
      config: testConfig({
        providers: {
          polygon: { quotas: generous, priority: 1 },
          massive: { quotas: generous, priority: 2 },
          yahoo: { enabled: false },
          alphavantage: { enabled: false },
        },
      }),
    });
    const { sim, md, clock } = h;
    const alerts: string[] = [];
    md.on('alert.raised', (e) => alerts.push(`raised ${e.alert.type} ${e.alert.subject ?? ''}`));
    md.on('alert.cleared', (e) => alerts.push(`cleared ${e.alertType} ${e.subject ?? ''}`));
    sim.faults.set('polygon', { notEntitled: ['snapshot', 'snapshot_ticker', 'last_trade', 'prev'] });

    const [first] = await md.quotes(['AAPL'], { maxStaleMs: 0 });
    expect(first?.ok).toBe(true);
    if (first?.ok) expect(first.quote.provider).toBe('massive');
    expect(sim.stats.faultsServed('polygon', 'notEntitled')).toBeGreaterThan(0);
    expect(alerts).toContain('raised not_entitled polygon:quotes');
    expect(alerts).toContain('raised not_entitled polygon:quotes');

    const polygonCalls = sim.stats.requests('polygon');
    clock.shift(10_000);
    await md.quotes(['MSFT'], { maxStaleMs: 0 });
    expect(sim.stats.requests('polygon')).toBe(polygonCalls); // switched off: not even asked

    // Still refused at the first recheck: one more call, switched off again, no second alert.
    clock.shift(NOT_ENTITLED_RECHECK_MS);
    await md.quotes(['AAPL'], { maxStaleMs: 0 });
    expect(sim.stats.requests('polygon')).toBeGreaterThan(polygonCalls);
    const afterRecheck = sim.stats.requests('polygon');
    await md.quotes(['MSFT'], { maxStaleMs: 0 });
    expect(sim.stats.requests('polygon')).toBe(afterRecheck);
    expect(alerts.filter((a) => a === 'raised not_entitled polygon:quotes')).toHaveLength(1);

    // The plan is upgraded: the next recheck serves from polygon and clears the alert.
    sim.faults.clear('polygon');
    clock.shift(NOT_ENTITLED_RECHECK_MS + 1_000);
    const [upgraded] = await md.quotes(['AAPL'], { maxStaleMs: 0 });
    expect(upgraded?.ok).toBe(true);
    if (upgraded?.ok) expect(upgraded.quote.provider).toBe('polygon');
    expect(alerts).toContain('cleared not_entitled polygon:quotes');
  });
});
