import { ConfigError, type ConfigIssue, createMarketCalendar, systemClock } from '@stockade/core';
import { z } from 'zod';
import { createTransport, type Transport } from './http/transport.js';
import type { ProviderHttpOptions, SessionCalendar } from './provider.js';

const positiveInt = z.number().int().positive();

/** The zod shape of {@link ProviderHttpOptions}, which every factory's schema extends. */
export const httpOptionsShape = {
  connections: positiveInt.max(1024).optional(),
  bodyLimitBytes: positiveInt.optional(),
  keepAliveTimeoutMs: positiveInt.optional(),
  headersTimeoutMs: positiveInt.optional(),
  bodyTimeoutMs: positiveInt.optional(),
  clock: z
    .custom<{ now(): number }>(
      (v) => typeof (v as { now?: unknown } | null)?.now === 'function',
      'expected a Clock (an object with now())',
    )
    .optional(),
  calendar: z
    .custom<SessionCalendar>(
      (v) => typeof (v as { session?: unknown } | null)?.session === 'function',
      'expected a calendar with session()',
    )
    .optional(),
  probeSymbol: z.string().min(1).optional(),
  concurrency: positiveInt.max(64).optional(),
  baseUrl: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }).optional(),
  apiKey: z.string().min(1, 'is empty').optional(),
  keyResolver: z
    .custom<object>(
      (v) => typeof (v as { resolve?: unknown } | null)?.resolve === 'function',
      'expected an object with resolve(provider, { signal })',
    )
    .optional(),
};

/**
 * Validates a factory's options at the package edge.
 *
 * @throws {ConfigError} listing every bad option with its path, what was found and a hint.
 */
export function parseProviderOptions<S extends z.ZodType>(schema: S, options: unknown, provider: string): z.output<S> {
  const parsed = schema.safeParse(options ?? {});
  if (parsed.success) return parsed.data;
  const issues: ConfigIssue[] = parsed.error.issues.map((issue) => {
    const path = ['providers', provider, ...issue.path.map(String)].join('.');
    const key = issue.path[issue.path.length - 1];
    const out: ConfigIssue = { path, message: issue.message, source: `${provider}Provider() options` };
    // Never echo a key back, not even in a config error.
    if (key !== 'apiKey' && issue.code !== 'unrecognized_keys') out.found = typeof (issue as { input?: unknown }).input;
    return out;
  });
  throw new ConfigError(issues);
}

/** What every adapter builds from its validated HTTP options. */
export interface AdapterBasics {
  /** Its transport. */
  transport: Transport;
  /** Its calendar. */
  calendar: SessionCalendar;
  /** Its probe symbol. */
  probeSymbol: string;
  /** Its per-call concurrency. */
  concurrency: number;
}

/** Builds the transport, calendar and defaults shared by every adapter. */
export function adapterBasics(provider: string, o: ProviderHttpOptions): AdapterBasics {
  const clock = o.clock ?? systemClock;
  const transport = createTransport({
    provider,
    connections: o.connections,
    bodyLimitBytes: o.bodyLimitBytes,
    keepAliveTimeoutMs: o.keepAliveTimeoutMs,
    headersTimeoutMs: o.headersTimeoutMs,
    bodyTimeoutMs: o.bodyTimeoutMs,
    clock,
  });
  return {
    transport,
    calendar: o.calendar ?? createMarketCalendar({ clock }),
    probeSymbol: o.probeSymbol ?? 'AAPL',
    concurrency: o.concurrency ?? 4,
  };
}
