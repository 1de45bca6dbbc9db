import { createKeyResolver, keySources, silentLogger } from '@stockade/core';
import { startSimulator } from '@stockade/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { createMarketDataManager, type MarketDataManager } from './manager.js';
import { pinnedClock, testConfig } from './test-support/harness.js';

const OLD_KEY = 'OldPolygonKey0000000000000000000';
const NEW_KEY = 'NewPolygonKey1111111111111111111';

describe('API key rotation', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const close of cleanup.splice(0).reverse()) await close();
  });

  it('picks up a rotated key after a 401 without restarting the manager', async () => {
    const clock = pinnedClock();
    const sim = await startSimulator({ port: 0, seed: 3, clock, keys: { polygon: NEW_KEY } });
    cleanup.push(() => sim.stop());
    let stored = OLD_KEY;
    let lookups = 0;
    const keyResolver = createKeyResolver({
      sources: [
        keySources.callback(() => {
          lookups += 1;
          return stored;
        }),
      ],
      clock,
    });
    const md: MarketDataManager = createMarketDataManager({
      config: testConfig({
        providers: {
          polygon: { baseUrl: sim.url('polygon'), quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
          massive: { enabled: false },
          yahoo: { enabled: false },
          alphavantage: { enabled: false },
        },
        resilience: { breaker: { consecutiveFailures: 100, halfOpenAfterMs: 1_000 } },
      }),
      clock,
      logger: silentLogger,
      keyResolver,
    });
    cleanup.push(() => md.close());
    await md.ready();

    const [refused] = await md.quotes(['AAPL']);
    expect(refused?.ok).toBe(false);
    expect(sim.stats.snapshot().polygon.statuses['401'] ?? 0).toBeGreaterThan(0);

    stored = NEW_KEY; // the operator rotates the key in the secret store
    clock.shift(2_000); // the breaker that the 401 opened half-opens
    const before = lookups;
    const [served] = await md.quotes(['AAPL'], { maxStaleMs: 0 });
    expect(served?.ok).toBe(true);
    if (served?.ok) expect(served.quote.provider).toBe('polygon');
    expect(lookups).toBeGreaterThan(before);
  });

  it('rejects a keyResolver that is not one, naming the option', () => {
    expect(() => createMarketDataManager({ keyResolver: { nope: true } as never })).toThrow(/keyResolver/);
  });
});
