import { type Clock, systemClock } from '../clock.js';
import { checkKeyFormat, defaultKeyFormats, describeSecret, type KeyFormat } from '../config/provider-keys.js';
import { ConfigError, ProviderError, ValidationError } from '../errors/index.js';
import type { FoundKey, KeySource } from './key-sources.js';
import { REDACTED, registerSecret } from './redact.js';

/** Options of {@link createKeyResolver}. */
export interface KeyResolverOptions {
  /** Where keys come from, asked in order; the first that has a key wins. */
  sources: readonly KeySource[];
  /** Key formats by provider, merged over the built-in ones; `null` turns a check off. @default defaultKeyFormats */
  formats?: Readonly<Record<string, KeyFormat | null>>;
  /** Source of `resolvedAt` and of key age. @default systemClock */
  clock?: Clock;
  /** Age after which a cached key is read again from the sources. @default Infinity (only `refresh` re-reads) */
  maxAgeMs?: number;
}

/** A key and where it came from. Serializes (JSON, logs) without the key. */
export interface ResolvedKey {
  /** The key; registered for redaction. */
  readonly key: string;
  /** Where it came from, e.g. `env POLYGON_API_KEY`. */
  readonly source: string;
}

/** A secret-free account of a provider's key. */
export interface KeyDescription {
  /** Provider name. */
  provider: string;
  /** Whether a key has been resolved and is cached. */
  resolved: boolean;
  /** Where the cached key came from. */
  source?: string;
  /** Length of the cached key. */
  length?: number;
  /** When it was resolved, epoch ms. */
  resolvedAt?: number;
  /** The same in one sentence, e.g. `polygon: a 32-character key from env POLYGON_API_KEY`. */
  text: string;
}

/** Options of {@link KeyResolver.refresh}. */
export interface RefreshKeyOptions {
  /** Aborts the lookup. */
  signal?: AbortSignal;
  /** The key the provider just rejected (401); "changed" is measured against it. @default the cached key */
  rejectedKey?: string;
}

/** Resolves, caches and rotates providers' API keys. */
export interface KeyResolver {
  /**
   * The provider's key, from the cache or the sources.
   * @throws {ProviderError} kind `auth` when no source has a key (the message says where it looked).
   * @throws {ConfigError} when the key found does not fit the provider's format.
   */
  resolve(provider: string, options?: { signal?: AbortSignal }): Promise<ResolvedKey>;
  /**
   * Reads the sources again, skipping the cache, after a provider answered 401: returns whether
   * the key differs from the rejected one (worth one more try) or not (a real auth failure).
   */
  refresh(provider: string, options?: RefreshKeyOptions): Promise<boolean>;
  /** A secret-free description of the provider's key: source and length only. */
  describe(provider: string): KeyDescription;
}

interface Cached {
  found: ResolvedKey;
  resolvedAt: number;
}

interface Flight {
  promise: Promise<ResolvedKey>;
  controller: AbortController;
  waiters: number;
  /** Started by `refresh`: it reads the sources after the rejection, so refreshes may join it. */
  fresh: boolean;
}

function resolvedKey(found: FoundKey): ResolvedKey {
  const view = { key: found.key, source: found.source };
  const safe = () => ({ key: REDACTED, source: found.source });
  // Printed or serialized by mistake, it still shows no key.
  Object.defineProperty(view, 'toJSON', { value: safe, enumerable: false });
  Object.defineProperty(view, Symbol.for('nodejs.util.inspect.custom'), { value: safe, enumerable: false });
  return Object.freeze(view);
}

/** Waits for `promise`, rejecting with the signal's reason as soon as it aborts. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined, onAbort: () => void): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) {
    onAbort();
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      onAbort();
      reject(signal.reason);
    };
    signal.addEventListener('abort', abort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', abort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', abort);
        reject(e);
      },
    );
  });
}

/**
 * Creates a key resolver: asks its sources in order, checks each key's format, caches it,
 * registers it for redaction (so no log line or error shows it) and re-reads on `refresh`.
 * Concurrent lookups of one provider share one trip to the sources.
 *
 * @example
 * const keys = createKeyResolver({ sources: [keySources.environment(), keySources.file('keys.json')] });
 * const { key } = await keys.resolve('polygon', { signal });
 * // after a 401:
 * if (await keys.refresh('polygon', { rejectedKey: key })) retryOnce();
 */
