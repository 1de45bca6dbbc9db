import { manualClock } from '@stockade/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './server.js';

/** Each fault does what it says: status, body, header and counter, over real HTTP. */
describe('faults served over HTTP', () => {
  const clock = manualClock(Date.parse('2026-03-10T15:00:00Z'));
  let sim: Simulator;
  const prev = () => fetch(`${sim.url('polygon')}/v2/aggs/ticker/AAPL/prev?apiKey=key`);

  beforeAll(async () => {
    sim = await startSimulator({ seed: 42, clock });
  });
  afterAll(() => sim.stop());

  it('answers 500 with the provider body, 502 and 503 with a gateway page', async () => {
    sim.faults.set('polygon', { errorRate: { 500: 1 } });
    const r500 = await prev();
    expect(r500.status).toBe(500);
    expect(await r500.json()).toMatchObject({ status: 'ERROR', error: 'Internal server error' });
    sim.faults.set('polygon', { errorRate: { 502: 1 } });
    const r502 = await prev();
    expect(r502.status).toBe(502);
    expect(await r502.text()).toContain('502 Bad Gateway');
    sim.faults.set('polygon', { errorRate: { 503: 1 } });
    expect((await prev()).status).toBe(503);
    sim.faults.clear('polygon');
    expect(sim.stats.faultsServed('polygon', 'error500')).toBe(1);
    expect(sim.stats.faultsServed('polygon', 'error502')).toBe(1);
    expect(sim.stats.faultsServed('polygon', 'error503')).toBe(1);
  });

  it('fails about the configured share of requests, the same ones for the same seed', async () => {
    const run = async () => {
      const s = await startSimulator({
        seed: 5,
        clock,
        providers: ['polygon'],
        faults: { polygon: { errorRate: { 503: 0.3 } } },
      });
      const statuses: number[] = [];
      for (let i = 0; i < 60; i++)
        statuses.push((await fetch(`${s.url('polygon')}/v2/aggs/ticker/AAPL/prev?apiKey=k`)).status);
      await s.stop();
      return statuses;
    };
    const first = await run();
    const failed = first.filter((s) => s === 503).length;
    expect(failed).toBeGreaterThan(8);
    expect(failed).toBeLessThan(30);
    expect(await run()).toEqual(first);
  });

  it('answers 429 with Retry-After for the rateLimit fault', async () => {
    sim.faults.set('polygon', { rateLimit: { retryAfterSec: 7 } });
    const res = await prev();
    sim.faults.clear('polygon');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(((await res.json()) as { error: string }).error).toMatch(/exceeded the maximum requests per minute/);
  });

  it('resets the connection without an answer', async () => {
    sim.faults.set('polygon', { reset: 1 });
    const outcome = await prev().then(
      () => 'answered',
      (err: unknown) => String((err as { cause?: { code?: string } }).cause?.code ?? err),
    );
    sim.faults.clear('polygon');
    expect(outcome).toMatch(/ECONNRESET|UND_ERR_SOCKET|other side closed/);
    expect(sim.stats.faultsServed('polygon', 'reset')).toBe(1);
    expect((await prev()).status).toBe(200);
  });

  it('cuts the JSON short with a 200 for the malformed fault', async () => {
    sim.faults.set('polygon', { malformed: 1 });
    const res = await prev();
    sim.faults.clear('polygon');
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text.startsWith('{"ticker":"AAPL"')).toBe(true);
    expect(() => JSON.parse(text)).toThrow();
    expect(sim.stats.faultsServed('polygon', 'malformed')).toBe(1);
  });

  it('renames the fields adapters rely on for schema drift', async () => {
    sim.faults.set('polygon', { schemaDrift: true });
    sim.faults.set('alphavantage', { schemaDrift: true });
    const poly = (await (await prev()).json()) as { results: Array<Record<string, unknown>> };
    const av = (await (
      await fetch(`${sim.url('alphavantage')}/query?function=GLOBAL_QUOTE&symbol=MSFT&apikey=k`)
    ).json()) as {
      'Global Quote': Record<string, unknown>;
    };
    sim.faults.clear();
    expect(poly.results[0]).toHaveProperty('close');
    expect(poly.results[0]).not.toHaveProperty('c');
    expect(av['Global Quote']).toHaveProperty('05. last');
    expect(av['Global Quote']).not.toHaveProperty('05. price');
    expect(sim.stats.faultsServed('polygon', 'schemaDrift')).toBe(1);
  });

  it('trickles the body for slowBodyMs and still delivers all of it', async () => {
    const normal = await (await prev()).json();
    sim.faults.set('polygon', { slowBodyMs: 200 });
    const res = await prev();
    sim.faults.clear('polygon');
    const slow = (await res.json()) as Record<string, unknown>;
    expect({ ...slow, request_id: '' }).toEqual({ ...(normal as Record<string, unknown>), request_id: '' });
    expect(sim.stats.faultsServed('polygon', 'slowBody')).toBe(1);
  });

  it('delays by the fixed latency and counts it', async () => {
    sim.stats.reset();
    sim.faults.set('polygon', { latency: { fixedMs: 30 } });
    expect((await prev()).status).toBe(200);
    expect((await prev()).status).toBe(200);
    sim.faults.clear('polygon');
    expect(sim.stats.faultsServed('polygon', 'latency')).toBe(2);
    expect(sim.stats.snapshot().polygon.delayMs).toBe(60);
  });

  it('returns a wrong price for one symbol on one provider only', async () => {
    sim.faults.set('massive', { wrongPrice: [{ symbol: 'AAPL', factor: 1.1 }] });
    const last = async (provider: 'polygon' | 'massive', ticker: string) =>
      (
        (await (await fetch(`${sim.url(provider)}/v2/last/trade/${ticker}?apiKey=k`)).json()) as {
          results: { p: number };
        }
      ).results.p;
    const wrong = await last('massive', 'AAPL');
    const right = await last('polygon', 'AAPL');
    const other = await last('massive', 'MSFT');
    sim.faults.clear('massive');
    expect(wrong / right).toBeCloseTo(1.1, 2);
    expect(other / (await last('polygon', 'MSFT'))).toBeCloseTo(1, 3);
    expect(sim.stats.faultsServed('massive', 'wrongPrice')).toBe(1);
  });

  it('answers Polygon’s badKey with 401 Unknown API Key even for a good key', async () => {
    sim.faults.set('polygon', { badKey: true });
    const res = await prev();
    sim.faults.clear('polygon');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ status: 'ERROR', error: 'Unknown API Key' });
    expect(sim.stats.faultsServed('polygon', 'badKey')).toBe(1);
  });

  it('answers a spent Yahoo quota with the plain-text 429 of its edge, on any endpoint', async () => {
    sim.faults.set('yahoo', { quota: { perMinute: 1 } });
    const first = await fetch(`${sim.url('yahoo')}/v8/finance/chart/AAPL`);
    const second = await fetch(`${sim.url('yahoo')}/v1/test/getcrumb`);
    sim.faults.clear('yahoo');
    expect(first.status).toBe(200);
    expect(second.status).toBe(429);
    expect(second.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await second.text()).toBe('Edge: Too Many Requests');
    expect(sim.stats.faultsServed('yahoo', 'quotaMinute')).toBe(1);
  });

  it('renames regularMarketPrice in Yahoo bodies for schema drift', async () => {
    sim.faults.set('yahoo', { schemaDrift: true });
    const chart = (await (await fetch(`${sim.url('yahoo')}/v8/finance/chart/AAPL`)).json()) as {
      chart: { result: [{ meta: Record<string, unknown>; indicators: { quote: [Record<string, unknown>] } }] };
    };
    sim.faults.clear('yahoo');
    const result = chart.chart.result[0];
    expect(result.meta).toHaveProperty('regularMarketPriceV2');
    expect(result.meta).not.toHaveProperty('regularMarketPrice');
    expect(result.indicators.quote[0]).toHaveProperty('closePrice');
  });

  it('answers Yahoo’s badKey with 401 Invalid Cookie on the crumb endpoint', async () => {
    sim.faults.set('yahoo', { badKey: true });
    const res = await fetch(`${sim.url('yahoo')}/v1/test/getcrumb`);
    sim.faults.clear('yahoo');
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ finance: { error: { description: 'Invalid Cookie' } } });
  });

  it('never answers a hung request, and stop() ends it so the test can finish', async () => {
    const s = await startSimulator({ seed: 1, clock, providers: ['polygon'], faults: { polygon: { hang: 1 } } });
    const pending = fetch(`${s.url('polygon')}/v2/aggs/ticker/AAPL/prev?apiKey=k`).then(
      () => 'answered',
      () => 'failed',
    );
    // Wait until the server has the request (counted) before stopping.
    while (s.stats.faultsServed('polygon', 'hang') === 0) await new Promise((r) => setTimeout(r, 5));
    await s.stop();
    expect(await pending).toBe('failed');
  });

  it('takes faults over HTTP on /__sim/faults and reports stats on /__sim/stats', async () => {
    const origin = new URL(sim.url('polygon')).origin;
    const post = await fetch(`${origin}/__sim/faults`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'polygon', faults: { errorRate: { 500: 1 } } }),
    });
    expect(await post.json()).toEqual({ provider: 'polygon', faults: { errorRate: { 500: 1 } } });
    expect((await prev()).status).toBe(500);
    await fetch(`${origin}/__sim/faults?provider=polygon`, { method: 'DELETE' });
    expect((await prev()).status).toBe(200);
    const bad = await fetch(`${origin}/__sim/faults`, {
      method: 'POST',
      body: JSON.stringify({ provider: 'polygon', faults: { reset: 3 } }),
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/polygon\.reset/);
    await fetch(`${origin}/__sim/stats/reset`, { method: 'POST' });
    await prev();
    const stats = (await (await fetch(`${origin}/__sim/stats`)).json()) as Record<
      string,
      { requests: number; byEndpoint: Record<string, number> }
    >;
    expect(stats.polygon?.requests).toBe(1);
    expect(stats.polygon?.byEndpoint).toEqual({ prev: 1 });
    const price = (await (await fetch(`${origin}/__sim/price/${encodeURIComponent('^GSPC')}`)).json()) as {
      price: number;
    };
    expect(price.price).toBe(sim.truePrice('^GSPC'));
  });
});
