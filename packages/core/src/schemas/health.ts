import { z } from 'zod';

/** Overall or per-component health. */
export const HealthStatus = z.enum(['healthy', 'degraded', 'unhealthy']);
/** See {@link HealthStatus}. */
export type HealthStatus = z.infer<typeof HealthStatus>;

/** Circuit-breaker states as health reports them. */
export const BreakerState = z.enum(['closed', 'open', 'half_open', 'isolated']);
/** See {@link BreakerState}. */
export type BreakerState = z.infer<typeof BreakerState>;

const ms = z.number().finite().nonnegative();

/** Health of one provider over the monitor's rolling window. */
export const ProviderHealth = z.object({
  /** Status from the profile's thresholds. */
  status: HealthStatus,
  /** Whether config enables it. */
  enabled: z.boolean(),
  /** Requests in the window. */
  requests: z.number().int().nonnegative(),
  /** Share of successful requests in the window, 0..1 (1 with no requests). */
  successRate: z.number().min(0).max(1),
  /** Latency percentiles in the window, ms (null with no samples). */
  latencyMs: z.object({ p50: ms.nullable(), p95: ms.nullable(), p99: ms.nullable() }),
  /** Failures in a row, now. */
  consecutiveFailures: z.number().int().nonnegative(),
  /** The last failure, if any. */
  lastError: z.object({ kind: z.string(), at: z.number().int(), message: z.string() }).optional(),
  /** Breaker state. */
  breaker: BreakerState,
  /** Tokens left in the tightest quota, or null when unlimited. */
  quotaLeft: z.number().nonnegative().nullable(),
  /** Upstream cost so far, in the configured unit. */
  cost: z.number().nonnegative(),
  /** Result of the level-3 probe, when one ran. */
  probe: z.object({ ok: z.boolean(), latencyMs: ms, error: z.string().optional() }).optional(),
});
/** See {@link ProviderHealth}. */
export type ProviderHealth = z.infer<typeof ProviderHealth>;

/** One named check of a readiness or deep health run. */
export const HealthCheck = z.object({
  /** e.g. `config`, `redis`, `provider:polygon`. */
  name: z.string(),
  /** Outcome. */
  status: z.enum(['ok', 'warn', 'fail']),
  /** What was found. */
  message: z.string(),
  /** How to fix a warn or fail. */
  fix: z.string().optional(),
});
/** See {@link HealthCheck}. */
export type HealthCheck = z.infer<typeof HealthCheck>;

/** Health of `manager.stream()`: the upstream connection, its rate and lag, and the fallback. */
export const StreamHealth = z.object({
  /** `streaming` from a provider, `polling` REST (the fallback), `idle` when no stream is open. */
  mode: z.enum(['streaming', 'polling', 'idle']),
  /** The provider streaming now, or null. */
  provider: z.string().nullable(),
  /** Its connection status (`subscribed`, `reconnecting`, …), or null without one. */
  status: z.string().nullable(),
  /** The socket is open. */
  connected: z.boolean(),
  /** Polling stands in for (part of) the stream: no provider can stream, or some symbols cannot be streamed. */
  fallbackActive: z.boolean(),
  /** Why the last provider could not stream (auth refused, too many connections…), when one failed. */
  lastError: z.string().optional(),
  /** Arrival minus exchange time of the last streamed event, ms, or null. */
  lagMs: z.number().finite().nullable(),
  /** Streamed events per second, recent. */
  messagesPerSecond: z.number().finite().nonnegative(),
  /** Events received since streaming began (every connection). */
  messages: z.number().int().nonnegative(),
  /** Reconnects of every upstream connection. */
  reconnects: z.number().int().nonnegative(),
  /** Events replaced by a newer one in a slow consumer's queue (latest wins), since start. */
  conflated: z.number().int().nonnegative(),
  /** Open `stream()` iterators. */
  consumers: z.number().int().nonnegative(),
  /** Distinct symbols wanted across them. */
  symbols: z.number().int().nonnegative(),
  /** Minute bars fetched over REST to fill gaps after reconnects. */
  gapFilledBars: z.number().int().nonnegative(),
});
/** See {@link StreamHealth}. */
export type StreamHealth = z.infer<typeof StreamHealth>;

/**
 * What `manager.health({ level })` returns and a host service serves on `/health`.
 * Level 1 is liveness, 2 readiness (config, a usable provider, Redis when configured), 3 deep
 * (a cheap probe per provider).
 */
export const HealthReport = z.object({
  /** Worst status that matters at this level. */
  status: HealthStatus,
  /** The level asked for. */
  level: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  /** SDK version. */
  version: z.string(),
  /** Time since the manager was created, ms. */
  uptimeMs: ms,
  /** Per provider. */
  providers: z.record(z.string(), ProviderHealth),
  /** Cache tiers. */
  cache: z.object({
    status: HealthStatus,
    l1: z.object({
      entries: z.number().int().nonnegative(),
      bytes: z.number().nonnegative(),
      hitRate: z.number().min(0).max(1).nullable(),
    }),
    l2: z.object({ status: z.enum(['ok', 'degraded', 'disabled']), errors: z.number().int().nonnegative() }),
  }),
  /** Redis, when configured. */
  redis: z.object({ status: z.enum(['ok', 'degraded', 'down', 'disabled']), latencyMs: ms.optional() }),
  /** Named checks (levels 2 and 3). */
  checks: z.array(HealthCheck),
  /** `manager.stream()`, once it has been used. */
  stream: StreamHealth.optional(),
  /** When the report was made, epoch ms. */
  checkedAt: z.number().int().nonnegative(),
});
/** See {@link HealthReport}. */
export type HealthReport = z.infer<typeof HealthReport>;
