import { spawnSync } from 'node:child_process';
import { metricNames } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './test-support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('hedged quotes', () => {
  it('asks the next provider when the first is slow, and the first answer wins', async () => {
    h = await startHarness();
    h.sim.faults.set('polygon', { latency: { fixedMs: 350 } });
    const [aapl] = await h.md.quotes(['AAPL'], { strategy: 'hedged' });
    expect(aapl?.ok && aapl.quote.provider).toBe('massive');
    expect(h.sim.stats.requests('polygon')).toBeGreaterThan(0);
    expect(h.sim.stats.requests('massive')).toBeGreaterThan(0);
    expect(h.md.metrics.value(metricNames.hedges, { provider: 'polygon' })).toBe(1);
  });
});

describe('bars', () => {
  it('returns a daily series with its adjustment stated and reuses cached spans', async () => {
    h = await startHarness();
    const series = await h.md.bars('AAPL', { interval: '1d', from: '2026-02-02', to: '2026-02-27' });
    expect(series.symbol).toBe('AAPL');
    expect(series.adjustment).toBe('split');
    expect(series.bars.length).toBe(19); // 20 weekdays in February 2026, less Presidents' Day (Feb 16)
    expect(series.bars.map((b) => b.sessionDate)).not.toContain('2026-02-16');
    const before = h.sim.stats.requests('polygon');
    const again = await h.md.bars('AAPL', { interval: '1d', from: '2026-02-09', to: '2026-02-20' });
    expect(again.bars.length).toBe(9);
    expect(h.sim.stats.requests('polygon')).toBe(before);
  });

  it('fails over only to providers that give the same adjustment', async () => {
    h = await startHarness();
    h.sim.faults.set('polygon', { errorRate: { 500: 1 } });
    h.sim.faults.set('massive', { errorRate: { 500: 1 } });
    const series = await h.md.bars('MSFT', { interval: '1d', from: '2026-03-02', to: '2026-03-06' });
    expect(series.adjustment).toBe('split');
    expect(series.provider).toBe('yahoo'); // Alpha Vantage's daily bars are raw: never mixed in
    expect(h.sim.stats.requests('alphavantage')).toBe(0);
  });

  it('keeps splits and dividends with the bars, also when the range is served from cached spans', async () => {
    h = await startHarness();
    const year = await h.md.bars('AAPL', {
      interval: '1d',
      from: '2025-03-01',
      to: '2026-02-27',
      providers: ['yahoo'],
    });
    expect(year.dividends.length).toBeGreaterThan(0);
    const first = year.dividends[0] as { t: number; amount: number };
    const day = new Date(first.t).toISOString().slice(0, 10);
    const before = h.sim.stats.requests('yahoo');
    const around = await h.md.bars('AAPL', { interval: '1d', from: day, to: day, providers: ['yahoo'] });
    expect(h.sim.stats.requests('yahoo')).toBe(before); // every span was cached
    expect(around.dividends).toEqual([first]);
  });

  it('rejects a malformed date with a typed error that says what to send', async () => {
    h = await startHarness();
    await expect(h.md.bars('AAPL', { from: '03/02/2026' })).rejects.toThrow(/YYYY-MM-DD or epoch milliseconds/);
  });
});

describe('close()', () => {
  it('lets a process that used a manager exit on its own', () => {
    const script = `
      import { createMarketDataManager } from '@stockade/market-data';
      import { silentLogger } from '@stockade/core';
      const md = createMarketDataManager({ logger: silentLogger, config: { mode: 'simulator' } });
      const [q] = await md.quotes(['AAPL', 'BTC-USD']);
      console.log(q.ok ? 'quoted' : q.error.message);
      await md.close();
    `;
    const r = spawnSync(
      process.execPath,
      ['--conditions=source', '--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: new URL('../../..', import.meta.url).pathname,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, POLYGON_API_KEY: '', MASSIVE_API_KEY: '', ALPHA_VANTAGE_API_KEY: '' },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('quoted');
    expect(r.status).toBe(0);
    expect(r.signal).toBeNull();
  });
});
