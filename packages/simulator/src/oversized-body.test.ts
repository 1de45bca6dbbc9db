import { manualClock } from '@stockade/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './server.js';
import { createStats, REQUEST_LOG_SIZE } from './stats.js';

const clock = manualClock(Date.parse('2026-03-10T15:00:00Z'));
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, clock, symbols: ['AAPL'] });
});
afterAll(async () => {
  await sim.stop();
});

describe('oversized bodies and the request log', () => {
  it('streams an oversized 200 of exactly the size asked, with no content-length', async () => {
    sim.faults.set('polygon', { oversizedBodyBytes: 300_000 });
    try {
      const res = await fetch(`${sim.url('polygon')}/v2/aggs/ticker/AAPL/prev?apiKey=k`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-length')).toBeNull();
      const body = await res.text();
      expect(Buffer.byteLength(body)).toBe(300_000);
      expect(Array.isArray(JSON.parse(body))).toBe(true);
      expect(sim.stats.faultsServed('polygon', 'oversizedBody')).toBe(1);
    } finally {
      sim.faults.clear();
    }
  });

  it('stops writing when the client hangs up, and keeps serving', async () => {
    sim.faults.set('polygon', { oversizedBodyBytes: 512 * 1024 * 1024 });
    try {
      const aborter = new AbortController();
      const res = await fetch(`${sim.url('polygon')}/v2/aggs/ticker/AAPL/prev?apiKey=k`, { signal: aborter.signal });
      const reader = res.body?.getReader();
      await reader?.read();
      aborter.abort();
      sim.faults.clear();
      const next = await fetch(`${sim.url('polygon')}/v2/aggs/ticker/AAPL/prev?apiKey=k`);
      expect(next.status).toBe(200);
      expect(((await next.json()) as { results: Array<{ T: string }> }).results[0]?.T).toBe('AAPL');
    } finally {
      sim.faults.clear();
    }
  });

  it('logs each request target and headers, keeping only the most recent', async () => {
    sim.stats.reset();
    await (
      await fetch(`${sim.url('massive')}/v2/aggs/ticker/AAPL/prev`, { headers: { authorization: 'Bearer abc' } })
    ).text();
    const [entry] = sim.stats.requestLog('massive');
    expect(entry?.target).toBe('/massive/v2/aggs/ticker/AAPL/prev');
    expect(entry?.endpoint).toBe('prev');
    expect(entry?.headers.authorization).toBe('Bearer abc');
    expect(sim.stats.requestLog('polygon')).toEqual([]);
    const stats = createStats();
    for (let i = 0; i < REQUEST_LOG_SIZE + 5; i++) {
      stats.log({ provider: 'yahoo', endpoint: 'chart', target: `/yahoo/${i}`, headers: {} });
    }
    const log = stats.requestLog();
    expect(log).toHaveLength(REQUEST_LOG_SIZE);
    expect(log[0]?.target).toBe('/yahoo/5');
    expect(log.at(-1)?.target).toBe(`/yahoo/${REQUEST_LOG_SIZE + 4}`);
  });
});
