import { ConfigError, manualClock, ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { PROVIDER_NOISE_BPS } from './market-view.js';
import { type Simulator, startSimulator } from './server.js';

const ENDPOINTS: Array<[Parameters<Simulator['url']>[0], string]> = [
  ['yahoo', '/v8/finance/chart/AAPL?range=5d&interval=15m'],
  ['yahoo', '/v8/finance/chart/BTC-USD?range=1mo&interval=1d&events=div%7Csplit'],
  ['alphavantage', '/query?function=GLOBAL_QUOTE&symbol=MSFT&apikey=k'],
  ['alphavantage', '/query?function=TIME_SERIES_INTRADAY&symbol=MSFT&interval=1min&apikey=k'],
  ['polygon', '/v2/aggs/ticker/AAPL/range/5/minute/2026-03-09/2026-03-10?apiKey=k'],
  ['polygon', '/v2/snapshot/locale/us/markets/stocks/tickers?apiKey=k'],
  ['massive', '/v2/last/trade/MSFT?apiKey=k'],
];

async function bodiesOf(seed: number): Promise<string[]> {
  const sim = await startSimulator({ seed, clock: manualClock(Date.parse('2026-03-10T15:00:00Z')) });
  try {
    const out: string[] = [];
    for (const [provider, path] of ENDPOINTS) out.push(await (await fetch(`${sim.url(provider)}${path}`)).text());
    return out;
  } finally {
    await sim.stop();
  }
}

describe('startSimulator', () => {
  it('gives the same bodies for the same seed, byte for byte, and other prices for another seed', async () => {
    const a = await bodiesOf(42);
    const b = await bodiesOf(42);
    const c = await bodiesOf(43);
    expect(b).toEqual(a);
    for (let i = 0; i < a.length; i++) expect(c[i]).not.toEqual(a[i]);
    const price = (body: string) => (JSON.parse(body) as { results: { p: number } }).results.p;
    expect(price(c[6] as string)).not.toBe(price(a[6] as string));
  });

  it('serves one underlying path on every provider, each within the noise of the true price', async () => {
    const clock = manualClock(Date.parse('2026-03-10T15:00:00Z'));
    const sim = await startSimulator({ seed: 3, clock });
    try {
      const truth = sim.truePrice('MSFT');
      const tolerance = PROVIDER_NOISE_BPS / 10_000 + 0.0001;
      const poly = (
        (await (await fetch(`${sim.url('polygon')}/v2/last/trade/MSFT?apiKey=k`)).json()) as { results: { p: number } }
      ).results.p;
      const massive = (
        (await (await fetch(`${sim.url('massive')}/v2/last/trade/MSFT?apiKey=k`)).json()) as { results: { p: number } }
      ).results.p;
      const chart = (
        (await (await fetch(`${sim.url('yahoo')}/v8/finance/chart/MSFT`)).json()) as {
          chart: { result: [{ meta: { regularMarketPrice: number } }] };
        }
      ).chart.result[0].meta.regularMarketPrice;
      for (const served of [poly, massive]) expect(Math.abs(served / truth - 1)).toBeLessThanOrEqual(tolerance);
      expect(Math.abs(chart / truth - 1)).toBeLessThanOrEqual(tolerance + 0.005 / truth);
      expect(new Set([poly, massive, chart]).size).toBeGreaterThan(1); // each provider adds its own noise
    } finally {
      await sim.stop();
    }
  });

  it('serves only the providers asked for', async () => {
    const sim = await startSimulator({ providers: ['yahoo'] });
    try {
      expect(sim.url('yahoo')).toBe(`${sim.origin}/yahoo`);
      expect(sim.urls()).toEqual({ yahoo: `${sim.origin}/yahoo` });
      expect(() => sim.url('polygon')).toThrow(ValidationError);
      expect((await fetch(`${sim.origin}/polygon/v2/aggs/ticker/AAPL/prev?apiKey=k`)).status).toBe(404);
    } finally {
      await sim.stop();
    }
  });

  it('refuses bad options with a typed error that names them', async () => {
    await expect(startSimulator({ port: -1 })).rejects.toThrow(ConfigError);
    await expect(startSimulator({ providers: ['bing' as never] })).rejects.toThrow(/providers\.0/);
    await expect(startSimulator({ symbols: ['AAPL', 'not a symbol'] })).rejects.toThrow(ValidationError);
    await expect(startSimulator({ faults: { polygon: { hang: 2 } } })).rejects.toThrow(/faults\.polygon\.hang/);
    await expect(startSimulator({ keys: { bing: 'x' } as never })).rejects.toThrow(ConfigError);
  });

  it('rejects with the abort reason when the signal is already aborted', async () => {
    const reason = new Error('no thanks');
    await expect(startSimulator({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('refuses truePrice for a symbol it does not serve, and serves any symbol with "*"', async () => {
    const sim = await startSimulator({ symbols: ['AAPL', '*'] });
    const only = await startSimulator({ symbols: ['AAPL'] });
    try {
      expect(sim.truePrice('ZZZZ')).toBeGreaterThan(0);
      expect(() => only.truePrice('ZZZZ')).toThrow(/not served/);
      expect(() => only.truePrice('')).toThrow(ValidationError);
    } finally {
      await Promise.all([sim.stop(), only.stop()]);
    }
  });

  it('can be stopped twice', async () => {
    const sim = await startSimulator();
    await sim.stop();
    await sim.stop();
    await expect(fetch(`${sim.origin}/__sim/stats`)).rejects.toThrow();
  });
});
