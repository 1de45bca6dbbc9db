import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCaptured } from '../captured-io.test-support.js';

const POLYGON_KEY = 'Ab3dEf6hIj9kLm2nOp5qRs8tUv1wXy4z';

function lineOf(stdout: string, path: string): string[] {
  const line = stdout.split('\n').find((l) => l.startsWith(`${path} `));
  return line === undefined ? [] : line.trim().split(/ {2,}/);
}

describe('stockade config explain', () => {
  it('prints every value with its source: defaults, environment and the config file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockade-cli-config-'));
    writeFileSync(join(dir, 'stockade.config.json'), JSON.stringify({ cache: { maxStaleMs: '2m' } }));
    const run = await runCaptured(['config', 'explain'], { cwd: dir, env: { STOCKADE_CACHE_L1_MAX_BYTES: '8000000' } });
    expect(run.code).toBe(0);
    expect(lineOf(run.stdout, 'cache.l1MaxBytes')).toEqual([
      'cache.l1MaxBytes',
      '8000000',
      'env STOCKADE_CACHE_L1_MAX_BYTES',
    ]);
    expect(lineOf(run.stdout, 'cache.maxStaleMs')).toEqual([
      'cache.maxStaleMs',
      '120000',
      'file ./stockade.config.json',
    ]);
    expect(lineOf(run.stdout, 'mode')).toEqual(['mode', '"simulator"', 'default']);
    expect(lineOf(run.stdout, 'profile')).toEqual(['profile', '"development"', 'default']);
  });

  it('reads the file --config names', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockade-cli-config-'));
    writeFileSync(join(dir, 'prod.json'), JSON.stringify({ profile: 'test' }));
    const run = await runCaptured(['--config', 'prod.json', 'config', 'explain', 'profile'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe('profile  "test"  file ./prod.json');
  });

  it('shows a key only as its length, never the key itself', async () => {
    const run = await runCaptured(['config', 'explain', 'providers.polygon', '--json'], {
      env: { POLYGON_API_KEY: POLYGON_KEY },
    });
    expect(run.code).toBe(0);
    expect(run.stdout).not.toContain(POLYGON_KEY);
    const entries = JSON.parse(run.stdout) as Array<{ path: string; value: unknown; source: string }>;
    expect(entries.every((e) => e.path.startsWith('providers.polygon.'))).toBe(true);
    expect(entries.find((e) => e.path === 'providers.polygon.apiKey')).toEqual({
      path: 'providers.polygon.apiKey',
      value: '[REDACTED] (32 characters)',
      source: 'env POLYGON_API_KEY',
    });
    expect(entries.find((e) => e.path === 'providers.polygon.enabled')?.value).toBe(true);
  });

  it('exits 1 on an invalid configuration and lists each problem with where it came from', async () => {
    const run = await runCaptured(['config', 'explain'], {
      env: { STOCKADE_CACHE_L1_MAX_BYTES: 'lots', STOCKADE_LOG_LEVEL: 'loud' },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe('error: Invalid Stockade configuration (2 problems):');
    expect(
      lines.some((l) => l.startsWith('- cache.l1MaxBytes:') && l.includes('env STOCKADE_CACHE_L1_MAX_BYTES')),
    ).toBe(true);
    expect(lines.some((l) => l.startsWith('- logging.level:') && l.includes('env STOCKADE_LOG_LEVEL'))).toBe(true);
  });

  it('asks for the subcommand, and for a path that exists', async () => {
    const bare = await runCaptured(['config']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain('error: config needs a subcommand: explain');
    const unknown = await runCaptured(['config', 'show']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown config subcommand show; use explain');
    const nowhere = await runCaptured(['config', 'explain', 'caches']);
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain('no configuration value under caches');
  });
});
