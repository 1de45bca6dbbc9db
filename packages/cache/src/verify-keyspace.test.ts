import { ConfigError, createKeyBuilder } from '@stockade/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../../../test/support/redis.js';
import { createCache } from './tiered-cache.js';
import { verifyKeyspace } from './verify-keyspace.js';

describe('verifyKeyspace', () => {
  it('reports disabled without Redis', async () => {
    const keys = createKeyBuilder({ prefix: 'stockade-test:nokeys:' });
    const report = await createCache({ keys }).verifyKeyspace();
    expect(report).toMatchObject({ status: 'disabled' });
    expect(report.probeKey.startsWith('stockade-test:nokeys:{probe}:')).toBe(true);
  });

  it('reports an unreachable Redis instead of throwing', async () => {
    const redis = new Redis({ port: 1, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    redis.on('error', () => {});
    const report = await verifyKeyspace({ redis, keys: createKeyBuilder({ prefix: 'x:' }), timeoutMs: 500 });
    expect(report.status).toBe('unreachable');
    redis.disconnect();
  });
});

describe.skipIf(!redisUrl())('verifyKeyspace on Redis', () => {
  let plain: Redis;
  let prefixed: Redis;
  beforeAll(async () => {
    plain = new Redis(redisUrl() as string);
    prefixed = new Redis(redisUrl() as string, { keyPrefix: 'app:' });
    await Promise.all([plain.ping(), prefixed.ping()]);
  });
  afterAll(async () => {
    await plain.quit();
    await prefixed.quit();
  });

  it('round-trips the probe under its exact name and leaves nothing behind', async () => {
    const keys = createKeyBuilder({ prefix: testPrefix('keyspace') });
    const cache = createCache({ redis: plain, keys });
    const report = await cache.verifyKeyspace();
    expect(report.status).toBe('ok');
    expect(report.probeKey.startsWith(`${keys.prefix}{probe}:`)).toBe(true);
    expect(await plain.exists(report.probeKey)).toBe(0);
    await cache.close();
  });

  it('fails loudly when the client rewrites keys (ioredis keyPrefix)', async () => {
    const keys = createKeyBuilder({ prefix: testPrefix('keyspace') });
    const cache = createCache({ redis: prefixed, keys });
    const failure = cache.verifyKeyspace();
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toMatchObject({
      issues: [expect.objectContaining({ path: 'cache.keyPrefix', message: expect.stringContaining('keyPrefix') })],
    });
    await cache.close();
  });
});
