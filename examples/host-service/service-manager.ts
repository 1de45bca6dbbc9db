import { createLogger, type Logger, loadConfig } from '@stockade/core';
import { createMarketDataManager, type MarketDataManager } from '@stockade/market-data';
import type { ProviderTarget } from './service-options.js';

/** The manager the service embeds, and the logger every part of the service writes to. */
export interface ServiceManager {
  /** The embedded manager. */
  md: MarketDataManager;
  /** The root logger (JSON lines on stderr); the service logs through `child({ component: 'service' })`. */
  logger: Logger;
  /** One line saying where the providers point, for the start-up log. */
  target: string;
}

const SIMULATED = ['yahoo', 'alphavantage', 'polygon', 'massive'] as const;

/**
 * Builds the manager for `target`: the real APIs with keys from `env` (and stockade.config.json when
 * present), the simulator the manager embeds, or a simulator running elsewhere.
 *
 * @throws {ConfigError} when the configuration is invalid (a malformed key, an unknown setting).
 */
export function createServiceManager(target: ProviderTarget, env: NodeJS.ProcessEnv): ServiceManager {
  const config = loadConfig({ env, overrides: { mode: target.kind === 'live' ? 'live' : 'simulator' } });
  const logger = createLogger({
    level: config.config.logging.level,
    // The service's own lines (start, each shutdown step) show unless someone chose otherwise.
    levels: { service: 'info', ...config.config.logging.levels },
    name: 'stockade-host-service',
  });
  const md = createMarketDataManager({
    config,
    logger,
    ...(target.kind === 'simulator'
      ? { simulatorUrls: Object.fromEntries(SIMULATED.map((p) => [p, `${target.url}/${p}`])) }
      : {}),
  });
  const where =
    target.kind === 'live'
      ? 'the real provider APIs'
      : target.kind === 'simulator'
        ? `the simulator at ${target.url}`
        : 'a simulator embedded in this process';
  return { md, logger, target: where };
}
