import { z } from 'zod';
import { PositiveDuration } from './duration.js';

/**
 * A provider name: a built-in (`yahoo`, `alphavantage`, `polygon`, `massive`) or a custom
 * adapter's name. Starts with a lower-case letter; letters, digits, `_` and `-` after.
 */
export const ProviderName = z.string().regex(/^[a-z][A-Za-z0-9_-]{0,31}$/, {
  message: 'must start with a lower-case letter and hold only letters, digits, _ and - (at most 32)',
});

/** One request quota a provider enforces, e.g. Alpha Vantage's free tier: 5 per minute and 25 per day. */
export const QuotaConfig = z.strictObject({
  /** A short label used in metrics and the shared bucket's Redis key, e.g. `minute` or `day`. */
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_-]*$/, { message: 'must be a lower-case label such as "minute" or "day"' })
    .describe("A short label used in metrics and the shared bucket's Redis key, e.g. `minute` or `day`."),
  /** How many calls the window allows. */
  limit: z.number().int().positive().describe('How many calls the window allows.'),
  /** The window, e.g. `60_000` or `'1m'`. */
  perMs: PositiveDuration.describe("The window, e.g. `60_000` or `'1m'`."),
});

/** See {@link QuotaConfig}. */
export type QuotaConfig = z.output<typeof QuotaConfig>;

/** A provider's plan, which decides quotas and entitlements. */
export const ProviderPlan = z.enum(['free', 'starter', 'developer', 'advanced', 'paid', 'enterprise']);

/** See {@link ProviderPlan}. */
export type ProviderPlan = z.infer<typeof ProviderPlan>;

/** The defaults one provider's settings start from. */
export interface ProviderDefaults {
  /** Default of `enabled`. */
  enabled: boolean;
  /** Default of `priority`. */
  priority: number;
  /** Default of `timeoutMs`. */
  timeoutMs: number;
  /** Default of `quotas`. */
  quotas: Array<{ name: string; limit: number; perMs: number }>;
  /** Default of `maxConnections`. */
  maxConnections: number;
  /** Default of `plan`. */
  plan?: ProviderPlan;
  /** Default of `delayed`. */
  delayed?: boolean;
}

/** Builds the settings schema of one provider from its defaults. */
function providerSchema(d: ProviderDefaults) {
  return z.strictObject({
    /**
     * Whether the manager may call this provider. For providers that need a key, `loadConfig`
     * defaults this to `true` in simulator mode or when a key is configured, else `false`.
     * @default true
     */
    enabled: z
      .boolean()
      .default(d.enabled)
      .describe(
        'Whether the manager may call this provider. For providers that need a key, `loadConfig` defaults it to `true` in simulator mode or when a key is configured, else `false`.',
      ),
    /** Order of preference; lower is tried first. @default per provider (polygon 10, massive 20, yahoo 30, alphavantage 40, custom 100) */
    priority: z.number().int().min(0).default(d.priority).describe('Order of preference; lower is tried first.'),
    /**
     * The API key. Prefer an environment variable (`POLYGON_API_KEY`, `MASSIVE_API_KEY`,
     * `ALPHA_VANTAGE_API_KEY`) to writing it in a file. Never logged.
     * @default undefined
     */
    apiKey: z
      .string()
      .optional()
      .describe(
        'The API key. Prefer an environment variable (`POLYGON_API_KEY`, `MASSIVE_API_KEY`, `ALPHA_VANTAGE_API_KEY`) to writing it in a file. Never logged.',
      ),
    /**
     * Base URL of the API. Unset: the provider's public endpoint in `live` mode, the embedded
     * simulator in `simulator` mode.
     * @default undefined
     */
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' })
      .optional()
      .describe(
        "Base URL of the API. Unset: the provider's public endpoint in `live` mode, the embedded simulator in `simulator` mode.",
      ),
    /** Time limit of one HTTP call. @default per provider (5s; Alpha Vantage 10s) */
    timeoutMs: PositiveDuration.default(d.timeoutMs).describe(
      'Time limit of one attempt at this provider; the manager uses the smaller of this and `resilience.attemptTimeoutMs`.',
    ),
    /** Quotas the provider enforces; the rate limiter keeps under each. Set `[]` on an unmetered plan. @default the free tier's */
    quotas: z
      .array(QuotaConfig)
      .default(d.quotas)
      .describe('Quotas the provider enforces; the rate limiter keeps under each. Set `[]` on an unmetered plan.'),
    /** What one call costs, in your unit of account; counted in the cost metrics and the health report (routing does not use it). @default 0 */
    costPerCall: z
      .number()
      .min(0)
      .default(0)
      .describe(
        'What one call costs, in your unit of account; counted in the cost metrics and the health report (routing does not use it).',
      ),
    /** Keep-alive connections in this provider's HTTP pool. @default per provider (2–10) */
    maxConnections: z
      .number()
      .int()
      .positive()
      .default(d.maxConnections)
      .describe("Keep-alive connections in this provider's HTTP pool."),
    /** The plan the key belongs to. @default per provider ('free' for keyed providers) */
    // An undefined default leaves the field unset, which `.optional()` allows.
    plan: ProviderPlan.optional()
      .default(d.plan as ProviderPlan)
      .describe(
        'The plan the key belongs to. Informational: the manager and the built-in adapters do not read it yet.',
      ),
    /** Whether this plan's prices are delayed (e.g. 15 minutes); quotes carry it. @default per provider */
    delayed: z
      .boolean()
      .optional()
      .default(d.delayed as boolean)
      .describe(
        "Whether this plan's prices are delayed (e.g. 15 minutes). Informational: the manager and the built-in adapters do not read it yet (a quote's `delayed` comes from the adapter).",
      ),
    /**
     * Whether to check the key against the provider's known format at load time. Turn off if
     * the provider changes its key format before Stockade learns it.
     * @default true
     */
    checkKeyFormat: z
      .boolean()
      .default(true)
      .describe(
        "Whether to check the key against the provider's known format at load time. Turn off if the provider changes its key format before Stockade learns it.",
      ),
  });
}

