import { z } from 'zod';
import { validate } from './schemas/upgraders.js';

/** Options of {@link createKeyBuilder}. */
export interface KeyBuilderOptions {
  /**
   * Prefix of every key, ending in `:`. Changing it isolates one deployment (or one test) from another.
   * @default 'stockade:v1:'
   */
  prefix?: string;
}

const Prefix = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]*:$|^$/, 'a key prefix may hold letters, digits, _ . - : and must end with ":"');

/**
 * The one builder of every Redis key Stockade writes: a reader and a writer cannot disagree.
 *
 * Keys carry a Redis Cluster hash tag (`{…}`) so that the keys one Lua script touches — an entry
 * and its lock, a provider's minute and day buckets — hash to the same slot.
 */
export interface KeyBuilder {
  /** The prefix every key starts with. */
  readonly prefix: string;
  /** Cached quote of `symbol` (`provider` is `best` for the manager's merged answer). */
  quote(provider: string, symbol: string): string;
  /** Cached bars of one symbol, interval, adjustment and span (e.g. a session date). */
  bars(provider: string, symbol: string, interval: string, adjustment: string, span: string): string;
  /** The single-flight lock that guards `entryKey` (same hash slot as the entry). */
  lock(entryKey: string): string;
  /** A named token bucket of a provider (`minute`, `day`, …); all of a provider's buckets share a slot. */
  bucket(provider: string, name: string): string;
  /**
   * A sliding-window quota log of a provider (`minute`, `day`, …): a sorted set of grant times.
   * Same slot as the provider's buckets, so one script can take from all of its windows.
   */
  quotaWindow(provider: string, name: string): string;
  /** Exported circuit-breaker state of a provider. */
  breaker(provider: string): string;
  /** A generic cache entry for a caller-defined namespace. */
  entry(namespace: string, id: string): string;
  /** The probe key `verifyKeyspace()` writes and reads at start. */
  probe(id: string): string;
}

function tagged(prefix: string, tag: string, rest?: string): string {
  return rest === undefined ? `${prefix}{${tag}}` : `${prefix}{${tag}}:${rest}`;
}

/**
 * Creates a {@link KeyBuilder}.
 *
 * @example
 * const keys = createKeyBuilder({ prefix: 'stockade:v1:' });
 * keys.quote('best', 'AAPL')        // 'stockade:v1:{quote:AAPL}:best'
 * keys.lock(keys.quote('best', 'AAPL')) // 'stockade:v1:{quote:AAPL}:best:lock'
 * keys.bucket('alphavantage', 'day')    // 'stockade:v1:{bucket:alphavantage}:day'
 * keys.quotaWindow('polygon', 'minute') // 'stockade:v1:{bucket:polygon}:window:minute'
 */
export function createKeyBuilder(options: KeyBuilderOptions = {}): KeyBuilder {
  const prefix = validate(Prefix, options.prefix ?? 'stockade:v1:', 'Redis key prefix');
  return {
    prefix,
    quote: (provider, symbol) => tagged(prefix, `quote:${symbol}`, provider),
    bars: (provider, symbol, interval, adjustment, span) =>
      tagged(prefix, `bars:${symbol}:${interval}`, `${provider}:${adjustment}:${span}`),
    lock: (entryKey) => `${entryKey}:lock`,
    bucket: (provider, name) => tagged(prefix, `bucket:${provider}`, name),
    quotaWindow: (provider, name) => tagged(prefix, `bucket:${provider}`, `window:${name}`),
    breaker: (provider) => tagged(prefix, `breaker:${provider}`),
    entry: (namespace, id) => tagged(prefix, `${namespace}:${id}`),
    probe: (id) => tagged(prefix, 'probe', id),
  };
}

/** The key builder with the default prefix `stockade:v1:`. */
export const keys: KeyBuilder = createKeyBuilder();

/** The hash tag of a key (what Redis Cluster hashes), or the whole key when it has none. */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}