export function createKeyResolver(options: KeyResolverOptions): KeyResolver {
  if (!Array.isArray(options.sources) || options.sources.length === 0) {
    throw new ValidationError('createKeyResolver needs at least one key source', [
      { path: 'sources', message: 'give one or more of keySources.explicit/environment/file/callback/config' },
    ]);
  }
  const sources = options.sources;
  const formats = { ...defaultKeyFormats, ...options.formats };
  const clock = options.clock ?? systemClock;
  const maxAgeMs = options.maxAgeMs ?? Number.POSITIVE_INFINITY;
  const cache = new Map<string, Cached>();
  const flights = new Map<string, Flight>();
  const where = (provider: string) => sources.map((s) => s.where(provider)).join(', ');

  const lookup = async (provider: string, signal: AbortSignal): Promise<ResolvedKey> => {
    for (const source of sources) {
      signal.throwIfAborted();
      const found = await source.lookup(provider, { signal });
      if (found === undefined || found.key === '') continue;
      registerSecret(found.key);
      const problem = checkKeyFormat(provider, found.key, formats);
      if (problem !== undefined) {
        throw new ConfigError([
          {
            path: `providers.${provider}.apiKey`,
            message: problem,
            found: describeSecret(found.key),
            source: found.source,
            hint: `check ${found.source.replace(/^env /, '')} for a truncated copy, stray quotes or whitespace`,
          },
        ]);
      }
      return resolvedKey(found);
    }
    throw new ProviderError(`no API key found (looked in ${where(provider)}); set one of those`, {
      provider,
      kind: 'auth',
      retryable: false,
    });
  };

  /** One trip to the sources per provider at a time; it is abandoned when every waiter has aborted. */
  const shared = (provider: string, signal: AbortSignal | undefined, fresh: boolean): Promise<ResolvedKey> => {
    let flight = flights.get(provider);
    if (flight === undefined || (fresh && !flight.fresh)) {
      const controller = new AbortController();
      const promise = lookup(provider, controller.signal).then(
        (found) => {
          // Only the latest flight writes the cache: an older one may hold the rejected key.
          if (flights.get(provider) === current) cache.set(provider, { found, resolvedAt: clock.now() });
          return found;
        },
        (err: unknown) => {
          // A missing or malformed key drops the cached one; a secret manager hiccup keeps it.
          if (
            flights.get(provider) === current &&
            (err instanceof ConfigError || (err instanceof ProviderError && err.kind === 'auth'))
          ) {
            cache.delete(provider);
          }
          throw err;
        },
      );
      const current: Flight = { promise, controller, waiters: 0, fresh };
      promise
        .finally(() => {
          if (flights.get(provider) === current) flights.delete(provider);
        })
        .catch(() => {
          // Waiters see the rejection; this keeps an abandoned flight from being unhandled.
        });
      flight = current;
      flights.set(provider, flight);
    }
    const active = flight;
    active.waiters++;
    let settled = false;
    const leave = () => {
      if (settled) return;
      settled = true;
      active.waiters--;
      if (active.waiters === 0 && flights.get(provider) === active) {
        flights.delete(provider);
        active.controller.abort(signal?.reason);
      }
    };
    return untilAborted(active.promise, signal, leave).finally(() => {
      settled = true;
    });
  };

  return {
    resolve(provider, { signal } = {}) {
      const cached = cache.get(provider);
      if (cached !== undefined && clock.now() - cached.resolvedAt < maxAgeMs) return Promise.resolve(cached.found);
      return shared(provider, signal, false);
    },
    async refresh(provider, { signal, rejectedKey } = {}) {
      const before = rejectedKey ?? cache.get(provider)?.found.key;
      const after = await shared(provider, signal, true);
      return after.key !== before;
    },
    describe(provider) {
      const cached = cache.get(provider);
      if (cached === undefined) {
        return { provider, resolved: false, text: `${provider}: no key resolved yet (looks in ${where(provider)})` };
      }
      const { source, key } = cached.found;
      return {
        provider,
        resolved: true,
        source,
        length: key.length,
        resolvedAt: cached.resolvedAt,
        text: `${provider}: a ${key.length}-character key from ${source}`,
      };
    },
  };
}
