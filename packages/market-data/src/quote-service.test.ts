import { createKeyBuilder, type ManualClock, manualClock, silentLogger, TimeoutError } from '@stockade/core';
import { sharedTimerWheel } from '@stockade/resilience';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { redisUrl, testPrefix } from '../../../test/support/redis.js';
import { createMarketDataManager, type MarketDataManager } from './manager.js';
import type { QuoteResult } from './quote-service.js';
import { REGULAR_SESSION, testConfig } from './test-support/harness.js';

const DEADLINE_MS = 1_000;

// Every provider's pipeline may take the whole deadline, so a failover to a second provider
// would need two of them: only the call's own deadline keeps the answer inside one.
const resilience = {
  attemptTimeoutMs: DEADLINE_MS,
  deadlineMs: DEADLINE_MS,
  retry: { maxAttempts: 1, baseDelayMs: 5, maxDelayMs: 20 },
  breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1_000 },
};

interface Setup {
  sim: Simulator;
  md: MarketDataManager;
  clock: ManualClock;
}

let setup: Setup | undefined;
afterEach(async () => {
  // Let the loads still running in the background (the failover after a deadline) time out.
  setup?.clock.advance(60_000);
  await setup?.md.close();
  await setup?.sim.stop();
  setup = undefined;
});

/** A manager on a clock that moves only when the test moves it: no deadline passes by itself. */
async function start(cache: Record<string, unknown> = {}): Promise<Setup> {
  const clock = manualClock(REGULAR_SESSION);
  const sim = await startSimulator({ port: 0, seed: 7, clock });
  const md = createMarketDataManager({
    config: testConfig({ resilience, cache }),
    clock,
    logger: silentLogger,
    simulatorUrls: sim.urls(),
  });
  await md.ready();
  setup = { sim, md, clock };
  return setup;
}

const asked = { providers: ['polygon', 'massive'], strategy: 'failover' } as const;

/** Both providers asked hang; the call starts and polygon has the request. */
async function hangingCall({ sim, md }: Setup, symbol: string): Promise<{ call: Promise<QuoteResult[]> }> {
  sim.faults.set('polygon', { hang: 1 });
  sim.faults.set('massive', { hang: 1 });
  const before = sim.stats.requests('polygon');
  const call = md.quotes([symbol], asked);
  await vi.waitFor(() => expect(sim.stats.requests('polygon')).toBeGreaterThan(before));
  // Wrapped: an async function returning the bare promise would wait for it to settle.
  return { call };
}

describe('quotes() within resilience.deadlineMs', () => {
  it('answers a TimeoutError at the deadline instead of failing over into a second deadline', async () => {
    const s = await start();
    const { call } = await hangingCall(s, 'AAPL');
    // The clock reaches the deadline and stays there: polygon's pipeline gives up now, and massive
    // would get a fresh deadline of its own, so only the call's deadline can end the call.
    s.clock.advance(DEADLINE_MS);
    const [aapl] = await call;
    expect(aapl?.ok).toBe(false);
    if (aapl !== undefined && !aapl.ok) {
      expect(aapl.error).toBeInstanceOf(TimeoutError);
      expect((aapl.error as TimeoutError).timeoutMs).toBe(DEADLINE_MS);
    }
  });

  it('serves the last known good quote, marked stale, when the deadline passes during a reload', async () => {
    const s = await start();
    const [first] = await s.md.quotes(['MSFT'], asked);
    expect(first?.ok && first.quote.stale).toBe(false);
    // Past the fresh TTL and its grace, so the cache must reload rather than serve stale at once.
    s.clock.advance(5 * 60_000);
    const { call } = await hangingCall(s, 'MSFT');
    s.clock.advance(DEADLINE_MS);
    const [msft] = await call;
    expect(msft?.ok).toBe(true);
    if (msft?.ok && first?.ok) {
      expect(msft.quote.stale).toBe(true);
      expect(msft.quote.price).toBe(first.quote.price);
      expect(msft.quote.provider).toBe('polygon');
    }
  });

  it('rejects with the caller’s own abort reason when the caller gives up first', async () => {
    const s = await start();
    const controller = new AbortController();
    s.sim.faults.set('polygon', { hang: 1 });
    s.sim.faults.set('massive', { hang: 1 });
    const call = s.md.quotes(['NVDA'], { ...asked, signal: controller.signal });
    const reason = new Error('caller left');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
  });
});

describe.skipIf(!redisUrl())('quotes() within resilience.deadlineMs, with Redis', () => {
  it('stops waiting for a load lock another process holds, at the deadline', async () => {
    const keyPrefix = testPrefix('quote-deadline');
    const s = await start({ redisUrl: redisUrl() as string, keyPrefix });
    const other = new Redis(redisUrl() as string, { lazyConnect: true });
    try {
      await other.connect();
      const keys = createKeyBuilder({ prefix: keyPrefix });
      // Another process is loading TSLA and holds the cross-process lock for a minute.
      await other.set(keys.lock(keys.quote('best:polygon+massive', 'TSLA')), 'other-process', 'PX', 60_000, 'NX');
      const wheel = sharedTimerWheel(s.clock);
      const pending = wheel.size;
      const call = s.md.quotes(['TSLA'], asked);
      // The call's deadline is on the manager's wheel: move the clock only once it is there.
      await vi.waitFor(() => expect(wheel.size).toBeGreaterThan(pending));
      s.clock.advance(DEADLINE_MS);
      const [tsla] = await call;
      expect(tsla?.ok).toBe(false);
      if (tsla !== undefined && !tsla.ok) expect(tsla.error).toBeInstanceOf(TimeoutError);
      // The answer came from the deadline, not from a provider: nobody upstream was asked.
      expect(s.sim.stats.requests('polygon') + s.sim.stats.requests('massive')).toBe(0);
    } finally {
      other.disconnect();
    }
  });
});
