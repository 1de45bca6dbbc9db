import type { RedisClient } from '@stockade/cache';
import type { LoadedConfig } from '@stockade/core';
import { createMarketDataManager, type MarketDataManager } from '@stockade/market-data';
import { type ProviderName, type Simulator, startSimulator } from '@stockade/simulator';
import { pinnedClock, testConfig } from '../../../packages/market-data/src/test-support/harness.js';
import type { Capture } from './capture.js';

/** The built-in providers, in the order cells are listed. */
export const PROVIDERS: readonly ProviderName[] = ['polygon', 'massive', 'yahoo', 'alphavantage'];

/**
 * Keys configured for the matrix. The simulator accepts only these, so a run also proves they were
 * sent; the security suite scans everything captured for them.
 */
export const MATRIX_KEYS = {
  polygon: 'rlbPolygonKey_0123456789abcdefXY',
  massive: 'rlbMassiveKey_0123456789abcdefXY',
  alphavantage: 'RLBALPHAV0KEY123',
} as const;

/** Equities every provider serves: one manager call per symbol per round. */
export const MATRIX_SYMBOLS = ['AAPL', 'MSFT', 'SPY', 'NVDA', 'AMZN', 'GOOGL', 'META', 'TSLA', 'JPM', 'QQQ'] as const;

/** Fresh quote TTL in the matrix: short, so each round (the clock moves {@link ROUND_SHIFT_MS}) goes upstream. */
export const QUOTE_TTL_MS = 100;
/** Past the fresh TTL and its equal stale-while-revalidate grace. */
export const ROUND_SHIFT_MS = 2 * QUOTE_TTL_MS + 50;
/** Breaker threshold in the matrix. */
export const BREAKER_THRESHOLD = 3;
/** Half-open delay in the matrix: longer than a CI cell's load, so a breaker that opened stays open until recovery. */
export const HALF_OPEN_MS = 30_000;

/** A quota a cell gives the simulator and, when the manager is told, the manager too. */
export interface CellQuota {
  provider: ProviderName;
  perMinute: number;
  /** Whether the manager's limiter is set to the same quota. */
  known: boolean;
}

/** A simulator and a manager on one pinned clock, the manager's output captured. */
export interface MatrixHarness {
  sim: Simulator;
  md: MarketDataManager;
  clock: ReturnType<typeof pinnedClock>;
  config: LoadedConfig;
  close(): Promise<void>;
}

const generous = [{ name: 'minute', limit: 100_000, perMs: 60_000 }];

/**
 * The matrix config: `order` providers first (priority 1, 2…), the rest far behind (200…) in
 * {@link PROVIDERS} order, so that even a provider without batching (Alpha Vantage, ranked 100
 * lower for multi-symbol rounds) is asked first when a cell faults it.
 */
export function matrixConfig(order: readonly ProviderName[], quota?: CellQuota, keyPrefix?: string): LoadedConfig {
  const ranked = [...order, ...PROVIDERS.filter((p) => !order.includes(p))];
  const providers = Object.fromEntries(
    ranked.map((p, i) => [
      p,
      {
        priority: i < order.length ? i + 1 : 200 + i,
        // One connection per symbol of a round: Alpha Vantage has no batching and gets ten calls at once.
        maxConnections: 10,
        quotas:
          quota?.provider === p && quota.known ? [{ name: 'minute', limit: quota.perMinute, perMs: 60_000 }] : generous,
        ...(p === 'yahoo' ? {} : { apiKey: MATRIX_KEYS[p] }),
      },
    ]),
  );
  return testConfig({
    providers,
    cache: { ttl: { quoteRegularMs: QUOTE_TTL_MS }, ...(keyPrefix === undefined ? {} : { keyPrefix }) },
    resilience: {
      attemptTimeoutMs: 1_000,
      deadlineMs: 3_000,
      retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
      breaker: { consecutiveFailures: BREAKER_THRESHOLD, halfOpenAfterMs: HALF_OPEN_MS },
    },
  });
}

/** Starts the simulator (accepting only {@link MATRIX_KEYS}) and a manager logging into `capture`. */
export async function startMatrixHarness(options: {
  order: readonly ProviderName[];
  capture: Capture;
  quota?: CellQuota;
  seed?: number;
  /** A Redis for the L2 cache, and the key prefix to write under. */
  redis?: { client: RedisClient; keyPrefix: string };
}): Promise<MatrixHarness> {
  const clock = pinnedClock();
  const sim = await startSimulator({
    port: 0,
    seed: options.seed ?? 11,
    clock,
    symbols: [...MATRIX_SYMBOLS],
    keys: { ...MATRIX_KEYS },
  });
  const config = matrixConfig(options.order, options.quota, options.redis?.keyPrefix);
  const md = createMarketDataManager({
    config,
    clock,
    logger: options.capture.logger,
    ...(options.redis === undefined ? {} : { redis: options.redis.client }),
    simulatorUrls: sim.urls(),
  });
  await md.ready();
  return {
    sim,
    md,
    clock,
    config,
    async close() {
      await md.close();
      await sim.stop();
    },
  };
}
