import { manualClock } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { yahooProvider } from './adapter.js';

// Tuesday 2025-03-04, 10:30 in New York: the regular session is open.
const clock = manualClock(Date.parse('2025-03-04T15:30:00Z'));
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 42, clock, symbols: ['AAPL', 'MSFT'] });
});
afterAll(async () => {
  await sim.stop();
});

describe('crumb jar', () => {
  it('abandons a hung cookie/crumb fetch once every caller gave up, so the next caller fetches anew', async () => {
    const yahoo = yahooProvider({ baseUrl: sim.url('yahoo'), cookieUrl: `${sim.url('yahoo')}/fc`, clock });
    try {
      sim.faults.set('yahoo', { hang: 1 });
      const gaveUp = new AbortController();
      const first = yahoo.quotes(['AAPL', 'MSFT'], { signal: gaveUp.signal });
      while (sim.stats.faultsServed('yahoo', 'hang') === 0) await new Promise((r) => setTimeout(r, 5));
      gaveUp.abort(new Error('caller deadline'));
      await expect(first).rejects.toThrow('caller deadline');
      sim.faults.clear('yahoo');
      // Before the fix this waited on the hung fetch (until undici's 30 s headers timeout) and hit its deadline.
      const second = await yahoo.quotes(['AAPL', 'MSFT'], { signal: AbortSignal.timeout(10_000) });
      expect(second.quotes.map((q) => q.symbol).sort()).toEqual(['AAPL', 'MSFT']);
      expect(sim.stats.requests('yahoo', 'getcrumb')).toBe(1);
    } finally {
      await yahoo.close();
      sim.faults.clear();
    }
  });
});
