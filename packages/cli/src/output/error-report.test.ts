import { ConfigError, ProviderError, registerSecret } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../usage-error.js';
import { errorJson, reportError } from './error-report.js';

describe('reportError', () => {
  it('exits 2 for a usage error and points at the help of its command', () => {
    expect(reportError(new UsageError('unknown option --x', 'bars'))).toEqual({
      lines: ['error: unknown option --x', '(see stockade bars --help)'],
      exitCode: 2,
    });
  });

  it('exits 1 for a config error and lists each problem on its own line', () => {
    const report = reportError(
      new ConfigError([
        { path: 'cache.l1MaxBytes', message: 'expected a number', source: 'env STOCKADE_CACHE_L1_MAX_BYTES' },
        { path: 'logging.level', message: 'unknown level', hint: 'use info' },
      ]),
    );
    expect(report.exitCode).toBe(1);
    expect(report.lines).toEqual([
      'error: Invalid Stockade configuration (2 problems):',
      '- cache.l1MaxBytes: expected a number; from env STOCKADE_CACHE_L1_MAX_BYTES',
      '- logging.level: unknown level — use info',
    ]);
  });

  it('never prints a registered key, in the message or the causes', () => {
    const key = 'Zq9Xw8Vu7Ts6Rq5Po4Nm3Lk2Jh1Gf0Ed';
    registerSecret(key);
    const cause = new Error(`GET /v2/snapshot?apiKey=${key} failed`);
    const report = reportError(new ProviderError('refused', { provider: 'polygon', kind: 'auth', cause }), {
      verbose: true,
    });
    expect(report.lines.join('\n')).not.toContain(key);
    expect(report.lines[1]).toMatch(/^ {2}cause: Error: GET \/v2\/snapshot\?apiKey=.* failed$/);
    expect(JSON.stringify(errorJson(new TypeError(`bad ${key}`)))).not.toContain(key);
  });

  it('calls an abort after the run was interrupted an interruption (130), and any other abort a failure', () => {
    const controller = new AbortController();
    const abort = new DOMException('interrupted by SIGINT', 'AbortError');
    expect(reportError(abort, { signal: controller.signal }).exitCode).toBe(1);
    controller.abort(abort);
    expect(reportError(abort, { signal: controller.signal })).toEqual({ lines: ['interrupted'], exitCode: 130 });
  });
});
