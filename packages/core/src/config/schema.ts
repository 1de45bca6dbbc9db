import { z } from 'zod';
import { LogLevel } from '../logging/levels.js';
import { Duration, PositiveDuration } from './duration.js';
import { ProvidersConfig } from './provider-schema.js';

/** Which set of defaults applies: health thresholds and log level differ per profile. */
export const Profile = z.enum(['development', 'test', 'production']);

/** See {@link Profile}. */
export type Profile = z.infer<typeof Profile>;

/**
 * Where data comes from. `simulator` points every provider at the bundled local simulator (no
 * keys, no network needed; keys are not required, but a key that is given is still
 * format-checked); `live` calls the real APIs and requires a valid key for every enabled
 * provider that needs one. The market-data manager does the wiring.
 */
export const Mode = z.enum(['simulator', 'live']);

/** See {@link Mode}. */
export type Mode = z.infer<typeof Mode>;

/** Time-to-live of cached values; the cache adapts them to market hours. */
export const CacheTtlConfig = z.strictObject({
  /** A quote during the regular session. @default 10s */
  quoteRegularMs: Duration.default(10_000).describe('Freshness of a quote during the regular session.'),
  /** A quote during pre- and post-market. @default 30s */
  quoteExtendedMs: Duration.default(30_000).describe('Freshness of a quote during pre- and post-market.'),
  /** While the market is closed a quote stays fresh until the next open, capped at this (a long weekend is under 4 days). @default 4 days */
  quoteClosedMaxMs: Duration.default(4 * 86_400_000).describe(
    'While the market is closed a quote stays fresh until the next open, capped at this (a long weekend is under 4 days).',
  ),
  /** A crypto quote (24/7 markets). @default 10s */
  cryptoMs: Duration.default(10_000).describe('Freshness of a crypto quote (24/7 markets).'),
  /** A "not found" answer, so an unknown symbol is not asked again at once. @default 1m */
  negativeMs: Duration.default(60_000).describe(
    'How long a "not found" answer is remembered, so an unknown symbol is not asked again at once.',
  ),
});

/** The tiered cache. */
export const CacheConfig = z.strictObject({
  /** Memory bound of the in-process L1 cache, bytes. @default 33_554_432 (32 MiB) */
  l1MaxBytes: z
    .number()
    .int()
    .positive()
    .default(32 * 1024 * 1024)
    .describe('Memory bound of the in-process L1 cache, in bytes.'),
  /** Redis for the shared L2 cache, e.g. `redis://127.0.0.1:6379`; unset: L1 only. @default undefined */
  redisUrl: z
    .url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' })
    .optional()
    .describe('Redis for the shared L2 cache, e.g. `redis://127.0.0.1:6379`; unset: L1 only.'),
  /** Prefix of every Redis key Stockade writes. @default 'stockade:v1:' */
  keyPrefix: z.string().min(1).default('stockade:v1:').describe('Prefix of every Redis key Stockade writes.'),
  /** Time-to-live per kind of value. @default see {@link CacheTtlConfig} */
  ttl: CacheTtlConfig.prefault({}).describe('Time-to-live per kind of value; the cache adapts them to market hours.'),
  /** Oldest last-known-good value served (marked stale) when every provider fails. @default 3d (a Friday close survives the weekend) */
  maxStaleMs: Duration.default(3 * 86_400_000).describe(
    'Oldest last-known-good value served (marked stale) when every provider fails; 3 days lets a Friday close survive the weekend.',
  ),
});

const Ratio = z.number().min(0).max(1);

