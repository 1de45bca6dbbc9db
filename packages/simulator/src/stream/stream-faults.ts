import { ValidationError } from '@stockade/core';
import { z } from 'zod';
import { isProviderName, PROVIDER_NAMES, type ProviderName } from '../provider-name.js';

const Probability = z.number().min(0).max(1);

const StreamFaultsSchema = z.strictObject({
  silent: z.boolean().optional(),
  authFailure: z.boolean().optional(),
  maxConnections: z.number().int().min(0).optional(),
  duplicates: Probability.optional(),
  eventsPerSecond: z.number().min(0).max(10_000_000).optional(),
  eventsPerFrame: z.number().int().min(1).max(100_000).optional(),
  drop: Probability.optional(),
});

/**
 * Faults and load of one provider's WebSocket endpoint, all optional. Probabilities are drawn
 * from a generator seeded by the simulator seed.
 */
export interface StreamFaults {
  /** Stop sending data and stop answering pings; the socket stays open (a dead connection that looks alive to TCP). */
  silent?: boolean;
  /** Polygon/Massive: every `auth` is answered `auth_failed` and the connection closed. */
  authFailure?: boolean;
  /** Polygon/Massive: at most this many authenticated connections at once; the next gets `max_connections` and is closed. */
  maxConnections?: number;
  /** Polygon/Massive: probability that a data event is sent twice with the same sequence number. */
  duplicates?: number;
  /** Trade and quote events per second per connection, spread over its subscriptions (default: 2 per subscription). */
  eventsPerSecond?: number;
  /** Polygon/Massive: most events per frame. @default 50 */
  eventsPerFrame?: number;
  /** Probability, per frame sent, of destroying the connection right after it (no close frame). */
  drop?: number;
}

/** Reads and changes the stream faults of a running simulator. */
export interface StreamFaultController {
  /** Replaces the stream faults of `provider`. @throws {ValidationError} */
  set(provider: ProviderName, faults: StreamFaults): void;
  /** Merges into the stream faults of `provider`. @throws {ValidationError} */
  update(provider: ProviderName, faults: StreamFaults): void;
  /** Clears the stream faults of `provider`, or of every provider. */
  clear(provider?: ProviderName): void;
  /** The stream faults of `provider` (a copy). */
  get(provider: ProviderName): StreamFaults;
}

/** The store the endpoints read on every tick. */
export interface StreamFaultStore extends StreamFaultController {
  /** The live faults (not a copy). */
  peek(provider: ProviderName): Readonly<StreamFaults>;
}

const NONE: Readonly<StreamFaults> = Object.freeze({});

function parse(value: unknown, provider: string): StreamFaults {
  const parsed = StreamFaultsSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => ({
    path: [provider, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new ValidationError(
    `Invalid stream faults: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}

function check(provider: unknown): ProviderName {
  if (isProviderName(provider)) return provider;
  throw new ValidationError(`Unknown provider ${JSON.stringify(provider)}; use one of ${PROVIDER_NAMES.join(', ')}`, [
    { path: 'provider', message: 'unknown provider' },
  ]);
}

/** Creates the stream fault store, validating `initial`. */
export function createStreamFaults(initial: Partial<Record<ProviderName, StreamFaults>> = {}): StreamFaultStore {
  const current = new Map<ProviderName, StreamFaults>();
  for (const [p, f] of Object.entries(initial)) current.set(check(p), parse(f, p));
  return {
    set(provider, faults) {
      current.set(check(provider), parse(faults, provider));
    },
    update(provider, faults) {
      const p = check(provider);
      current.set(p, { ...(current.get(p) ?? {}), ...parse(faults, provider) });
    },
    clear(provider) {
      if (provider === undefined) current.clear();
      else current.delete(check(provider));
    },
    get: (provider) => structuredClone(current.get(check(provider)) ?? {}),
    peek: (provider) => current.get(provider) ?? NONE,
  };
}
