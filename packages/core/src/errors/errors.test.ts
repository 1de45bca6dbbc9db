import { describe, expect, it } from 'vitest';
import { registerSecret } from '../keys/redact.js';
import {
  AllProvidersFailedError,
  CircuitOpenError,
  ConfigError,
  isAbortError,
  RateLimitedError,
  TimeoutError,
  ValidationError,
} from './errors.js';
import { isProviderError, ProviderError } from './provider-error.js';
import { StockadeError } from './stockade-error.js';

describe('the error taxonomy', () => {
  it('gives every error a class, a code and a name', () => {
    const errors: StockadeError[] = [
      new ProviderError('boom', { provider: 'yahoo', kind: 'transient', status: 502 }),
      new ConfigError([{ path: 'a', message: 'b' }]),
      new ValidationError('bad'),
      new AllProvidersFailedError(['AAPL'], []),
      new CircuitOpenError('polygon'),
      new RateLimitedError('alphavantage:minute', 'queue full', 1000),
      new TimeoutError('slow', 100),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(StockadeError);
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(e.constructor.name);
      expect(e.code).toMatch(/^[A-Z_]+$/);
      expect(JSON.parse(JSON.stringify(e)).code).toBe(e.code);
    }
  });

  it('derives retryability from the kind unless told otherwise', () => {
    expect(new ProviderError('x', { provider: 'p', kind: 'transient' }).retryable).toBe(true);
    expect(new ProviderError('x', { provider: 'p', kind: 'auth' }).retryable).toBe(false);
    expect(new ProviderError('x', { provider: 'p', kind: 'not_found' }).retryable).toBe(false);
    expect(new ProviderError('x', { provider: 'p', kind: 'bad_request', retryable: true }).retryable).toBe(true);
  });

  it('narrows provider errors by kind', () => {
    const e: unknown = new ProviderError('slow down', {
      provider: 'polygon',
      kind: 'rate_limited',
      retryAfterMs: 12_000,
    });
    expect(isProviderError(e)).toBe(true);
    expect(isProviderError(e, 'auth', 'rate_limited')).toBe(true);
    expect(isProviderError(e, 'auth')).toBe(false);
    expect(isProviderError(new Error('x'))).toBe(false);
  });

  it('serializes without secrets, also inside causes', () => {
    const key = 'DEMOKEY0123456789abcdef0123456789';
    registerSecret(key);
    const cause = new Error(`connect ECONNRESET https://www.alphavantage.co/query?function=GLOBAL_QUOTE&apikey=${key}`);
    const err = new ProviderError(`GET /query?apikey=${key} failed`, {
      provider: 'alphavantage',
      kind: 'transient',
      cause,
    });
    const text = JSON.stringify(err);
    expect(text).not.toContain(key);
    expect(err.message).not.toContain(key);
    expect(text).toContain('[REDACTED]');
    expect(JSON.parse(text).cause.message).toContain('ECONNRESET');
  });

  it('lists every config problem in one message', () => {
    const err = new ConfigError([
      {
        path: 'providers.massive.apiKey',
        message: 'must be 32 characters',
        found: 'a 31-character string',
        source: 'env MASSIVE_API_KEY',
        hint: 'copy the key again',
      },
      {
        path: 'resilience.attemptTimeoutMs',
        message: 'must be positive',
        found: '-5',
        source: 'file ./stockade.config.json',
      },
      { path: 'cache.l1MaxByte', message: 'unknown key', hint: 'did you mean cache.l1MaxBytes?' },
    ]);
    expect(err.message).toContain('3 problems');
    expect(err.message).toContain(
      'providers.massive.apiKey: must be 32 characters; found a 31-character string; from env MASSIVE_API_KEY — copy the key again',
    );
    expect(err.issues).toHaveLength(3);
  });

  it('names each attempt when all providers failed', () => {
    const err = new AllProvidersFailedError(
      ['AAPL'],
      [
        {
          provider: 'massive',
          error: new ProviderError('Unknown API Key', { provider: 'massive', kind: 'auth', status: 401 }),
        },
        {
          provider: 'yahoo',
          error: new ProviderError('timed out', { provider: 'yahoo', kind: 'timeout' }),
          durationMs: 2000,
        },
      ],
    );
    expect(err.message).toBe(
      'All providers failed for AAPL: massive (auth): massive: Unknown API Key; yahoo (timeout): yahoo: timed out',
    );
    expect(err.toJSON().attempts).toHaveLength(2);
  });

  it('recognizes abort rejections', () => {
    const ac = new AbortController();
    ac.abort();
    expect(isAbortError(ac.signal.reason)).toBe(true);
    expect(isAbortError(new TimeoutError('x', 1))).toBe(false);
  });
});

describe('printing an error', () => {
  it('never shows a secret held in its cause', async () => {
    const { inspect } = await import('node:util');
    const key = 'INSPECTKEY0123456789abcdef012345';
    registerSecret(key);
    const err = new ProviderError('failed', {
      provider: 'polygon',
      kind: 'transient',
      cause: new Error(`token ${key}`),
    });
    const printed = inspect(err, { depth: 5 });
    expect(printed).not.toContain(key);
    expect(printed).toContain("kind: 'transient'");
    expect(printed).toContain('[REDACTED]');
  });
});
