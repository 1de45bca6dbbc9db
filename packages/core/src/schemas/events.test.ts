import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.js';
import { type SdkEvent, SdkEvent as SdkEventSchema } from './events.js';
import { validQuote, validSignal } from './schemas.test.js';
import { parseEvent, parseSignal, registerUpgrader } from './upgraders.js';

const at = 1_773_000_000_000;

/** One of every event type the SDK emits. */
const everyEvent: SdkEvent[] = [
  { schemaVersion: 1, at, type: 'quote', quote: validQuote },
  { schemaVersion: 1, at, type: 'trade', trade: { symbol: 'AAPL', price: 190, size: 100, t: at, provider: 'polygon' } },
  {
    schemaVersion: 1,
    at,
    type: 'provider.failure',
    provider: 'massive',
    kind: 'auth',
    status: 401,
    operation: 'quotes',
    symbols: ['AAPL'],
    message: 'massive: Unknown API Key',
  },
  { schemaVersion: 1, at, type: 'breaker.state', provider: 'yahoo', from: 'closed', to: 'open' },
  {
    schemaVersion: 1,
    at,
    type: 'alert.raised',
    alert: {
      id: 'auth_failure:massive',
      type: 'auth_failure',
      severity: 'critical',
      subject: 'massive',
      message: 'massive: 401 Unknown API Key — check MASSIVE_API_KEY',
      at,
    },
  },
  {
    schemaVersion: 1,
    at,
    type: 'alert.cleared',
    alertId: 'auth_failure:massive',
    alertType: 'auth_failure',
    subject: 'massive',
    message: 'massive answers again',
  },
  {
    schemaVersion: 1,
    at,
    type: 'bar',
    symbol: 'AAPL',
    interval: '1m',
    bar: { t: at - 60_000, sessionDate: '2026-03-08', o: 190, h: 191, l: 189.5, c: 190.5, v: 1_200 },
    provider: 'polygon',
    via: 'gap_fill',
  },
  {
    schemaVersion: 1,
    at,
    type: 'stream.status',
    mode: 'polling',
    provider: null,
    status: 'fallback',
    detail: 'polygon: the stream refused the key; polling quotes every 5000 ms',
  },
  { schemaVersion: 1, at, type: 'config.reloaded', changedPaths: ['providers.polygon.priority'] },
  { schemaVersion: 1, at, type: 'signal.generated', signal: validSignal },
];

describe('SDK events', () => {
  it.each(everyEvent.map((e) => [e.type, e] as const))('a %s event validates and round-trips JSON', (_type, event) => {
    expect(SdkEventSchema.parse(event)).toEqual(event);
    expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('covers every event type of the union', () => {
    const types = new Set(everyEvent.map((e) => e.type));
    const unionTypes = SdkEventSchema.options.map((o) => o.shape.type.value);
    expect([...types].sort()).toEqual([...unionTypes].sort());
  });

  it('names the invalid field of a malformed event', () => {
    expect(() =>
      parseEvent({ schemaVersion: 1, at, type: 'breaker.state', provider: 'yahoo', from: 'closed', to: 'ajar' }),
    ).toThrow(/breaker.state event: to:/);
    expect(() => parseEvent({ at })).toThrow(ValidationError);
  });

  it('refuses a record from a newer release with a hint to upgrade', () => {
    expect(() => parseEvent({ ...everyEvent[0], schemaVersion: 9 })).toThrow(/newer than this release understands/);
  });

  it('upgrades an older stored record through the registered upgraders', () => {
    // A record shape as a hypothetical version 0 stored it: `action` was lower-case and `conf` a percentage.
    registerUpgrader('signal', 0, (r) => {
      const { conf, ...rest } = r as { conf: number } & Record<string, unknown>;
      return { ...rest, action: String(r.action).toUpperCase(), confidence: conf / 100 };
    });
    const stored = { ...validSignal, schemaVersion: 0, action: 'buy', conf: 70, confidence: undefined };
    const upgraded = parseSignal(stored);
    expect(upgraded.schemaVersion).toBe(1);
    expect(upgraded.action).toBe('BUY');
    expect(upgraded.confidence).toBeCloseTo(0.7, 12);
  });

  it('says so when no upgrader exists for an old version', () => {
    expect(() => parseEvent({ ...everyEvent[0], schemaVersion: 0 })).toThrow(/No upgrader from quote schemaVersion 0/);
  });
});
