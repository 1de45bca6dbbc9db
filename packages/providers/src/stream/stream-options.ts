import { type Clock, ConfigError, systemClock } from '@stockade/core';
import { z } from 'zod';
import type { LiveStreamSettings } from './stream-protocol.js';
import type { StreamOptions } from './types.js';

const ms = z.number().int().positive();

const StreamOptionsSchema = z
  .strictObject({
    signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal').optional(),
    url: z.url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL' }).optional(),
    feed: z.enum(['realtime', 'delayed']).optional(),
    pingIntervalMs: ms.optional(),
    deadAfterMs: ms.optional(),
    authTimeoutMs: ms.optional(),
    resubscribeIntervalMs: ms.optional(),
    reconnect: z
      .strictObject({
        initialDelayMs: ms.optional(),
        maxDelayMs: ms.optional(),
        maxAttempts: z.number().int().nonnegative().or(z.literal(Number.POSITIVE_INFINITY)).optional(),
      })
      .optional(),
    stamps: z.boolean().optional(),
    clock: z
      .custom<Clock>((v) => typeof (v as { now?: unknown } | null)?.now === 'function', 'expected a Clock')
      .optional(),
    random: z.custom<() => number>((v) => typeof v === 'function', 'expected a function').optional(),
  })
  .superRefine((o, ctx) => {
    if (o.pingIntervalMs !== undefined && o.deadAfterMs !== undefined && o.deadAfterMs <= o.pingIntervalMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['deadAfterMs'],
        message: 'must be longer than pingIntervalMs, or a healthy connection is declared dead between pings',
      });
    }
  });

/** Defaults a provider brings to {@link resolveStreamOptions}. */
export interface StreamDefaults {
  /** URL when `url` and `feed` give none. */
  url: string;
  /** Ping period, ms. */
  pingIntervalMs: number;
  /** The provider's clock. */
  clock: Clock;
}

/**
 * Validates stream options at the package edge and fills the defaults.
 *
 * @throws {ConfigError} naming every bad option.
 */
export function resolveStreamOptions(
  provider: string,
  options: StreamOptions | undefined,
  defaults: StreamDefaults,
): LiveStreamSettings & { options: StreamOptions } {
  const parsed = StreamOptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({
        path: ['providers', provider, 'stream', ...i.path.map(String)].join('.'),
        message: i.message,
        source: `${provider}.stream() options`,
      })),
    );
  }
  const o = (options ?? {}) as StreamOptions;
  const pingIntervalMs =
    o.pingIntervalMs ?? Math.min(defaults.pingIntervalMs, Math.max(5, (o.deadAfterMs ?? 30_000) - 1));
  const deadAfterMs = o.deadAfterMs ?? Math.max(30_000, pingIntervalMs * 2);
  if (deadAfterMs <= pingIntervalMs) {
    throw new ConfigError([
      {
        path: `providers.${provider}.stream.deadAfterMs`,
        message: `must be longer than pingIntervalMs (${pingIntervalMs})`,
        source: `${provider}.stream() options`,
      },
    ]);
  }
  return {
    options: o,
    provider,
    url: o.url ?? defaults.url,
    pingIntervalMs,
    deadAfterMs,
    initialDelayMs: o.reconnect?.initialDelayMs ?? 500,
    maxDelayMs: o.reconnect?.maxDelayMs ?? 30_000,
    maxAttempts: o.reconnect?.maxAttempts ?? Number.POSITIVE_INFINITY,
    stamps: o.stamps ?? false,
    clock: o.clock ?? defaults.clock ?? systemClock,
    random: o.random ?? Math.random,
    signal: o.signal,
  };
}
