import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.js';
import { type LoadConfigOptions, loadConfig } from './load-config.js';

const POLYGON_KEY = '7iysfN00bQARN9Je3z9hXijIvFQlIEPm';
const MASSIVE_KEY = '24YmZNsz0W0OFcfca1PiGLHPLPm889hP';
const AV_KEY = 'TQJ9OH91IL4BYAOV';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockade-config-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const writeConfig = (data: unknown, name = 'stockade.config.json') => {
  writeFileSync(join(dir, name), typeof data === 'string' ? data : JSON.stringify(data));
};
const load = (options: LoadConfigOptions = {}) => loadConfig({ cwd: dir, env: {}, ...options });
const configErrorOf = (fn: () => unknown): ConfigError => {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig layers', () => {
  it('applies default < file < env < override for the same path, and explain() names each source', () => {
    const source = (loaded: ReturnType<typeof load>) => loaded.explain().find((e) => e.path === 'cache.l1MaxBytes');

    expect(source(load())).toEqual({ path: 'cache.l1MaxBytes', value: 33_554_432, source: 'default' });

    writeConfig({ cache: { l1MaxBytes: 1_000 } });
    expect(source(load())).toEqual({ path: 'cache.l1MaxBytes', value: 1_000, source: 'file ./stockade.config.json' });

    const env = { STOCKADE_CACHE_L1_MAX_BYTES: '2000' };
    expect(source(load({ env }))).toEqual({
      path: 'cache.l1MaxBytes',
      value: 2_000,
      source: 'env STOCKADE_CACHE_L1_MAX_BYTES',
    });

    const loaded = load({ env, overrides: { cache: { l1MaxBytes: 3_000 } } });
    expect(source(loaded)).toEqual({ path: 'cache.l1MaxBytes', value: 3_000, source: 'override' });
    expect(loaded.config.cache.l1MaxBytes).toBe(3_000);
    expect(loaded.sourceOf('cache.l1MaxBytes')).toBe('override');
  });

  it('takes health thresholds from the profile, production stricter than development', () => {
    const dev = load();
    const prod = load({ env: { STOCKADE_PROFILE: 'production', POLYGON_API_KEY: POLYGON_KEY } });
    expect(dev.config.health.degradedSuccessRate).toBe(0.8);
    expect(prod.config.health.degradedSuccessRate).toBe(0.95);
    expect(prod.config.health.consecutiveFailuresAlert).toBeLessThan(dev.config.health.consecutiveFailuresAlert);
    expect(prod.sourceOf('health.degradedSuccessRate')).toBe('profile production');
    expect(prod.sourceOf('profile')).toBe('env STOCKADE_PROFILE');
    // A file still wins over the profile's defaults.
    writeConfig({ health: { latencyFactor: 5 } });
    const withFile = load({ profile: 'production', env: { POLYGON_API_KEY: POLYGON_KEY } });
    expect(withFile.config.health.latencyFactor).toBe(5);
    expect(withFile.sourceOf('health.quotaWarnRatio')).toBe('profile production');
  });

  it('reads the systematic STOCKADE_ names, the short aliases and the providers usual key variables', () => {
    const loaded = load({
      env: {
        STOCKADE_REDIS_URL: 'redis://127.0.0.1:6390',
        STOCKADE_LOG_LEVEL: 'debug',
        STOCKADE_PROVIDERS_POLYGON_ENABLED: 'false',
        STOCKADE_PROVIDERS_YAHOO_TIMEOUT_MS: '2s',
        STOCKADE_RESILIENCE__RETRY__MAX_ATTEMPTS: '5',
        STOCKADE_SIGNALS_AGENT_WEIGHTS_MACD_CROSS: '1.5',
        STOCKADE_LOGGING_LEVELS_CACHE: 'trace',
        STOCKADE_PROVIDERS_MASSIVE_QUOTAS: '[{"name":"second","limit":100,"perMs":"1s"}]',
        ALPHA_VANTAGE_API_KEY: AV_KEY,
        MASSIVE_API_KEY: MASSIVE_KEY,
        UNRELATED: 'ignored',
      },
    });
    const c = loaded.config;
    expect(c.cache.redisUrl).toBe('redis://127.0.0.1:6390');
    expect(c.logging.level).toBe('debug');
    expect(c.providers.polygon.enabled).toBe(false);
    expect(c.providers.yahoo.timeoutMs).toBe(2_000);
    expect(c.resilience.retry.maxAttempts).toBe(5);
    expect(c.signals.agentWeights).toEqual({ macdCross: 1.5 });
    expect(c.logging.levels).toEqual({ cache: 'trace' });
    expect(c.providers.massive.quotas).toEqual([{ name: 'second', limit: 100, perMs: 1_000 }]);
    expect(c.providers.alphavantage.apiKey).toBe(AV_KEY);
    expect(loaded.sourceOf('providers.alphavantage.apiKey')).toBe('env ALPHA_VANTAGE_API_KEY');
    expect(loaded.sourceOf('providers.massive.quotas.0.limit')).toBe('env STOCKADE_PROVIDERS_MASSIVE_QUOTAS');
    expect(c.mode).toBe('live');
  });

  it('lets the systematic name win over a provider usual key variable', () => {
    const other = 'Z'.repeat(32);
    const loaded = load({ env: { POLYGON_API_KEY: POLYGON_KEY, STOCKADE_PROVIDERS_POLYGON_API_KEY: other } });
    expect(loaded.config.providers.polygon.apiKey).toBe(other);
    expect(loaded.sourceOf('providers.polygon.apiKey')).toBe('env STOCKADE_PROVIDERS_POLYGON_API_KEY');
  });

  it('returns a deeply frozen config', () => {
    const loaded = load();
    expect(Object.isFrozen(loaded)).toBe(true);
    expect(Object.isFrozen(loaded.config.providers.alphavantage.quotas[0])).toBe(true);
    expect(() => {
      (loaded.config.cache as { l1MaxBytes: number }).l1MaxBytes = 1;
    }).toThrow(TypeError);
  });

  it('accepts durations as strings in the file and gives milliseconds', () => {
    writeConfig({ cache: { ttl: { quoteRegularMs: '5s', negativeMs: 250 } }, resilience: { deadlineMs: '2m' } });
    const { config } = load();
    expect(config.cache.ttl.quoteRegularMs).toBe(5_000);
    expect(config.cache.ttl.negativeMs).toBe(250);
    expect(config.resilience.deadlineMs).toBe(120_000);
  });
});

