import type { RedisClient } from '@stockade/cache';
import {
  checkKeyFormat,
  type HealthCheck,
  type KeyResolver,
  type LoadedConfig,
  providerNeedsKey,
} from '@stockade/core';
import type { ProviderRuntime } from './routing/provider-runtime.js';

/** The outcome of `manager.preflight()`: every check, and whether any failed. */
export interface PreflightReport {
  /** False when any check failed. */
  ok: boolean;
  /** Each check with its status, what was found and, for warn and fail, the fix. */
  checks: HealthCheck[];
}

/**
 * Checks what a deployment needs before taking traffic: config, keys (shape only — no key is
 * printed), Redis when configured, and one cheap probe per enabled provider.
 */
export async function runPreflight(parts: {
  loaded: LoadedConfig;
  runtimes: readonly ProviderRuntime[];
  redis: RedisClient | undefined;
  keyResolver: KeyResolver;
  signal?: AbortSignal | undefined;
}): Promise<PreflightReport> {
  const { loaded, runtimes } = parts;
  const cfg = loaded.config;
  const checks: HealthCheck[] = [
    {
      name: 'config',
      status: 'ok',
      message: `profile ${cfg.profile}, mode ${cfg.mode}${loaded.file ? `, file ${loaded.file}` : ''}`,
    },
  ];
  for (const r of runtimes) {
    if (!providerNeedsKey(r.name)) continue;
    const name = `key:${r.name}`;
    if (cfg.mode === 'simulator') {
      checks.push({ name, status: 'ok', message: 'simulator mode: no key needed' });
      continue;
    }
    try {
      const { key, source } = await parts.keyResolver.resolve(
        r.name,
        parts.signal === undefined ? {} : { signal: parts.signal },
      );
      const problem = checkKeyFormat(r.name, key);
      checks.push(
        problem === undefined
          ? { name, status: 'ok', message: `a ${key.length}-character key from ${source}` }
          : { name, status: 'fail', message: `${problem} (from ${source})`, fix: `check the key in ${source}` },
      );
    } catch (err) {
      checks.push({
        name,
        status: 'fail',
        message: (err as Error).message,
        fix: `set providers.${r.name}.apiKey or its environment variable`,
      });
    }
  }
  if (parts.redis !== undefined) {
    try {
      await parts.redis.ping();
      checks.push({ name: 'redis', status: 'ok', message: 'PING answered' });
    } catch (err) {
      checks.push({
        name: 'redis',
        status: 'fail',
        message: `Redis did not answer: ${(err as Error).message}`,
        fix: 'check cache.redisUrl and that redis-server is running',
      });
    }
  }
  const probes = await Promise.all(
    runtimes.map(async (r) => {
      const result = await r.provider.probe(parts.signal === undefined ? {} : { signal: parts.signal });
      return result.ok
        ? ({
            name: `provider:${r.name}`,
            status: 'ok',
            message: `answered in ${Math.round(result.latencyMs)} ms`,
          } as HealthCheck)
        : ({
            name: `provider:${r.name}`,
            status: result.error.kind === 'rate_limited' ? 'warn' : 'fail',
            message: result.error.message,
            fix: fixFor(r.name, result.error.kind),
          } as HealthCheck);
    }),
  );
  checks.push(...probes);
  return { ok: checks.every((c) => c.status !== 'fail'), checks };
}

function fixFor(provider: string, kind: string): string {
  switch (kind) {
    case 'auth':
      return `the ${provider} key was refused: set a valid key in providers.${provider}.apiKey or its environment variable`;
    case 'not_entitled':
      return `the ${provider} plan does not include this data: upgrade the plan or disable the provider`;
    case 'rate_limited':
      return `${provider} is throttling: lower the request rate or raise providers.${provider}.quotas to the plan's real limits`;
    case 'timeout':
    case 'transient':
    case 'unavailable':
      return `${provider} did not answer: check network access to its host, or providers.${provider}.baseUrl`;
    default:
      return `see the error and the ${provider} section of docs/providers.md`;
  }
}
