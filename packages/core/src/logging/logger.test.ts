import { describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import { ProviderError, ValidationError } from '../errors/index.js';
import { withCorrelation } from './correlation.js';
import { createLogger, silentLogger } from './logger.js';

function capture() {
  const lines: string[] = [];
  return {
    lines,
    destination: { write: (line: string) => lines.push(line) },
    parsed: () => lines.map((l) => JSON.parse(l)),
  };
}

describe('createLogger', () => {
  it('writes one pino-shaped JSON line per entry, with numeric levels', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination, clock: manualClock(1_767_225_600_000), name: 'stockade' });
    log.info('market open');
    log.warn({ symbol: 'AAPL', attempts: 2 }, 'slow quote from %s', 'yahoo');
    expect(out.lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    expect(out.parsed()).toEqual([
      { level: 30, time: 1_767_225_600_000, name: 'stockade', msg: 'market open' },
      {
        level: 40,
        time: 1_767_225_600_000,
        name: 'stockade',
        symbol: 'AAPL',
        attempts: 2,
        msg: 'slow quote from yahoo',
      },
    ]);
  });

  it('drops entries below the level, and the level can be changed', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination, level: 'warn' });
    log.info('hidden');
    log.error('shown');
    log.level = 'debug';
    log.debug('now shown');
    expect(out.parsed().map((l) => l.msg)).toEqual(['shown', 'now shown']);
    expect(() => {
      log.level = 'loud';
    }).toThrow(ValidationError);
  });

  it('gives a child logger its component level, falling back along dotted components', () => {
    const out = capture();
    const log = createLogger({
      destination: out.destination,
      level: 'info',
      levels: { cache: 'debug', providers: 'error' },
    });
    log.child({ component: 'cache' }).debug('cache miss');
    log.child({ component: 'providers.polygon' }).warn('hidden: providers is at error');
    log.child({ component: 'resilience' }).debug('hidden: falls back to info');
    log.child({ component: 'resilience' }).info({ breaker: 'open' }, 'breaker opened');
    expect(out.parsed().map((l) => [l.component, l.msg])).toEqual([
      ['cache', 'cache miss'],
      ['resilience', 'breaker opened'],
    ]);
  });

  it('serializes errors through toJSON, with redacted stack', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    const err = new ProviderError('HTTP 429 Too Many Requests', {
      provider: 'polygon',
      kind: 'rate_limited',
      status: 429,
      retryAfterMs: 1_000,
    });
    log.error(err);
    log.error({ err: new TypeError('fetch failed', { cause: new Error('ECONNRESET') }) }, 'request failed');
    const [first, second] = out.parsed();
    expect(first).toMatchObject({
      level: 50,
      msg: 'polygon: HTTP 429 Too Many Requests',
      err: {
        type: 'ProviderError',
        name: 'ProviderError',
        code: 'PROVIDER_ERROR',
        kind: 'rate_limited',
        status: 429,
        retryAfterMs: 1_000,
      },
    });
    expect(first.err.stack).toMatch(/^ProviderError: polygon: HTTP 429/);
    expect(second).toMatchObject({
      msg: 'request failed',
      err: { type: 'TypeError', message: 'fetch failed', cause: { type: 'Error', message: 'ECONNRESET' } },
    });
  });

  it('survives values JSON cannot hold', () => {
    const out = capture();
    const log = createLogger({ destination: out.destination });
    const loop: Record<string, unknown> = { name: 'loop' };
    loop.self = loop;
    log.info({ loop, big: 10n, when: new Date(0), fn: () => 1, tags: new Set(['a']) }, 'odd values');
    expect(out.parsed()[0]).toMatchObject({
      loop: { name: 'loop', self: '[Circular]' },
      big: '10',
      when: '1970-01-01T00:00:00.000Z',
      tags: ['a'],
    });
  });

  it('keeps level and time its own even when a field is named like them', () => {
    const out = capture();
    createLogger({ destination: out.destination, clock: manualClock(5) }).info({ level: 'fake', time: 1 }, 'x');
    expect(out.parsed()[0]).toMatchObject({ level: 30, time: 5 });
  });

  it('adds the correlation id of the request to every line', async () => {
    const out = capture();
    const log = createLogger({ destination: out.destination }).child({ component: 'market-data' });
    log.info('outside');
    await withCorrelation(async () => {
      log.info('inside');
    }, 'req-42');
    expect(out.parsed().map((l) => l.correlationId)).toEqual([undefined, 'req-42']);
  });

  it('rejects an unknown level name', () => {
    expect(() => createLogger({ level: 'verbose' as never })).toThrow(/Unknown log level "verbose"/);
    expect(() => createLogger({ levels: { cache: 'loud' as never } })).toThrow(ValidationError);
  });
});

describe('silentLogger', () => {
  it('accepts every call and writes nothing', () => {
    silentLogger.info({ a: 1 }, 'x');
    expect(silentLogger.child({ component: 'cache' })).toBe(silentLogger);
    expect(silentLogger.level).toBe('silent');
  });
});