/** Default resilience policies applied to every provider call. */
export const ResilienceConfig = z.strictObject({
  /** Time limit of one attempt (one provider, one try). @default 4s */
  attemptTimeoutMs: PositiveDuration.default(4_000).describe('Time limit of one attempt (one provider, one try).'),
  /** Time limit of a whole request across retries and providers. @default 10s */
  deadlineMs: PositiveDuration.default(10_000).describe('Time limit of a whole request across retries and providers.'),
  /** Retry with jittered exponential backoff, honouring Retry-After. */
  retry: z
    .strictObject({
      /** Attempts per provider, the first included. @default 3 */
      maxAttempts: z.number().int().min(1).default(3).describe('Attempts per provider, the first included.'),
      /** First backoff delay. @default 100ms */
      baseDelayMs: Duration.default(100).describe('First backoff delay.'),
      /** Largest backoff delay. @default 5s */
      maxDelayMs: Duration.default(5_000).describe('Largest backoff delay.'),
      /** Retries allowed as a share of first attempts, so retries cannot multiply load in an outage. @default 0.2 */
      budgetRatio: Ratio.default(0.2).describe(
        'Retries allowed as a share of first attempts, so retries cannot multiply load in an outage.',
      ),
    })
    .prefault({})
    .describe('Retry with jittered exponential backoff, honouring Retry-After.'),
  /** Circuit breaker per provider. */
  breaker: z
    .strictObject({
      /** Consecutive failures that open the circuit. @default 5 */
      consecutiveFailures: z.number().int().min(1).default(5).describe('Consecutive failures that open the circuit.'),
      /** How long an open circuit refuses calls before letting a probe through. @default 30s */
      halfOpenAfterMs: PositiveDuration.default(30_000).describe(
        'How long an open circuit refuses calls before letting a probe through.',
      ),
    })
    .prefault({})
    .describe('Circuit breaker per provider.'),
  /** Hedged requests: a second provider is asked when the first is slower than usual. */
  hedge: z
    .strictObject({
      /** Whether to hedge. @default false */
      enabled: z.boolean().default(false).describe('Whether to hedge.'),
      /** Latency percentile of the first provider after which the hedge is sent. @default 95 */
      percentile: z
        .number()
        .gt(0)
        .lt(100)
        .default(95)
        .describe('Latency percentile of the first provider after which the hedge is sent.'),
      /** Hedges allowed as a share of requests. @default 0.05 */
      budgetRatio: Ratio.default(0.05).describe('Hedges allowed as a share of requests.'),
    })
    .prefault({})
    .describe('Hedged requests: a second provider is asked when the first is slower than usual.'),
  /** Concurrency limit per provider. */
  bulkhead: z
    .strictObject({
      /** Calls in flight at once. @default 16 */
      maxConcurrent: z.number().int().min(1).default(16).describe('Calls in flight at once.'),
      /** Calls waiting for a slot; more are refused at once. @default 64 */
      maxQueue: z.number().int().min(0).default(64).describe('Calls waiting for a slot; more are refused at once.'),
    })
    .prefault({})
    .describe('Concurrency limit per provider. Validated, but the manager does not apply a bulkhead yet.'),
});

/** When a provider counts as degraded or unhealthy, and when to alert. Defaults come from the profile. */
export const HealthThresholds = z.strictObject({
  /** Success rate under which a provider is `degraded`. @default 0.8 (production 0.95) */
  degradedSuccessRate: Ratio.default(0.8).describe('Success rate under which a provider is `degraded`.'),
  /** Success rate under which a provider is `unhealthy`. @default 0.5 (production 0.8) */
  unhealthySuccessRate: Ratio.default(0.5).describe('Success rate under which a provider is `unhealthy`.'),
  /** Latency counts as degraded when the current p95 exceeds this multiple of the provider's own recent p95 (its adaptive baseline). @default 3 (production 2) */
  latencyFactor: z
    .number()
    .min(1)
    .default(3)
    .describe(
      "Latency counts as degraded when the current p95 exceeds this multiple of the provider's own recent p95 (its adaptive baseline).",
    ),
  /** Consecutive failures that raise an alert. @default 5 (production 3) */
  consecutiveFailuresAlert: z.number().int().min(1).default(5).describe('Consecutive failures that raise an alert.'),
  /** Share of a quota used after which a warning is raised. @default 0.9 (production 0.8) */
  quotaWarnRatio: Ratio.default(0.9).describe('Share of a quota used after which a warning is raised.'),
});

/** See {@link HealthThresholds}. */
export type HealthThresholds = z.output<typeof HealthThresholds>;

