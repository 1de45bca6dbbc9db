import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import { loadConfig } from '../config/load-config.js';
import { ConfigError, isProviderError, type ProviderError, ValidationError } from '../errors/index.js';
import { createKeyResolver } from './key-resolver.js';
import { keySources } from './key-sources.js';
import { redact } from './redact.js';

const POLYGON_KEY = 'Kd8vQ1zX5mN3bT7wR2yP9cL4hG6fJ0aS';
const POLYGON_KEY_2 = 'Wm2nB7vC4xZ9lK1jH6gF3dS8aQ5pO0iU';
const MASSIVE_KEY = 'Rt5yU8iO1pA4sD7fG0hJ3kL6zX9cV2bN';
const AV_KEY = 'Q7W3E9R1T5Y2U8I4';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockade-keys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('createKeyResolver', () => {
  it('asks its sources in order and says where the key came from', async () => {
    const resolver = createKeyResolver({
      sources: [
        keySources.explicit({ polygon: POLYGON_KEY }),
        keySources.environment({ POLYGON_API_KEY: POLYGON_KEY_2, MASSIVE_API_KEY: MASSIVE_KEY }),
      ],
    });
    expect(await resolver.resolve('polygon')).toMatchObject({ key: POLYGON_KEY, source: 'explicit keys' });
    expect(await resolver.resolve('massive')).toMatchObject({ key: MASSIVE_KEY, source: 'env MASSIVE_API_KEY' });
  });

  it('prefers STOCKADE_PROVIDERS_<NAME>_API_KEY to the usual variable', async () => {
    const env = { STOCKADE_PROVIDERS_ALPHAVANTAGE_API_KEY: AV_KEY, ALPHA_VANTAGE_API_KEY: 'Z'.repeat(16) };
    const resolver = createKeyResolver({ sources: [keySources.environment(env)] });
    expect(await resolver.resolve('alphavantage')).toMatchObject({
      key: AV_KEY,
      source: 'env STOCKADE_PROVIDERS_ALPHAVANTAGE_API_KEY',
    });
  });

  it('fails with an auth ProviderError that names every place it looked', async () => {
    const resolver = createKeyResolver({
      sources: [keySources.explicit({}), keySources.environment({}), keySources.file(join(dir, 'none.json'))],
    });
    const err = await resolver.resolve('polygon').catch((e: unknown) => e);
    expect(isProviderError(err, 'auth')).toBe(true);
    expect((err as ProviderError).retryable).toBe(false);
    expect((err as ProviderError).message).toBe(
      `polygon: no API key found (looked in explicit keys, env STOCKADE_PROVIDERS_POLYGON_API_KEY, env POLYGON_API_KEY, file ${join(dir, 'none.json')}); set one of those`,
    );
  });

  it('rejects a malformed key with a ConfigError naming the variable, without the key', async () => {
    const bad = `${MASSIVE_KEY.slice(0, 31)}`;
    const resolver = createKeyResolver({ sources: [keySources.environment({ MASSIVE_API_KEY: bad })] });
    const err = (await resolver.resolve('massive').catch((e: unknown) => e)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.issues[0]).toMatchObject({
      path: 'providers.massive.apiKey',
      found: 'a 31-character string',
      source: 'env MASSIVE_API_KEY',
    });
    expect(err.issues[0]?.hint).toContain('check MASSIVE_API_KEY');
    expect(JSON.stringify(err.toJSON()) + err.message).not.toContain(bad);
  });

  it('lets callers replace or switch off a format', async () => {
    const resolver = createKeyResolver({
      sources: [keySources.explicit({ polygon: 'not-a-polygon-key', mybroker: 'x' })],
      formats: { polygon: null, mybroker: { pattern: /^[a-z]{8}$/, description: '8 lower-case letters' } },
    });
    expect((await resolver.resolve('polygon')).key).toBe('not-a-polygon-key');
    await expect(resolver.resolve('mybroker')).rejects.toThrow(/expected 8 lower-case letters/);
  });

  it('reads a JSON key file, and reports a broken one without quoting it', async () => {
    const path = join(dir, 'keys.json');
    writeFileSync(path, JSON.stringify({ polygon: POLYGON_KEY }));
    const resolver = createKeyResolver({ sources: [keySources.file(path)] });
    expect(await resolver.resolve('polygon')).toMatchObject({ key: POLYGON_KEY, source: `file ${path}` });
    writeFileSync(path, `{"polygon": "${POLYGON_KEY_2}"`);
    const err = (await resolver.refresh('polygon').catch((e: unknown) => e)) as ConfigError;
    expect(err).toBeInstanceOf(ConfigError);
    expect(err.message).toContain('the key file is not valid JSON');
    expect(err.message).not.toContain(POLYGON_KEY_2);
  });

  it('caches keys, and shares one trip to a secret manager among concurrent callers', async () => {
    let calls = 0;
    const resolver = createKeyResolver({
      sources: [
        keySources.callback(async (provider) => {
          calls++;
          await new Promise((r) => setImmediate(r));
          return provider === 'polygon' ? POLYGON_KEY : undefined;
        }),
      ],
    });
    const keys = await Promise.all([
      resolver.resolve('polygon'),
      resolver.resolve('polygon'),
      resolver.resolve('polygon'),
    ]);
    expect(keys.map((k) => k.key)).toEqual([POLYGON_KEY, POLYGON_KEY, POLYGON_KEY]);
    await resolver.resolve('polygon');
    expect(calls).toBe(1);
  });

  it('re-reads a key older than maxAgeMs', async () => {
    const clock = manualClock(0);
    let current = POLYGON_KEY;
    const resolver = createKeyResolver({ sources: [keySources.callback(() => current)], clock, maxAgeMs: 60_000 });
    expect((await resolver.resolve('polygon')).key).toBe(POLYGON_KEY);
    current = POLYGON_KEY_2;
    clock.advance(59_999);
    expect((await resolver.resolve('polygon')).key).toBe(POLYGON_KEY);
    clock.advance(1);
    expect((await resolver.resolve('polygon')).key).toBe(POLYGON_KEY_2);
  });

  it('refresh() sees a rotated key and says whether it changed', async () => {
    const env: Record<string, string> = { POLYGON_API_KEY: POLYGON_KEY };
    const resolver = createKeyResolver({ sources: [keySources.environment(env)] });
    const first = await resolver.resolve('polygon');
    expect(await resolver.refresh('polygon')).toBe(false);
    env.POLYGON_API_KEY = POLYGON_KEY_2;
    expect((await resolver.resolve('polygon')).key).toBe(POLYGON_KEY);
    expect(await resolver.refresh('polygon', { rejectedKey: first.key })).toBe(true);
    expect((await resolver.resolve('polygon')).key).toBe(POLYGON_KEY_2);
    // Another request that got the same 401 learns the key has already moved on.
    expect(await resolver.refresh('polygon', { rejectedKey: first.key })).toBe(true);
    delete env.POLYGON_API_KEY;
    await expect(resolver.refresh('polygon')).rejects.toSatisfy((e) => isProviderError(e, 'auth'));
    expect(resolver.describe('polygon').resolved).toBe(false);
  });

  it('rejects promptly with the signal reason when aborted, even if the secret manager ignores the signal', async () => {
    const resolver = createKeyResolver({ sources: [keySources.callback(() => new Promise<string>(() => {}))] });
    const controller = new AbortController();
    const pending = resolver.resolve('polygon', { signal: controller.signal });
    const reason = new Error('caller gave up');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    await expect(resolver.resolve('polygon', { signal: AbortSignal.abort('already') })).rejects.toBe('already');
  });

  it('passes the abort on to the secret manager once every waiter has left', async () => {
    let seen: AbortSignal | undefined;
    const resolver = createKeyResolver({
      sources: [
        keySources.callback((_p, { signal }) => {
          seen = signal;
          return new Promise<string>(() => {});
        }),
      ],
    });
    const a = new AbortController();
    const b = new AbortController();
    const first = resolver.resolve('polygon', { signal: a.signal }).catch(() => 'a left');
    const second = resolver.resolve('polygon', { signal: b.signal }).catch(() => 'b left');
    await new Promise((r) => setImmediate(r));
    a.abort();
    expect(await first).toBe('a left');
    expect(seen?.aborted).toBe(false);
    b.abort();
    expect(await second).toBe('b left');
    expect(seen?.aborted).toBe(true);
  });

  it('turns a secret manager failure into a retryable transient ProviderError', async () => {
    const resolver = createKeyResolver({
      sources: [keySources.callback(() => Promise.reject(new Error('vault sealed')))],
    });
    const err = await resolver.resolve('polygon').catch((e: unknown) => e);
    expect(isProviderError(err, 'transient')).toBe(true);
    expect((err as ProviderError).retryable).toBe(true);
  });

  it('reads keys from a loaded config, labelled with the config source', async () => {
    const loaded = loadConfig({ file: false, env: { POLYGON_API_KEY: POLYGON_KEY } });
    const resolver = createKeyResolver({ sources: [keySources.config(loaded)] });
    expect(await resolver.resolve('polygon')).toMatchObject({ key: POLYGON_KEY, source: 'env POLYGON_API_KEY' });
  });

  it('describes a key by source and length only, and registers every key for redaction', async () => {
    const resolver = createKeyResolver({ sources: [keySources.explicit({ alphavantage: AV_KEY })] });
    expect(resolver.describe('alphavantage')).toEqual({
      provider: 'alphavantage',
      resolved: false,
      text: 'alphavantage: no key resolved yet (looks in explicit keys)',
    });
    const resolved = await resolver.resolve('alphavantage');
    expect(resolver.describe('alphavantage')).toMatchObject({
      resolved: true,
      source: 'explicit keys',
      length: 16,
      text: 'alphavantage: a 16-character key from explicit keys',
    });
    expect(JSON.stringify(resolved)).toBe('{"key":"[REDACTED]","source":"explicit keys"}');
    expect(inspect(resolved)).not.toContain(AV_KEY);
    expect(redact(`GET /query?symbol=IBM&k=${AV_KEY}`)).toBe('GET /query?symbol=IBM&k=[REDACTED]');
  });

  it('needs at least one source', () => {
    expect(() => createKeyResolver({ sources: [] })).toThrow(ValidationError);
  });
});
