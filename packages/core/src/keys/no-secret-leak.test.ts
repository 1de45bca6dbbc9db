import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatExplain } from '../config/explain.js';
import { loadConfig } from '../config/load-config.js';
import { ConfigError, ProviderError, StockadeError } from '../errors/index.js';
import { withCorrelation } from '../logging/correlation.js';
import { createLogger } from '../logging/logger.js';
import { createKeyResolver } from './key-resolver.js';
import { keySources } from './key-sources.js';

// Keys that are never registered by hand: the code under test must find and register them.
const POLYGON_KEY = 'Hy3uJ6kL9mN2bV5cX8zA1sD4fG7hJ0qW';
const ROTATED_POLYGON_KEY = 'Pp0oI9uY8tR7eW6qA5sD4fG3hJ2kL1zX';
const MASSIVE_KEY = 'Mx7cV4bN1mQ8wE5rT2yU9iO6pA3sD0fG';
const TRUNCATED_MASSIVE_KEY = 'Tz1xC2vB3nM4aS5dF6gH7jK8lQ9wE0r';
const AV_KEY = 'K3J8H2G7F1D6S9A4';
const SECRETS = [POLYGON_KEY, ROTATED_POLYGON_KEY, MASSIVE_KEY, TRUNCATED_MASSIVE_KEY, AV_KEY];

const dir = mkdtempSync(join(tmpdir(), 'stockade-leak-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('no API key in any output', () => {
  it('keeps every key out of every log line, error message and serialized error of a whole run', async () => {
    const captured: string[] = [];
    const log = createLogger({ level: 'trace', destination: { write: (line) => captured.push(line) } });
    const captureError = (err: unknown) => {
      log.error({ err }, 'operation failed');
      // A foreign error's own message is the caller's data; Stockade errors and every log line must be clean.
      if (err instanceof StockadeError)
        captured.push(err.message, String(err.stack), JSON.stringify(err), JSON.stringify(err.toJSON()));
    };

    await withCorrelation(async () => {
      // 1. A config load that fails: a truncated key from the environment, a key in the file next to a bad value.
      writeFileSync(
        join(dir, 'stockade.config.json'),
        JSON.stringify({ providers: { alphavantage: { apiKey: AV_KEY, timeoutMs: 'soon' } } }),
      );
      const badEnv = { POLYGON_API_KEY: POLYGON_KEY, MASSIVE_API_KEY: TRUNCATED_MASSIVE_KEY };
      let configError: unknown;
      try {
        loadConfig({ cwd: dir, env: badEnv });
      } catch (err) {
        configError = err;
      }
      expect(configError).toBeInstanceOf(ConfigError);
      captureError(configError);

      // 2. A config load that succeeds; the whole config, explain() and its table are logged.
      writeFileSync(
        join(dir, 'stockade.config.json'),
        JSON.stringify({ providers: { alphavantage: { apiKey: AV_KEY } } }),
      );
      const env: Record<string, string> = { POLYGON_API_KEY: POLYGON_KEY, MASSIVE_API_KEY: MASSIVE_KEY };
      const loaded = loadConfig({ cwd: dir, env });
      log.info({ config: loaded.config, env }, 'config loaded');
      log.debug({ explain: loaded.explain() }, 'config explained');
      log.debug(formatExplain(loaded.explain()));

      // 3. Key resolution, from the environment and from the config; then a rotation.
      const resolver = createKeyResolver({ sources: [keySources.environment(env), keySources.config(loaded)] });
      for (const provider of ['polygon', 'massive', 'alphavantage']) {
        const resolved = await resolver.resolve(provider);
        log.info({ provider, resolved, description: resolver.describe(provider) }, 'key resolved');
      }
      env.POLYGON_API_KEY = ROTATED_POLYGON_KEY;
      const changed = await resolver.refresh('polygon', { rejectedKey: POLYGON_KEY });
      log.warn({ changed, description: resolver.describe('polygon').text }, 'polygon key rotated after a 401');
      const rotated = await resolver.resolve('polygon');

      // 4. What providers put in logs: URLs with keys, auth headers, Alpha Vantage's echo of the key.
      log.debug(
        `GET https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day/2024-01-02/2024-01-31?adjusted=true&apiKey=${rotated.key}`,
      );
      log.debug(
        { url: `https://www.alphavantage.co/query?function=GLOBAL_QUOTE&symbol=AAPL&apikey=${AV_KEY}` },
        'request',
      );
      log.debug({ headers: { Authorization: `Bearer ${MASSIVE_KEY}`, 'x-api-key': MASSIVE_KEY } }, 'massive request');
      log.warn(
        {
          body: {
            Information: `We have detected your API key as ${AV_KEY} and our standard API rate limit is 25 requests per day.`,
          },
        },
        'alphavantage throttled AAPL',
      );
      log.info('using polygon key %s for AAPL', rotated.key);

      // 5. Errors carrying keys in messages and causes.
      captureError(
        new ProviderError(`HTTP 401 for https://api.massive.com/v2/last/trade/AAPL?apiKey=${MASSIVE_KEY}`, {
          provider: 'massive',
          kind: 'auth',
          status: 401,
          cause: new Error(`Unknown API Key ${MASSIVE_KEY}`),
        }),
      );
      captureError(
        new TypeError(`fetch failed: https://www.alphavantage.co/query?apikey=${AV_KEY}`, {
          cause: new Error(`key ${AV_KEY}`),
        }),
      );
      captureError(
        await createKeyResolver({ sources: [keySources.explicit({ massive: TRUNCATED_MASSIVE_KEY })] })
          .resolve('massive')
          .catch((e: unknown) => e),
      );
      captureError(
        await createKeyResolver({ sources: [keySources.environment({})] })
          .resolve('polygon')
          .catch((e: unknown) => e),
      );
    }, 'leak-check');

    const everything = captured.join('\n');
    expect(captured.length).toBeGreaterThan(20);
    for (const secret of SECRETS) expect(everything).not.toContain(secret);
    // The run did log what it should: the checks above are not passing on empty output.
    expect(everything).toContain('AAPL');
    expect(everything).toContain('[REDACTED]');
    expect(everything).toContain('a 31-character string');
    expect(everything).toContain('env MASSIVE_API_KEY');
    expect(everything).toContain('"correlationId":"leak-check"');
    expect(everything).toContain('polygon: a 32-character key from env POLYGON_API_KEY');
  });
});