const minute = 60_000;
const day = 86_400_000;

/** The defaults of the four built-in providers and of a custom one. */
export const providerDefaults: Readonly<
  Record<'yahoo' | 'alphavantage' | 'polygon' | 'massive' | 'custom', ProviderDefaults>
> = Object.freeze({
  // Yahoo publishes no quota; 60/min stays well under where it starts answering 429.
  yahoo: {
    enabled: true,
    priority: 30,
    timeoutMs: 5_000,
    quotas: [{ name: 'minute', limit: 60, perMs: minute }],
    maxConnections: 6,
  },
  alphavantage: {
    enabled: true,
    priority: 40,
    timeoutMs: 10_000,
    quotas: [
      { name: 'minute', limit: 5, perMs: minute },
      { name: 'day', limit: 25, perMs: day },
    ],
    maxConnections: 6,
    plan: 'free',
  },
  polygon: {
    enabled: true,
    priority: 10,
    timeoutMs: 5_000,
    quotas: [{ name: 'minute', limit: 5, perMs: minute }],
    maxConnections: 10,
    plan: 'free',
    delayed: true,
  },
  massive: {
    enabled: true,
    priority: 20,
    timeoutMs: 5_000,
    quotas: [{ name: 'minute', limit: 5, perMs: minute }],
    maxConnections: 10,
    plan: 'free',
    delayed: true,
  },
  custom: { enabled: true, priority: 100, timeoutMs: 5_000, quotas: [], maxConnections: 10 },
});

/** Settings of one provider (a custom one; the built-ins differ only in defaults). */
export const ProviderConfig = providerSchema(providerDefaults.custom);

/** See {@link ProviderConfig}. */
export type ProviderConfig = z.output<typeof ProviderConfig>;

/**
 * Every provider's settings, keyed by name: the four built-ins with their own defaults, plus any
 * custom provider an adapter is registered for.
 */
export const ProvidersConfig = z
  .strictObject({
    /** Yahoo Finance (no key; unofficial API). */
    yahoo: providerSchema(providerDefaults.yahoo).prefault({}).describe('Yahoo Finance (no key; unofficial API).'),
    /** Alpha Vantage (free tier: 5 calls/minute, 25/day). */
    alphavantage: providerSchema(providerDefaults.alphavantage)
      .prefault({})
      .describe('Alpha Vantage (free tier: 5 calls/minute, 25/day).'),
    /** Polygon.io (free tier: 5 calls/minute, delayed data). */
    polygon: providerSchema(providerDefaults.polygon)
      .prefault({})
      .describe('Polygon.io (free tier: 5 calls/minute, delayed data).'),
    /** Massive (Polygon's new name; same API and keys). */
    massive: providerSchema(providerDefaults.massive)
      .prefault({})
      .describe("Massive (Polygon's new name; same API and keys)."),
  })
  .catchall(ProviderConfig);

/** See {@link ProvidersConfig}. */
export type ProvidersConfig = z.output<typeof ProvidersConfig>;
