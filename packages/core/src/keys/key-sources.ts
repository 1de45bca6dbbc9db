import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import type { LoadedConfig } from '../config/load-config.js';
import { defaultKeyEnvNames } from '../config/provider-keys.js';
import { ConfigError, isAbortError, ProviderError } from '../errors/index.js';

/** A key found by a {@link KeySource}, and exactly where. */
export interface FoundKey {
  /** The key. */
  key: string;
  /** Where it was found, e.g. `env POLYGON_API_KEY` or `file ./keys.json`. */
  source: string;
}

/** One place API keys can come from; a key resolver asks its sources in order. */
export interface KeySource {
  /** Where this source looks for `provider`'s key, in words (for hints), e.g. `env POLYGON_API_KEY`. */
  where(provider: string): string;
  /** The key for `provider`, or undefined when this source has none. */
  lookup(provider: string, options: { signal?: AbortSignal }): Promise<FoundKey | undefined>;
}

/** Keys given in code, e.g. from your own secret store: `{ polygon: '…' }`. */
function explicit(keys: Readonly<Record<string, string | undefined>>): KeySource {
  return {
    where: () => 'explicit keys',
    lookup: async (provider) => {
      const key = keys[provider];
      return key === undefined || key === '' ? undefined : { key, source: 'explicit keys' };
    },
  };
}

/**
 * Environment variables: `STOCKADE_PROVIDERS_<NAME>_API_KEY` first, then the provider's usual
 * names (`ALPHA_VANTAGE_API_KEY`, `POLYGON_API_KEY`, `MASSIVE_API_KEY`). Read at each lookup, so
 * a rotated variable is seen by `refresh`. Empty values count as unset.
 */
function environment(
  env: Readonly<Record<string, string | undefined>> = process.env,
  names: Readonly<Record<string, readonly string[]>> = defaultKeyEnvNames,
): KeySource {
  const namesOf = (provider: string) => [
    `STOCKADE_PROVIDERS_${provider.toUpperCase()}_API_KEY`,
    ...(names[provider] ?? []),
  ];
  return {
    where: (provider) =>
      namesOf(provider)
        .map((n) => `env ${n}`)
        .join(', '),
    lookup: async (provider) => {
      for (const name of namesOf(provider)) {
        const key = env[name];
        if (key !== undefined && key !== '') return { key, source: `env ${name}` };
      }
      return undefined;
    },
  };
}

/**
 * A JSON file mapping provider names to keys (`{ "polygon": "…" }`), e.g. a mounted Kubernetes
 * secret. Read at each lookup, so a rotated file is seen by `refresh`; a missing file has no keys.
 *
 * @throws {ConfigError} from `lookup` when the file is not a JSON object of strings.
 */
function file(path: string, options: { cwd?: string } = {}): KeySource {
  const absolute = resolvePath(options.cwd ?? process.cwd(), path);
  const source = `file ${path}`;
  return {
    where: () => source,
    lookup: async (provider, { signal }) => {
      let text: string;
      try {
        text = await readFile(absolute, { encoding: 'utf8', signal });
      } catch (err) {
        if (isAbortError(err)) throw signal?.reason ?? err;
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new ConfigError([
          { path: '', message: `cannot read the key file (${(err as NodeJS.ErrnoException).code ?? 'error'})`, source },
        ]);
      }
      let data: unknown;
      try {
        data = JSON.parse(text);
      } catch {
        // The parser's message may quote the file, which holds keys: say only that it is broken.
        throw new ConfigError([
          {
            path: '',
            message: 'the key file is not valid JSON',
            source,
            hint: 'write a JSON object: { "polygon": "<key>" }',
          },
        ]);
      }
      if (data === null || typeof data !== 'object' || Array.isArray(data)) {
        throw new ConfigError([
          { path: '', message: 'the key file must hold a JSON object of provider → key', source },
        ]);
      }
      const key = (data as Record<string, unknown>)[provider];
      if (key === undefined || key === '') return undefined;
      if (typeof key !== 'string') {
        throw new ConfigError([
          { path: provider, message: 'a key must be a string', found: `a ${typeof key}`, source },
        ]);
      }
      return { key, source };
    },
  };
}

/** What a key callback receives besides the provider name. */
export interface KeyCallbackContext {
  /** Aborted when the caller gives up. */
  signal: AbortSignal;
}

/**
 * A function that fetches keys, e.g. from a cloud secret manager. Return undefined when it has
 * no key for the provider. A failure surfaces as a retryable `ProviderError` of kind `transient`.
 */
function callback(
  fetchKey: (provider: string, context: KeyCallbackContext) => Promise<string | undefined> | string | undefined,
  options: { name?: string } = {},
): KeySource {
  const name = options.name ?? 'key callback';
  return {
    where: () => name,
    lookup: async (provider, { signal }) => {
      const effective = signal ?? new AbortController().signal;
      let key: string | undefined;
      try {
        key = await fetchKey(provider, { signal: effective });
      } catch (err) {
        if (effective.aborted) throw effective.reason;
        throw new ProviderError(`the ${name} failed to return a key`, { provider, kind: 'transient', cause: err });
      }
      return key === undefined || key === '' ? undefined : { key, source: name };
    },
  };
}

/**
 * Keys from a loaded configuration (`providers.<name>.apiKey`), labelled with where the config
 * got them. Pass a function to follow a watched config: `config(() => watcher.current())`.
 */
function config(loaded: LoadedConfig | (() => LoadedConfig)): KeySource {
  const current = () => (typeof loaded === 'function' ? loaded() : loaded);
  return {
    where: (provider) => `config providers.${provider}.apiKey`,
    lookup: async (provider) => {
      const active = current();
      const key = (active.config.providers as Record<string, { apiKey?: string } | undefined>)[provider]?.apiKey;
      if (key === undefined || key === '') return undefined;
      return { key, source: active.sourceOf(`providers.${provider}.apiKey`) ?? 'config' };
    },
  };
}

/**
 * The places a key resolver can read keys from, asked in the order given.
 *
 * @example
 * const resolver = createKeyResolver({
 *   sources: [keySources.environment(), keySources.file('/run/secrets/stockade-keys.json')],
 * });
 */
export const keySources = Object.freeze({ explicit, environment, file, callback, config });