describe('loadConfig mode and keys', () => {
  it('runs on the simulator with every provider enabled when no key is configured', () => {
    const { config } = load();
    expect(config.mode).toBe('simulator');
    expect(Object.values(config.providers).every((p) => p.enabled)).toBe(true);
  });

  it('goes live with a key, enabling only the keyed providers that have one (and keyless yahoo)', () => {
    const { config } = load({ env: { POLYGON_API_KEY: POLYGON_KEY } });
    expect(config.mode).toBe('live');
    expect(config.providers.polygon.enabled).toBe(true);
    expect(config.providers.yahoo.enabled).toBe(true);
    expect(config.providers.massive.enabled).toBe(false);
    expect(config.providers.alphavantage.enabled).toBe(false);
  });

  it('does not require keys in simulator mode, but still checks the format of a key that is given', () => {
    expect(load({ overrides: { mode: 'simulator', providers: { massive: { enabled: true } } } }).config.mode).toBe(
      'simulator',
    );
    const err = configErrorOf(() => load({ overrides: { mode: 'simulator' }, env: { POLYGON_API_KEY: 'short' } }));
    expect(err.issues.map((i) => i.path)).toEqual(['providers.polygon.apiKey']);
  });

  it('requires a key for a provider explicitly enabled in live mode, naming the variables to set', () => {
    const err = configErrorOf(() =>
      load({ env: { STOCKADE_MODE: 'live', STOCKADE_PROVIDERS_MASSIVE_ENABLED: 'true' } }),
    );
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]).toMatchObject({ path: 'providers.massive.apiKey', found: 'nothing' });
    expect(err.issues[0]?.message).toContain('env STOCKADE_PROVIDERS_MASSIVE_ENABLED');
    expect(err.issues[0]?.hint).toContain('MASSIVE_API_KEY');
  });

  it('reports when no provider is enabled and usable', () => {
    const err = configErrorOf(() => load({ overrides: { mode: 'live', providers: { yahoo: { enabled: false } } } }));
    expect(err.issues.map((i) => [i.path, i.message])).toEqual([['providers', 'no provider is enabled and usable']]);
  });

  it('skips the format check when checkKeyFormat is off', () => {
    const { config } = load({
      env: { POLYGON_API_KEY: 'a-new-format-key' },
      overrides: { providers: { polygon: { checkKeyFormat: false } } },
    });
    expect(config.providers.polygon.enabled).toBe(true);
  });

  it('accepts a custom provider with generic defaults, and flags one that looks like a typo of a built-in', () => {
    const { config } = load({
      overrides: { providers: { mybroker: { baseUrl: 'https://api.mybroker.test', priority: 5 } } },
    });
    expect(config.providers.mybroker).toMatchObject({ enabled: true, priority: 5, costPerCall: 0, quotas: [] });
    const err = configErrorOf(() => load({ overrides: { providers: { polgon: { enabled: true } } } }));
    expect(err.issues[0]).toMatchObject({ path: 'providers.polgon', source: 'override' });
    expect(err.issues[0]?.hint).toContain('did you mean "polygon"?');
  });
});

