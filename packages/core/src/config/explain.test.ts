import { describe, expect, it } from 'vitest';
import { formatExplain } from './explain.js';
import { loadConfig } from './load-config.js';

const POLYGON_KEY = 'Xq4pL0ZbW2nVt8RkYc6M1sJd9HfGa3Ue';

describe('explain()', () => {
  const loaded = loadConfig({
    file: false,
    env: { POLYGON_API_KEY: POLYGON_KEY, STOCKADE_REDIS_URL: 'redis://user:hunter2pass@127.0.0.1:6390/0' },
    overrides: { signals: { agentWeights: { rsi: 2 } }, providers: { alphavantage: { quotas: [] } } },
  });
  const entries = loaded.explain();
  const entry = (path: string) => entries.find((e) => e.path === path);

  it('lists every leaf with its value and source, including unset optional settings', () => {
    expect(entry('providers.polygon.apiKey')).toEqual({
      path: 'providers.polygon.apiKey',
      value: '[REDACTED] (32 characters)',
      source: 'env POLYGON_API_KEY',
    });
    expect(entry('providers.polygon.quotas.0.limit')).toEqual({
      path: 'providers.polygon.quotas.0.limit',
      value: 5,
      source: 'default',
    });
    expect(entry('providers.alphavantage.quotas')).toEqual({
      path: 'providers.alphavantage.quotas',
      value: [],
      source: 'override',
    });
    expect(entry('signals.agentWeights.rsi')).toEqual({
      path: 'signals.agentWeights.rsi',
      value: 2,
      source: 'override',
    });
    expect(entry('logging.levels')).toEqual({ path: 'logging.levels', value: {}, source: 'default' });
    expect(entry('providers.yahoo.baseUrl')).toEqual({
      path: 'providers.yahoo.baseUrl',
      value: undefined,
      source: 'default',
    });
    expect(entry('mode')).toEqual({ path: 'mode', value: 'live', source: 'default' });
    expect(entry('health.latencyFactor')?.source).toBe('profile development');
    expect(new Set(entries.map((e) => e.path)).size).toBe(entries.length);
    expect(entries.length).toBeGreaterThan(80);
  });

  it('never shows a key or a URL password', () => {
    const text = JSON.stringify(entries) + formatExplain(entries);
    expect(text).not.toContain(POLYGON_KEY);
    expect(text).not.toContain('hunter2pass');
    expect(entry('cache.redisUrl')?.value).toBe('redis://****@127.0.0.1:6390/0');
    // The config itself keeps the real values for the code that needs them.
    expect(loaded.config.cache.redisUrl).toBe('redis://user:hunter2pass@127.0.0.1:6390/0');
  });

  it('answers sourceOf for leaves and arrays, and undefined for paths that do not exist', () => {
    expect(loaded.sourceOf('cache.redisUrl')).toBe('env STOCKADE_REDIS_URL');
    expect(loaded.sourceOf('providers.polygon.quotas')).toBe('default');
    expect(loaded.sourceOf('cache.nope')).toBeUndefined();
  });

  it('formats an aligned table', () => {
    const table = formatExplain(entries.filter((e) => e.path.startsWith('cache.ttl.')));
    expect(table.split('\n')[0]).toMatch(/^cache\.ttl\.quoteRegularMs\s+10000\s+default$/);
  });
});
