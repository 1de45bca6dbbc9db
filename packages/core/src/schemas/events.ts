import { z } from 'zod';
import { ProviderErrorKind } from '../errors/provider-error.js';
import { Bar } from './bar.js';
import { BreakerState } from './health.js';
import { Quote, Trade } from './quote.js';
import { Signal } from './signal.js';

/** Current version of every SDK event record. */
export const EVENT_SCHEMA_VERSION = 1;

const base = {
  /** Record version; older stored events are upgraded on read by {@link parseEvent}. */
  schemaVersion: z.literal(EVENT_SCHEMA_VERSION),
  /** When it happened, epoch ms UTC. */
  at: z.number().int().nonnegative(),
};

/** Kinds of alert the manager raises (each is cleared by an `alert.cleared` event). */
export const AlertType = z.enum([
  'consecutive_failures',
  'auth_failure',
  'not_entitled',
  'latency',
  'quota_low',
  'all_providers_down',
  'consensus_outlier',
  'redis_down',
  'signal_quality',
]);
/** See {@link AlertType}. */
export type AlertType = z.infer<typeof AlertType>;

/** An alert as raised. */
export const Alert = z.object({
  /** Stable id: the same condition on the same subject keeps the same id (deduplication). */
  id: z.string().min(1),
  /** What kind of condition. */
  type: AlertType,
  /** How urgent. */
  severity: z.enum(['info', 'warning', 'critical']),
  /** The provider (or other subject) concerned, when there is one. */
  subject: z.string().optional(),
  /** A sentence that says what is wrong and what to check. */
  message: z.string(),
  /** When it was raised. */
  at: z.number().int().nonnegative(),
});
/** See {@link Alert}. */
export type Alert = z.infer<typeof Alert>;

/**
 * How a streamed value reached the manager: `stream` from a provider's WebSocket, `poll` from the
 * REST polling fallback (no provider could stream), `gap_fill` from REST minute bars fetched after a
 * reconnect to cover what the stream missed.
 */
export const StreamVia = z.enum(['stream', 'poll', 'gap_fill']);
/** See {@link StreamVia}. */
export type StreamVia = z.infer<typeof StreamVia>;

/** What `manager.stream()` is doing: streaming from a provider, polling REST, or idle (nothing asked). */
export const StreamMode = z.enum(['streaming', 'polling', 'idle']);
/** See {@link StreamMode}. */
export type StreamMode = z.infer<typeof StreamMode>;

/** Every event the SDK emits, discriminated by `type`. */
export const SdkEvent = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('quote'), quote: Quote, via: StreamVia.optional() }),
  z.object({ ...base, type: z.literal('trade'), trade: Trade, via: StreamVia.optional() }),
  z.object({
    ...base,
    type: z.literal('bar'),
    symbol: z.string(),
    interval: z.enum(['1s', '1m']),
    bar: Bar,
    provider: z.string(),
    via: StreamVia,
  }),
  z.object({
    ...base,
    type: z.literal('stream.status'),
    mode: StreamMode,
    provider: z.string().nullable(),
    status: z.string(),
    detail: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('provider.failure'),
    provider: z.string(),
    kind: ProviderErrorKind,
    status: z.number().int().optional(),
    operation: z.string().optional(),
    symbols: z.array(z.string()).optional(),
    message: z.string(),
  }),
  z.object({ ...base, type: z.literal('breaker.state'), provider: z.string(), from: BreakerState, to: BreakerState }),
  z.object({ ...base, type: z.literal('alert.raised'), alert: Alert }),
  z.object({
    ...base,
    type: z.literal('alert.cleared'),
    alertId: z.string(),
    alertType: AlertType,
    subject: z.string().optional(),
    message: z.string(),
  }),
  z.object({ ...base, type: z.literal('config.reloaded'), changedPaths: z.array(z.string()) }),
  z.object({ ...base, type: z.literal('signal.generated'), signal: Signal }),
]);
/** See {@link SdkEvent}. */
export type SdkEvent = z.infer<typeof SdkEvent>;
/** The `type` of an {@link SdkEvent}. */
export type SdkEventType = SdkEvent['type'];
/** The event of a given type. */
export type SdkEventOf<T extends SdkEventType> = Extract<SdkEvent, { type: T }>;
