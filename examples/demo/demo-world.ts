import { ConfigError, type LoadedConfig, loadConfig, silentLogger } from '@stockade/core';
import { createMarketDataManager, type MarketDataManager } from '@stockade/market-data';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { type DemoClock, demoClock } from './demo-clock.js';
import { CYCLE_SIM_MS, type DemoOptions, keyVariables } from './demo-options.js';

/** Tuesday 2026-03-10 11:00 New York: inside a regular session, whatever day the demo runs. */
export const SESSION_START = Date.parse('2026-03-10T15:00:00Z');

/** The manager the demo drives, and the simulator behind it in simulator mode. */
export interface DemoWorld {
  /** The manager under demonstration. */
  md: MarketDataManager;
  /** The clock the manager (and simulator) run on; real time in live mode, where `setSpeed` does nothing. */
  clock: DemoClock;
  /** The in-process simulator; absent in live mode. */
  sim?: Simulator;
  /** Lines the header shows about the set-up. */
  setup: string[];
  /** Closes the manager, then the simulator. */
  close(): Promise<void>;
}

/** A quota no demo cycle comes near: the calm phase should show routing, not throttling. */
const paidPlan = (perMinute: number) => [{ name: 'minute', limit: perMinute, perMs: 60_000 }];

/**
 * Simulator mode: a simulator started in-process on a clock pinned inside a regular session (it
 * runs at real speed until the demo calls `clock.setSpeed`), and a manager with all four
 * providers pointed at it.
 *
 * Priorities put the providers in the order the faults hit them (Massive, Yahoo, Alpha Vantage,
 * then Polygon as the last resort), so each fault moves the traffic one step down and the
 * recovery brings it back up. Polygon sits at 150 because Alpha Vantage, which cannot batch,
 * pays the router's +100 for multi-symbol requests.
 */
export async function startSimulatorWorld(options: DemoOptions): Promise<DemoWorld> {
  const clock = demoClock(SESSION_START);
  // Timeouts count on the manager's clock: scaled by the speed, they stay the same in real time
  // however fast the demo plays (1 s an attempt, so Yahoo's 1.5 s answers time out).
  const real = (ms: number) => Math.round(ms * options.speed);
  const sim = await startSimulator({ port: 0, seed: options.seed, clock });
  try {
    const config = loadConfig({
      file: false,
      env: process.env,
      overrides: {
        mode: 'simulator',
        providers: {
          massive: { priority: 10, quotas: paidPlan(100), timeoutMs: real(1_000) },
          yahoo: { priority: 20, timeoutMs: real(1_000) },
          alphavantage: { priority: 30, quotas: paidPlan(75), timeoutMs: real(1_000) },
          polygon: { priority: 150, quotas: paidPlan(100), timeoutMs: real(1_000) },
        },
        // Two tries within the deadline: an attempt the deadline cuts off is never reported to
        // the health monitor (see the report), so the breaker would open unseen by the alerts.
        resilience: {
          attemptTimeoutMs: real(1_000),
          deadlineMs: real(3_000),
          retry: { maxAttempts: 2 },
          // Half-open after 4 cycles: a provider healed at cycle 22 is back well before the end.
          breaker: { consecutiveFailures: 4, halfOpenAfterMs: 4 * CYCLE_SIM_MS },
        },
        // The production profile's threshold: a fault shows as an alert within a few refreshes.
        health: { consecutiveFailuresAlert: 3 },
      },
    });
    const md = createMarketDataManager({
      config,
      clock,
      logger: silentLogger,
      simulatorUrls: sim.urls(),
    });
    await md.ready();
    return {
      md,
      clock,
      sim,
      setup: [
        `simulator at ${sim.origin} (seed ${options.seed}); simulated time runs ${round(options.speed)}× real time (quote TTL 10 s simulated)`,
        'priority massive > yahoo > alphavantage > polygon; paid-plan quotas; 2 tries × 1 s real; alert after 3 failures',
      ],
      async close() {
        await md.close();
        await sim.stop();
      },
    };
  } catch (err) {
    await sim.stop();
    throw err;
  }
}

/** Thrown when `--live` finds no provider key: the message says which variables to set. */
export class NoKeysError extends ConfigError {}

/**
 * Live mode: the real APIs, config from the environment (and `stockade.config.json` when present).
 *
 * @throws {NoKeysError} when no provider key is configured.
 * @throws {ConfigError} when the configuration is invalid (a malformed key, an unknown setting).
 */
export async function startLiveWorld(): Promise<DemoWorld> {
  const config: LoadedConfig = loadConfig({ env: process.env, overrides: { mode: 'live' } });
  const keyed = (['alphavantage', 'polygon', 'massive'] as const).filter(
    (p) => config.config.providers[p].enabled && config.config.providers[p].apiKey !== undefined,
  );
  if (keyed.length === 0) {
    throw new NoKeysError([
      {
        path: 'providers',
        message: 'live mode needs at least one provider key',
        hint: `set one of ${keyVariables().join(', ')} (or put apiKey under providers.<name> in stockade.config.json); without keys, run npm start without --live for the simulator`,
      },
    ]);
  }
  const md = createMarketDataManager({ config, logger: silentLogger });
  await md.ready();
  const providers = await md.providers();
  return {
    md,
    clock: { now: () => Date.now(), setSpeed() {} },
    setup: [
      `live APIs: ${providers.join(', ')} (keys: ${keyed.join(', ')}); no faults are injected`,
      `priority ${providers.join(' > ')} (from config)`,
    ],
    close: () => md.close(),
  };
}

function round(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