describe('loadConfig errors', () => {
  it('lists every problem at once: a 31-character MASSIVE_API_KEY, a negative timeout from the file, an unknown key', () => {
    writeConfig({ providers: { polygon: { timeoutMs: -5 } }, cache: { l1MaxByte: 1_000 } });
    const badKey = MASSIVE_KEY.slice(0, 31);
    const err = configErrorOf(() => load({ env: { MASSIVE_API_KEY: badKey } }));
    expect(err.issues).toHaveLength(3);
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i]));
    expect(byPath['providers.massive.apiKey']).toMatchObject({
      found: 'a 31-character string',
      source: 'env MASSIVE_API_KEY',
    });
    expect(byPath['providers.massive.apiKey']?.hint).toContain('MASSIVE_API_KEY');
    expect(byPath['providers.polygon.timeoutMs']).toMatchObject({
      found: 'the number -5',
      source: 'file ./stockade.config.json',
    });
    expect(byPath['providers.polygon.timeoutMs']?.hint).toContain("'5s'");
    expect(byPath['cache.l1MaxByte']).toMatchObject({
      message: 'unknown key "l1MaxByte"',
      source: 'file ./stockade.config.json',
      hint: 'did you mean "l1MaxBytes"?',
    });
    expect(err.message).toContain('3 problems');
    expect(err.message).not.toContain(badKey);
    expect(JSON.stringify(err.toJSON())).not.toContain(badKey);
  });

  it('lists valid keys when an unknown one is not close to any', () => {
    const err = configErrorOf(() => load({ overrides: { cache: { zzzzzz: 1 } } as never }));
    expect(err.issues[0]?.hint).toMatch(/^valid keys: l1MaxBytes, redisUrl, keyPrefix, ttl, maxStaleMs$/);
  });

  it('suggests the right name for a misspelt STOCKADE_ variable', () => {
    const err = configErrorOf(() => load({ env: { STOCKADE_CACHE_L1_MAXBYTES: '5' } }));
    expect(err.issues[0]).toMatchObject({
      source: 'env STOCKADE_CACHE_L1_MAXBYTES',
      hint: 'did you mean STOCKADE_CACHE_L1_MAX_BYTES?',
    });
  });

  it('names env values that do not fit their setting', () => {
    const err = configErrorOf(() =>
      load({ env: { STOCKADE_PROVIDERS_YAHOO_ENABLED: 'maybe', STOCKADE_LOG_LEVEL: 'loud' } }),
    );
    const byPath = Object.fromEntries(err.issues.map((i) => [i.path, i]));
    expect(byPath['providers.yahoo.enabled']).toMatchObject({
      source: 'env STOCKADE_PROVIDERS_YAHOO_ENABLED',
      found: 'the string "maybe"',
    });
    expect(byPath['logging.level']?.hint).toBe('use one of: trace, debug, info, warn, error, fatal, silent');
  });

  it('rejects a given file that does not exist, but not an absent default file', () => {
    const err = configErrorOf(() => load({ file: 'missing.json' }));
    expect(err.issues[0]).toMatchObject({ message: 'config file not found', source: 'option file' });
    expect(load().file).toBeUndefined();
  });

  it('reads the given file relative to cwd', () => {
    writeConfig({ signals: { minConfidence: 0.7 } }, 'custom.json');
    const loaded = load({ file: 'custom.json' });
    expect(loaded.config.signals.minConfidence).toBe(0.7);
    expect(loaded.file).toBe(join(dir, 'custom.json'));
    expect(loaded.sourceOf('signals.minConfidence')).toBe('file ./custom.json');
  });

  it('reports invalid JSON by line and column without quoting the file', () => {
    writeConfig(`{\n  "providers": { "polygon": { "apiKey": "${POLYGON_KEY}" } },\n}`);
    const err = configErrorOf(() => load());
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]?.message).toMatch(/^is not valid JSON \(.*line 3, column 1\)$/);
    expect(err.message).not.toContain(POLYGON_KEY);
  });

  it('ignores a $schema key in the file', () => {
    writeConfig({ $schema: './node_modules/@stockade/core/config.schema.json', profile: 'test' });
    expect(load().config.profile).toBe('test');
  });
});
