import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigError, type ConfigIssue } from '../errors/index.js';
import { registerSecret } from '../keys/redact.js';
import { crossCheck } from './cross-checks.js';
import { readEnvLayer } from './env.js';
import { type ExplainEntry, explainConfig } from './explain.js';
import {
  type ConfigLayer,
  type ConfigSource,
  isPlainObject,
  lookupSource,
  mergeLayers,
  uniformLayer,
} from './layers.js';
import { rememberRecipe } from './loaded-registry.js';
import { profilePresets } from './profiles.js';
import { providerNeedsKey } from './provider-keys.js';
import { Mode, Profile, StockadeConfig, type StockadeConfigOverrides } from './schema.js';
import { mapZodIssues } from './zod-issues.js';

/** The config file read from `cwd` when no `file` is given (absent is fine). */
export const DEFAULT_CONFIG_FILE = 'stockade.config.json';

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Path of the JSON config file, relative to `cwd`; a given path that does not exist is a `ConfigError`. `false` reads no file. @default 'stockade.config.json' in `cwd`, when present */
  file?: string | false;
  /** Environment variables to read. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Values that win over every other layer (code, CLI flags). @default {} */
  overrides?: StockadeConfigOverrides;
  /** The profile; counts as an override. @default overrides, STOCKADE_PROFILE, the file, else 'development' */
  profile?: Profile;
  /** Directory `file` is relative to. @default process.cwd() */
  cwd?: string;
}

/** Read-only, recursively. */
export type DeepReadonly<T> = T extends (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A validated, frozen configuration that can say where each value came from. */
export interface LoadedConfig {
  /** The configuration, deeply frozen. */
  readonly config: DeepReadonly<StockadeConfig>;
  /** Absolute path of the config file that was read, if one was. */
  readonly file: string | undefined;
  /** Every leaf path, its value (keys redacted) and its source. */
  explain(): ExplainEntry[];
  /** Where the leaf at a dotted path (e.g. `cache.redisUrl`) came from; undefined for an unknown path. */
  sourceOf(path: string): ConfigSource | undefined;
}

/**
 * Loads the configuration with one precedence, highest first: `overrides` (and `profile`) >
 * environment variables (`STOCKADE_*` and the providers' usual key variables) > one config file
 * (`stockade.config.json` in `cwd`, or `file`) > the profile's defaults > defaults. Every problem
 * found — schema errors, unknown keys, malformed or missing keys, no usable provider — is
 * reported at once in one `ConfigError`. Every API key found is registered for redaction.
 *
 * `mode` defaults to `live` when any provider key is configured (and always in production),
 * else `simulator`; a provider that needs a key is enabled by default in simulator mode or when
 * it has one.
 *
 * @throws {ConfigError} listing every problem, each with path, found, source and hint.
 * @example
 * const loaded = loadConfig({ overrides: { cache: { l1MaxBytes: 8_000_000 } } });
 * loaded.config.providers.polygon.enabled;   // true when POLYGON_API_KEY is set
 * loaded.sourceOf('cache.l1MaxBytes');       // 'override'
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const issues: ConfigIssue[] = [];
  const filePath = resolve(cwd, typeof options.file === 'string' ? options.file : DEFAULT_CONFIG_FILE);
  const fileLayer =
    options.file === false ? undefined : readFileLayer(filePath, cwd, options.file !== undefined, issues);

  const overrideData: Record<string, unknown> = isPlainObject(options.overrides)
    ? structuredClone(options.overrides)
    : {};
  if (options.profile !== undefined) overrideData.profile = options.profile;
  const envLayer = readEnvLayer(env, fileLayer?.data ?? {});
  issues.push(...envLayer.issues);
  const upper: ConfigLayer[] = [
    ...(fileLayer === undefined ? [] : [fileLayer]),
    envLayer,
    uniformLayer(overrideData, 'override'),
  ];
  const upperData = mergeLayers(upper).data;
  registerKeys(upperData);

  const parsedProfile = Profile.safeParse(upperData.profile);
  const profile = parsedProfile.success ? parsedProfile.data : 'development';
  const preset = profilePresets[profile];
  const merged = mergeLayers([
    defaultLayer(upperData, profile),
    uniformLayer({ ...preset }, `profile ${profile}`),
    ...upper,
  ]);
  const sourceOf = (path: string) => lookupSource(merged.sources, path);

  const parsed = StockadeConfig.safeParse(merged.data);
  if (!parsed.success) issues.push(...mapZodIssues(StockadeConfig, parsed.error.issues, merged.data, sourceOf));
  issues.push(...crossCheck(merged.data, sourceOf));
  if (issues.length > 0 || !parsed.success) throw new ConfigError(issues);

  const config = deepFreeze(parsed.data);
  let cached: ExplainEntry[] | undefined;
  const entries = () => {
    cached ??= explainConfig(StockadeConfig, config, sourceOf).map((e) => Object.freeze(e));
    return cached;
  };
  const loaded: LoadedConfig = Object.freeze({
    config,
    file: fileLayer !== undefined && !fileLayer.absent ? filePath : undefined,
    explain: () => [...entries()],
    sourceOf: (path: string) => {
      const entry = entries().find((e) => e.path === path);
      if (entry !== undefined) return entry.source;
      // An array's source is that of the layer that set it whole.
      return entries().some((e) => e.path.startsWith(`${path}.`)) ? sourceOf(path) : undefined;
    },
  });
  rememberRecipe(loaded, { options, filePath });
  return loaded;
}

interface FileLayer extends ConfigLayer {
  /** True when the default file is not there (fine: no layer). */
  absent: boolean;
}

