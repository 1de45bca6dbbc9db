import { keyLocationsHint, ProviderError, registerSecret } from '@stockade/core';
import type { ProviderKeyResolver } from './provider.js';

/** Where an adapter gets its API key: a fixed key, a resolver, or none. */
export interface KeySource {
  /** Whether a key or resolver was configured. */
  readonly configured: boolean;
  /** The key to send; registered with core's `registerSecret` so `redact()` removes it everywhere. */
  get(signal?: AbortSignal): Promise<string>;
  /** After an auth failure: whether a different key may now be served (one retry is then worth it). */
  refresh(): Promise<boolean>;
}

/**
 * Creates the {@link KeySource} of a provider from its `apiKey` / `keyResolver` options, else from
 * the first of `environmentKeys` that is set. Without any, `get()` rejects with kind `auth` and a
 * hint naming the environment variables.
 */
export function createKeySource(
  provider: string,
  configuredKey: string | undefined,
  resolver: ProviderKeyResolver | undefined,
  environmentKeys: readonly string[] = [],
): KeySource {
  let apiKey = configuredKey;
  if (apiKey === undefined && resolver === undefined) {
    apiKey = environmentKeys.map((name) => process.env[name]?.trim()).find((v) => v !== undefined && v !== '');
  }
  if (apiKey !== undefined) registerSecret(apiKey);
  return {
    configured: apiKey !== undefined || resolver !== undefined,
    async get(signal) {
      if (resolver !== undefined) {
        let key: string;
        try {
          ({ key } = await resolver.resolve(provider, { signal }));
        } catch (err) {
          if (signal?.aborted) throw signal.reason;
          if (err instanceof ProviderError) throw err;
          throw new ProviderError('the key resolver failed', { provider, kind: 'auth', retryable: false, cause: err });
        }
        if (typeof key === 'string' && key.length > 0) {
          registerSecret(key);
          return key;
        }
      } else if (apiKey !== undefined && apiKey.length > 0) {
        return apiKey;
      }
      throw new ProviderError(`no API key is configured; ${keyLocationsHint(provider)}`, {
        provider,
        kind: 'auth',
        retryable: false,
      });
    },
    async refresh() {
      if (resolver?.refresh === undefined) return false;
      try {
        return await resolver.refresh(provider);
      } catch {
        return false;
      }
    },
  };
}
