import { describe, expect, it } from 'vitest';
import { envNameOf, readEnvLayer } from './env.js';

describe('environment variable names', () => {
  it('are STOCKADE_ and the path in UPPER_SNAKE', () => {
    expect(envNameOf('cache.l1MaxBytes')).toBe('STOCKADE_CACHE_L1_MAX_BYTES');
    expect(envNameOf('providers.polygon.enabled')).toBe('STOCKADE_PROVIDERS_POLYGON_ENABLED');
    expect(envNameOf('resilience.retry.maxAttempts')).toBe('STOCKADE_RESILIENCE_RETRY_MAX_ATTEMPTS');
  });

  it('round-trip: every name envNameOf gives is read back to its path', () => {
    const paths = [
      'cache.ttl.quoteClosedMaxMs',
      'resilience.hedge.budgetRatio',
      'providers.alphavantage.costPerCall',
      'health.quotaWarnRatio',
    ];
    for (const path of paths) {
      const layer = readEnvLayer({ [envNameOf(path)]: '0.5' }, {});
      expect(layer.issues).toEqual([]);
      expect(layer.sourceOf(path)).toBe(`env ${envNameOf(path)}`);
    }
  });

  it('matches record keys already known below, else reads them as camelCase', () => {
    const lower = { logging: { levels: { 'market-data': 'info' } }, providers: { my_broker: { priority: 1 } } };
    const layer = readEnvLayer(
      {
        STOCKADE_LOGGING_LEVELS_MARKET_DATA: 'debug',
        STOCKADE_PROVIDERS_MY_BROKER_ENABLED: 'no',
        STOCKADE_LOGGING_LEVELS_QUOTE_CACHE: 'warn',
      },
      lower,
    );
    expect(layer.data).toEqual({
      logging: { levels: { 'market-data': 'debug', quoteCache: 'warn' } },
      providers: { my_broker: { enabled: false } },
    });
  });

  it('treats empty values as unset and reports JSON it cannot read', () => {
    const layer = readEnvLayer({ POLYGON_API_KEY: '', STOCKADE_PROVIDERS_YAHOO_QUOTAS: '[{' }, {});
    expect(layer.data).toEqual({});
    expect(layer.issues).toEqual([
      expect.objectContaining({ path: 'providers.yahoo.quotas', source: 'env STOCKADE_PROVIDERS_YAHOO_QUOTAS' }),
    ]);
  });
});