function displayPath(filePath: string, cwd: string): string {
  const rel = relative(cwd, filePath);
  return rel.startsWith('..') || isAbsolute(rel) ? filePath : `./${rel}`;
}

function readFileLayer(filePath: string, cwd: string, given: boolean, issues: ConfigIssue[]): FileLayer {
  const source: ConfigSource = `file ${displayPath(filePath, cwd)}`;
  const empty = (absent: boolean): FileLayer => ({ data: {}, absent, sourceOf: () => source });
  if (!existsSync(filePath)) {
    if (given) {
      issues.push({
        path: '',
        message: 'config file not found',
        found: `no file at ${filePath}`,
        source: 'option file',
        hint: `check the path (it is relative to ${cwd}); Stockade reads exactly one config file and never searches for others`,
      });
    }
    return empty(true);
  }
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (err) {
    issues.push({
      path: '',
      message: `cannot read the config file (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
      source,
    });
    return empty(false);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    issues.push({
      path: '',
      message: `is not valid JSON (${jsonErrorWhere(text, (err as Error).message)})`,
      source,
      hint: 'fix the syntax; comments and trailing commas are not allowed in JSON',
    });
    return empty(false);
  }
  if (!isPlainObject(data)) {
    issues.push({
      path: '',
      message: 'the config file must hold a JSON object',
      found: Array.isArray(data) ? 'an array' : `a ${typeof data}`,
      source,
    });
    return empty(false);
  }
  // A "$schema" key lets editors validate the file; it is not a setting.
  const { $schema: _schema, ...settings } = data;
  return { data: settings, absent: false, sourceOf: () => source };
}

/** Where a JSON syntax error is, without quoting the file (which may hold a key). */
function jsonErrorWhere(text: string, message: string): string {
  const reason = (message.split(/, "|\s+in JSON at position/)[0] ?? 'syntax error').trim();
  const position = /position (\d+)/.exec(message);
  if (position === null) return reason;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

function registerKeys(data: Record<string, unknown>): void {
  const providers = data.providers;
  if (!isPlainObject(providers)) return;
  for (const settings of Object.values(providers)) {
    if (isPlainObject(settings) && typeof settings.apiKey === 'string') registerSecret(settings.apiKey);
  }
}

/** Plain defaults, with the two that depend on the other layers: `mode` and keyed providers' `enabled`. */
function defaultLayer(upper: Record<string, unknown>, profile: Profile): ConfigLayer {
  const data = StockadeConfig.parse({ profile }) as unknown as Record<string, unknown>;
  const upperProviders = isPlainObject(upper.providers) ? upper.providers : {};
  const hasKey = (name: string) => {
    const settings = upperProviders[name];
    return isPlainObject(settings) && typeof settings.apiKey === 'string' && settings.apiKey !== '';
  };
  const anyKey = Object.keys(upperProviders).some(hasKey);
  data.mode = anyKey ? 'live' : 'simulator';
  const chosen = Mode.safeParse(upper.mode);
  const mode = chosen.success ? chosen.data : (profilePresets[profile].mode ?? data.mode);
  const providers = data.providers as Record<string, Record<string, unknown>>;
  for (const [name, settings] of Object.entries(providers)) {
    if (providerNeedsKey(name)) settings.enabled = mode === 'simulator' || hasKey(name);
  }
  return uniformLayer(data, 'default');
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
