import type { z } from 'zod';
import type { ConfigIssue } from '../errors/index.js';
import { closestMatch } from './did-you-mean.js';
import { type ConfigLayer, type ConfigSource, isPlainObject, setValueAt } from './layers.js';
import { defaultKeyEnvNames } from './provider-keys.js';
import { StockadeConfig } from './schema.js';
import { describeSchema, type LeafKind } from './schema-walk.js';

/** Prefix of every Stockade environment variable. */
export const ENV_PREFIX = 'STOCKADE_';

/** Short names for the most used settings; the systematic name works too. */
export const envAliases: Readonly<Record<string, string>> = Object.freeze({
  STOCKADE_REDIS_URL: 'cache.redisUrl',
  STOCKADE_LOG_LEVEL: 'logging.level',
});

/**
 * The name of the environment variable for a config path: `STOCKADE_` and the path in
 * UPPER_SNAKE, segments joined by `_` (`cache.l1MaxBytes` → `STOCKADE_CACHE_L1_MAX_BYTES`,
 * `providers.polygon.enabled` → `STOCKADE_PROVIDERS_POLYGON_ENABLED`). `__` may separate segments
 * for readability; it reads like `_`.
 */
export function envNameOf(path: string): string {
  return ENV_PREFIX + path.split('.').map(upperSnake).join('_');
}

function upperSnake(segment: string): string {
  return segment
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .toUpperCase();
}

function camel(tokens: readonly string[]): string {
  return tokens.map((t, i) => (i === 0 ? t.toLowerCase() : t.charAt(0) + t.slice(1).toLowerCase())).join('');
}

interface Resolved {
  path: string[];
  kind: LeafKind;
}

function resolveTokens(
  schema: z.ZodType,
  tokens: readonly string[],
  path: string[],
  lower: unknown,
): Resolved | undefined {
  const node = describeSchema(schema);
  if (node.kind === 'leaf') return tokens.length === 0 ? { path, kind: node.leaf } : undefined;
  if (tokens.length === 0) return undefined;
  if (node.kind === 'object') {
    for (const [field, fieldSchema] of Object.entries(node.fields)) {
      const fieldTokens = upperSnake(field).split('_');
      if (fieldTokens.every((t, i) => tokens[i] === t)) {
        const lowerField = isPlainObject(lower) ? lower[field] : undefined;
        const found = resolveTokens(fieldSchema, tokens.slice(fieldTokens.length), [...path, field], lowerField);
        if (found !== undefined) return found;
      }
    }
    return node.catchall === undefined ? undefined : resolveRecordKey(node.catchall, tokens, path, lower);
  }
  return resolveRecordKey(node.value, tokens, path, lower);
}

/** Record keys (custom providers, components, agents) match a key already known below, else read as camelCase. */
function resolveRecordKey(
  valueSchema: z.ZodType,
  tokens: readonly string[],
  path: string[],
  lower: unknown,
): Resolved | undefined {
  const known = isPlainObject(lower) ? Object.keys(lower) : [];
  for (let k = 1; k <= tokens.length; k++) {
    const keyTokens = tokens.slice(0, k);
    const key = known.find((name) => upperSnake(name) === keyTokens.join('_')) ?? camel(keyTokens);
    const lowerValue = isPlainObject(lower) ? lower[key] : undefined;
    const found = resolveTokens(valueSchema, tokens.slice(k), [...path, key], lowerValue);
    if (found !== undefined) return found;
  }
  return undefined;
}

function knownEnvNames(schema: z.ZodType, path: string[]): string[] {
  const node = describeSchema(schema);
  if (node.kind === 'leaf') return [envNameOf(path.join('.'))];
  if (node.kind === 'record') return [];
  return Object.entries(node.fields).flatMap(([field, s]) => knownEnvNames(s, [...path, field]));
}

/** Turns an environment string into the value type the leaf expects; leaves it a string when it does not fit, so validation reports it. */
function coerce(raw: string, kind: LeafKind): { value: unknown } | { error: string } {
  switch (kind) {
    case 'boolean':
      if (/^(true|1|yes|on)$/i.test(raw)) return { value: true };
      if (/^(false|0|no|off)$/i.test(raw)) return { value: false };
      return { value: raw };
    case 'number':
    case 'duration':
      return { value: raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw };
    case 'json':
      try {
        return { value: JSON.parse(raw) };
      } catch {
        return { error: 'is not valid JSON (this setting takes a JSON array or object)' };
      }
    default:
      return { value: raw };
  }
}

/** The environment layer, plus the problems found reading it. */
export interface EnvLayer extends ConfigLayer {
  /** Unknown `STOCKADE_*` names and unreadable values. */
  issues: ConfigIssue[];
}

/**
 * Reads configuration from environment variables: every `STOCKADE_*` name (see
 * {@link envNameOf} and {@link envAliases}) and the providers' usual key variables
 * (`ALPHA_VANTAGE_API_KEY`, `POLYGON_API_KEY`, `MASSIVE_API_KEY`). Empty values count as unset.
 * When two names set the same path, the systematic `STOCKADE_` name wins over an alias, which
 * wins over a provider's usual name.
 *
 * @param lower the merged layers below (file and defaults), used to match record keys.
 */
export function readEnvLayer(
  env: Readonly<Record<string, string | undefined>>,
  lower: Record<string, unknown>,
): EnvLayer {
  const data: Record<string, unknown> = {};
  const sources = new Map<string, ConfigSource>();
  const issues: ConfigIssue[] = [];
  const assign = (name: string, resolved: Resolved, raw: string) => {
    const key = resolved.path.join('.');
    const coerced = coerce(raw, resolved.kind);
    if ('error' in coerced) {
      issues.push({
        path: key,
        message: coerced.error,
        found: `a ${raw.length}-character string`,
        source: `env ${name}`,
      });
      return;
    }
    setValueAt(data, resolved.path, coerced.value);
    sources.set(key, `env ${name}`);
  };
  const set = (name: string) => env[name] !== undefined && env[name] !== '';

  for (const [provider, names] of Object.entries(defaultKeyEnvNames)) {
    for (const name of [...names].reverse()) {
      if (set(name)) assign(name, { path: ['providers', provider, 'apiKey'], kind: 'string' }, env[name] as string);
    }
  }
  for (const [name, path] of Object.entries(envAliases)) {
    if (set(name)) assign(name, { path: path.split('.'), kind: 'string' }, env[name] as string);
  }
  const systematic = Object.keys(env)
    .filter((name) => name.startsWith(ENV_PREFIX) && !(name in envAliases) && set(name))
    .sort();
  let known: string[] | undefined;
  for (const name of systematic) {
    const tokens = name
      .slice(ENV_PREFIX.length)
      .split('_')
      .filter((t) => t !== '');
    const resolved = resolveTokens(StockadeConfig, tokens, [], lower);
    if (resolved !== undefined) {
      assign(name, resolved, env[name] as string);
      continue;
    }
    known ??= [...knownEnvNames(StockadeConfig, []), ...Object.keys(envAliases)];
    const close = closestMatch(name, known);
    issues.push({
      path: '',
      message: `unknown environment variable ${name}`,
      source: `env ${name}`,
      hint:
        close === undefined
          ? 'names are STOCKADE_ + the config path in UPPER_SNAKE, e.g. STOCKADE_CACHE_L1_MAX_BYTES; unset it if it is not for Stockade'
          : `did you mean ${close}?`,
    });
  }
  return { data, issues, sourceOf: (path) => sources.get(path) ?? `env ${ENV_PREFIX}*` };
}
