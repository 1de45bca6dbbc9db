import type { RedisClient } from '@stockade/cache';
import type { Clock, KeyResolver, LoadedConfig, Logger, MarketCalendar, StockadeConfigOverrides } from '@stockade/core';
import type { Provider } from '@stockade/providers';
import type { StreamingOptions } from './streaming/stream-types.js';

/** Options of {@link createMarketDataManager}. Everything is optional: the defaults run on the embedded simulator. */
export interface MarketDataManagerOptions {
  /** A loaded config, or overrides for `loadConfig()`. @default loadConfig() (env, stockade.config.json, defaults) */
  config?: LoadedConfig | StockadeConfigOverrides;
  /** Extra providers (anything implementing the providers package's `Provider`), next to the built-ins. @default [] */
  providers?: readonly Provider[];
  /** Priority of each extra provider (lower first). @default 50 */
  providerPriority?: Readonly<Record<string, number>>;
  /**
   * An ioredis `Redis` or `Cluster` for the shared L2 cache, the cross-process load lock and the
   * provider quotas (counted on Redis, so every process sharing it stays within one quota); you own it.
   * @default one made from `cache.redisUrl`, else none
   */
  redis?: RedisClient;
  /**
   * Processes sharing one Redis: while Redis is unreachable, each counts `1 / expectedProcesses`
   * of every provider quota locally, so together they still stay within it.
   * @default 1
   */
  expectedProcesses?: number;
  /** Time source for every freshness, quota and health decision. @default systemClock */
  clock?: Clock;
  /** Market calendar. @default createMarketCalendar({ clock }) */
  calendar?: MarketCalendar;
  /** Logger (pino-compatible). @default a JSON logger on stderr at the configured level */
  logger?: Logger;
  /**
   * Where the built-in providers get their API keys. Every call asks it, and after a 401 it is
   * asked to `refresh`, so a resolver over a key file or a secrets manager
   * (`createKeyResolver({ sources: [keySources.file(path), …] })`) rotates keys without a restart.
   * @default config `providers.<name>.apiKey`, then the environment
   */
  keyResolver?: KeyResolver;
  /**
   * Base URL per built-in provider in simulator mode (e.g. a simulator you started yourself).
   * @default an embedded simulator started in-process on a free loopback port
   */
  simulatorUrls?: Partial<Record<'yahoo' | 'alphavantage' | 'polygon' | 'massive', string>>;
  /** Streaming: WebSocket URLs, which providers may stream, reconnect and fallback timing. @default see {@link StreamingOptions} */
  stream?: StreamingOptions;
}

/** How a quote request is answered. */
export type QuoteStrategy = 'failover' | 'hedged' | 'consensus';

/** Options of `quotes()` and `quote()`. */
export interface QuoteOptions {
  /** Aborts the request. @default undefined */
  signal?: AbortSignal;
  /** Longest a last known good quote may be served (marked `stale`) when every provider fails. @default config cache.maxStaleMs */
  maxStaleMs?: number;
  /** `failover` asks providers in turn; `hedged` asks the next when the first is slow; `consensus` asks several and takes the median. @default 'failover' */
  strategy?: QuoteStrategy;
  /** Restrict to these providers, in this order. @default every enabled provider, ranked by priority and health */
  providers?: readonly string[];
}
