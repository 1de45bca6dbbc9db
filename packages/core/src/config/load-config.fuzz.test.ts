import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FUZZ_RUNS, fuzzReport, tally } from '../../../../test/reliability/fuzz-report.js';
import { ConfigError } from '../errors/errors.js';
import { unregisterSecret } from '../keys/redact.js';
import { envAliases, envNameOf } from './env.js';
import { type LoadedConfig, loadConfig } from './load-config.js';

const report = fuzzReport('core/config');
afterAll(() => report.write());
const timeout = FUZZ_RUNS * 30;

// Every leaf of the default config, so the fuzz reaches real settings rather than only unknown keys.
const leaves = loadConfig({ file: false, env: {} })
  .explain()
  .map((e) => e.path);
const envNames = [
  ...leaves.map(envNameOf),
  ...Object.keys(envAliases),
  'POLYGON_API_KEY',
  'MASSIVE_API_KEY',
  'ALPHA_VANTAGE_API_KEY',
  'STOCKADE_PROFILE',
];

const oddValue = fc.oneof(
  fc.anything({ maxDepth: 2 }),
  fc.constantFrom(
    -1,
    0,
    1,
    1.5,
    1e308,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    '5s',
    '1h',
    '-3ms',
    'yes',
    'true',
    null,
    [],
    {},
  ),
);
const envValue = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    '0',
    '-1',
    '1e999',
    'NaN',
    'true',
    'off',
    '5s',
    '2 minutes',
    'redis://:pw@127.0.0.1:1/0',
    'x'.repeat(32),
    'live',
    'simulator',
    'production',
    '{"a":1}',
    '[1,2]',
  ),
);

function setPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = root;
  for (const p of parts.slice(0, -1)) {
    if (typeof node[p] !== 'object' || node[p] === null) node[p] = /^\d+$/.test(p) ? [] : {};
    node = node[p] as Record<string, unknown>;
  }
  node[parts[parts.length - 1] as string] = value;
}

const overrides = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .array(
        fc.tuple(fc.constantFrom(...leaves, 'cache.nope', 'providers.acme.enabled', 'resilience.retry'), oddValue),
        { maxLength: 4 },
      )
      .map((sets) => {
        const o: Record<string, unknown> = {};
        for (const [path, value] of sets) setPath(o, path, value);
        return o;
      }),
  },
  { weight: 1, arbitrary: fc.object({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 2 }) },
);
const env = fc.dictionary(fc.constantFrom(...envNames), envValue, { maxKeys: 4 });

function checkIssues(err: unknown): void {
  if (!(err instanceof ConfigError)) throw new Error(`threw ${String(err)}, not a ConfigError`);
  expect(err.issues.length).toBeGreaterThan(0);
  for (const issue of err.issues) {
    expect(typeof issue.path).toBe('string');
    expect(issue.message.trim()).not.toBe('');
    // The message lists every problem by its path (texts themselves pass through redaction).
    expect(err.message).toContain(`- ${issue.path || '(root)'}: `);
  }
}

describe('loadConfig under arbitrary overrides and environment', () => {
  it('loads a valid config or throws a ConfigError naming each bad path, never another error', {
    timeout,
  }, async () => {
    await report.measure('loadConfig(overrides, env)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.property(overrides, env, (o, e) => {
          let loaded: LoadedConfig;
          try {
            loaded = loadConfig({ file: false, env: e, overrides: o as never });
          } catch (err) {
            checkIssues(err);
            tally(outcomes, 'ConfigError');
            return;
          } finally {
            // Keys are registered for redaction process-wide; forget this case's.
            for (const [name, value] of Object.entries(e)) if (/API_KEY$/.test(name)) unregisterSecret(value);
          }
          // A loaded config explains every leaf and is frozen.
          expect(Object.isFrozen(loaded.config)).toBe(true);
          expect(loaded.explain().length).toBeGreaterThan(0);
          tally(outcomes, 'loaded');
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('never echoes an API key given in the environment in its error', { timeout }, async () => {
    await report.measure('loadConfig: keys stay out of errors', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.property(fc.stringMatching(/^[A-Za-z0-9_-]{12,40}$/), overrides, (key, o) => {
          try {
            loadConfig({
              file: false,
              env: { POLYGON_API_KEY: key, STOCKADE_CACHE_L1_MAX_BYTES: 'lots' },
              overrides: o as never,
            });
            tally(outcomes, 'loaded');
          } catch (err) {
            checkIssues(err);
            expect(JSON.stringify((err as ConfigError).toJSON())).not.toContain(key);
            expect((err as Error).message).not.toContain(key);
            tally(outcomes, 'ConfigError');
          } finally {
            // The process-wide secret list would otherwise grow by one key a case.
            unregisterSecret(key);
          }
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });
});