/** The signal engine. */
export const SignalsConfig = z.strictObject({
  /**
   * A BUY/SELL consensus below this confidence is held back. Consensus confidence is |score| ×
   * participation, so it stays well under an agent's own: 0.3–0.45 is a strong consensus of the
   * built-in agents on real daily series. @default 0.2
   */
  minConfidence: Ratio.default(0.2).describe(
    'A BUY/SELL consensus below this confidence is held back. Consensus confidence is |score| × participation, so it stays well under an agent’s own: 0.3–0.45 is a strong consensus of the built-in agents on real daily series.',
  ),
  /** Price move, percent, since the last evaluation that makes a symbol's agents run again. @default 0.5 */
  changeThresholdPct: z
    .number()
    .min(0)
    .default(0.5)
    .describe("Price move, percent, since the last evaluation that makes a symbol's agents run again."),
  /** Weight of each agent in the vote, by agent name; unlisted agents weigh 1. @default {} */
  agentWeights: z
    .record(z.string(), z.number().min(0))
    .default({})
    .describe('Weight of each agent in the vote, by agent name; unlisted agents weigh 1.'),
});

/** Logging. */
export const LoggingConfig = z.strictObject({
  /** Level of every logger without a component level. @default 'info' (test profile: 'warn') */
  level: LogLevel.default('info').describe('Level of every logger without a component level.'),
  /** Level per component (a child logger's `component` binding), e.g. `{ "cache": "debug" }`. @default {} */
  levels: z
    .record(z.string(), LogLevel)
    .default({})
    .describe('Level per component (a child logger\'s `component` binding), e.g. `{ "cache": "debug" }`.'),
});

/**
 * The whole SDK's configuration. Every field has a default; {@link loadConfig} layers a config
 * file, `STOCKADE_*` environment variables and overrides on top.
 *
 * @example
 * const config = StockadeConfig.parse({ cache: { ttl: { quoteRegularMs: '5s' } } });
 */
export const StockadeConfig = z.strictObject({
  /** Which defaults apply (health thresholds, log level). @default 'development' */
  profile: Profile.default('development').describe(
    'Which defaults apply: health thresholds and log level differ per profile.',
  ),
  /**
   * Simulator or real APIs. `loadConfig` defaults it to `live` in the production profile or
   * when any provider key is configured, else `simulator`.
   * @default 'simulator'
   */
  mode: Mode.default('simulator').describe(
    '`simulator`: every provider points at the bundled local simulator (no keys, no network). `live`: the real APIs. `loadConfig` defaults it to `live` in the production profile or when any provider key is configured, else `simulator`.',
  ),
  /** Providers, keyed by name. @default the four built-ins */
  providers: ProvidersConfig.prefault({}).describe(
    'Providers, keyed by name: the four built-ins and any custom adapter.',
  ),
  /** The tiered cache. */
  cache: CacheConfig.prefault({}).describe('The tiered cache.'),
  /** Default resilience policies. */
  resilience: ResilienceConfig.prefault({}).describe('Default resilience policies applied to every provider call.'),
  /** Health thresholds of the active profile. */
  health: HealthThresholds.prefault({}).describe(
    'When a provider counts as degraded or unhealthy, and when to alert; defaults come from the profile.',
  ),
  /** The signal engine. */
  signals: SignalsConfig.prefault({}).describe(
    'Settings of the signal engine: `engineOptionsFromConfig(config.signals, { agents })` from the signals package turns them into `SignalEngine` options, checking that every weighted agent exists.',
  ),
  /** Logging. */
  logging: LoggingConfig.prefault({}).describe('Logging.'),
});

/** The validated configuration: durations in milliseconds, every default filled in. */
export type StockadeConfig = z.output<typeof StockadeConfig>;

/** What a config file or an override may say (durations as numbers or strings). */
export type StockadeConfigInput = z.input<typeof StockadeConfig>;

/** A nested partial of {@link StockadeConfigInput}: what `overrides` accepts. */
export type StockadeConfigOverrides = DeepPartial<StockadeConfigInput>;

/** Every property optional, recursively (arrays are replaced whole, so they stay as they are). */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;
