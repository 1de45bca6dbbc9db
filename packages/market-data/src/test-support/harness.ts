import { type Clock, type LoadedConfig, loadConfig, silentLogger } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { createMarketDataManager, type MarketDataManager } from '../manager.js';
import type { MarketDataManagerOptions } from '../manager-options.js';

/** Tuesday 2026-03-10 11:00 New York: inside a regular session, whatever day the suite runs. */
export const REGULAR_SESSION = Date.parse('2026-03-10T15:00:00Z');

/** A clock that reads `startAt` when created and then moves with real time. */
export function pinnedClock(startAt = REGULAR_SESSION): Clock & { shift(ms: number): void } {
  let offset = startAt - Date.now();
  return { now: () => Date.now() + offset, shift: (ms) => (offset += ms) };
}

const generous = [{ name: 'minute', limit: 100_000, perMs: 60_000 }];

/** Config for tests: every provider on, quotas out of the way, fast breakers and timeouts. */
export function testConfig(overrides: Record<string, unknown> = {}): LoadedConfig {
  return loadConfig({
    file: false,
    env: {},
    overrides: {
      profile: 'test',
      mode: 'simulator',
      providers: {
        polygon: { quotas: generous },
        massive: { quotas: generous },
        yahoo: { quotas: generous },
        alphavantage: { quotas: generous },
      },
      resilience: {
        attemptTimeoutMs: 400,
        deadlineMs: 3_000,
        retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
        breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1_000 },
      },
      ...overrides,
    } as never,
  });
}

/** A simulator and a manager pointed at it, sharing one clock. */
export interface Harness {
  sim: Simulator;
  md: MarketDataManager;
  clock: Clock & { shift(ms: number): void };
  close(): Promise<void>;
}

/** Starts a simulator and a manager on it. */
export async function startHarness(
  options: { config?: LoadedConfig; manager?: Partial<MarketDataManagerOptions>; seed?: number } = {},
): Promise<Harness> {
  const clock = pinnedClock();
  const sim = await startSimulator({ port: 0, seed: options.seed ?? 7, clock });
  const md = createMarketDataManager({
    config: options.config ?? testConfig(),
    clock,
    logger: silentLogger,
    simulatorUrls: sim.urls(),
    ...options.manager,
  });
  await md.ready();
  return {
    sim,
    md,
    clock,
    async close() {
      await md.close();
      await sim.stop();
    },
  };
}
