import {
  CircuitOpenError,
  ProviderError,
  type ProviderErrorKind,
  RateLimitedError,
  TimeoutError,
} from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { classificationTable, classify } from './classify.js';

const err = (kind: ProviderErrorKind, extra: { retryAfterMs?: number; retryable?: boolean } = {}) =>
  new ProviderError('failed', { provider: 'polygon', kind, ...extra });

describe('classify', () => {
  it.each([
    ['transient', true, true],
    ['timeout', true, true],
    ['unavailable', true, true],
    ['bad_response', true, true],
    ['rate_limited', false, true],
    ['auth', false, false],
    ['not_entitled', false, false],
    ['not_found', false, false],
    ['bad_request', false, false],
  ] as const)('%s: counts against the breaker %s, retried %s', (kind, counts, retried) => {
    const c = classify(err(kind));
    expect(c.countsAgainstBreaker).toBe(counts);
    expect(c.retryable).toBe(retried);
    expect(c.kind).toBe(kind);
    expect(c.origin).toBe('provider');
  });

  it('opens the breaker on auth after a key refresh, and switches a capability off on not_entitled', () => {
    expect(classify(err('auth'))).toMatchObject({ opensBreaker: true, refreshesKey: true, retryable: false });
    expect(classify(err('not_entitled'))).toMatchObject({ disablesCapability: true, opensBreaker: false });
  });

  it('keeps the wait a 429 asked for', () => {
    expect(classify(err('rate_limited', { retryAfterMs: 2_000 }))).toMatchObject({
      honoursRetryAfter: true,
      retryAfterMs: 2_000,
      retryable: true,
    });
  });

  it("respects an adapter's own retryable flag, but never retries auth", () => {
    expect(classify(err('unavailable', { retryable: false })).retryable).toBe(false);
    expect(classify(err('auth', { retryable: true })).retryable).toBe(false);
  });

  it('never records nor retries our own refusals and aborts', () => {
    for (const e of [new CircuitOpenError('polygon'), new RateLimitedError('polygon', 'queue full')]) {
      expect(classify(e)).toMatchObject({ origin: 'local', countsAgainstBreaker: false, retryable: false });
    }
    expect(classify(new DOMException('stop', 'AbortError'))).toMatchObject({ origin: 'aborted', retryable: false });
  });

  it('reads core TimeoutError as a timeout, and anything else as a counted, unretried failure', () => {
    expect(classify(new TimeoutError('slow', 100))).toMatchObject({ kind: 'timeout', retryable: true });
    expect(classify(new TypeError('x is undefined'))).toMatchObject({
      origin: 'unknown',
      countsAgainstBreaker: true,
      retryable: false,
    });
  });

  it('has a row for every kind', () => {
    expect(Object.keys(classificationTable).sort()).toEqual([
      'auth',
      'bad_request',
      'bad_response',
      'not_entitled',
      'not_found',
      'rate_limited',
      'timeout',
      'transient',
      'unavailable',
    ]);
  });
});
