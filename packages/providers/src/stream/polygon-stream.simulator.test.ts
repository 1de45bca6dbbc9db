import { Bar, isProviderError, manualClock, Quote, Trade } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { massiveProvider, polygonProvider } from '../polygon/adapter.js';
import type { Provider } from '../provider.js';
import { nextEvent, record, until } from './stream-events.test-support.js';
import type { ProviderStream, StreamBarEvent, StreamErrorEvent, StreamTradeEvent } from './types.js';

const KEY = 'STREAMKEY0123456789abcdefABCDEF01';
// Short enough for quick tests, long enough that a loaded machine's event-loop stalls do not look like a dead peer.
const fast = { pingIntervalMs: 50, deadAfterMs: 1_000, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } };

let sim: Simulator;
let provider: Provider;
const streams: ProviderStream[] = [];
const open = (options: Parameters<NonNullable<Provider['stream']>>[0] = {}) => {
  const s = provider.stream?.({ url: sim.wsUrl('polygon'), ...fast, ...options });
  if (s === undefined) throw new Error('polygon has no stream()');
  streams.push(s);
  return s;
};

beforeEach(async () => {
  sim = await startSimulator({ seed: 7, keys: { polygon: KEY, massive: KEY } });
  provider = polygonProvider({ apiKey: KEY, baseUrl: sim.url('polygon') });
});
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  await provider.close();
  await sim.stop();
});

describe('the Polygon stream against the simulator', () => {
  it('authenticates, subscribes and delivers trades and quotes that pass core schemas', async () => {
    const stream = open();
    const events = record(stream);
    expect(stream.subscribe(['AAPL', 'msft'], ['trades', 'quotes'])).toEqual({
      accepted: ['AAPL', 'MSFT'],
      rejected: [],
    });
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'subscribed');
    await until(
      () => events.filter((e) => e.type === 'trade').length >= 4 && events.some((e) => e.type === 'quote'),
      'data',
    );
    const statuses = events.filter((e) => e.type === 'status').map((e) => e.type === 'status' && e.status);
    expect(statuses.slice(0, 4)).toEqual(['connecting', 'connected', 'authenticated', 'subscribed']);
    for (const e of events) {
      if (e.type === 'trade') {
        expect(Trade.parse(e.trade)).toEqual(e.trade);
        expect(['AAPL', 'MSFT']).toContain(e.trade.symbol);
        expect(e.trade.provider).toBe('polygon');
        expect(Math.abs(e.trade.price / sim.truePrice(e.trade.symbol, e.trade.t) - 1)).toBeLessThan(0.01);
      }
      if (e.type === 'quote') {
        expect(Quote.parse(e.quote)).toEqual(e.quote);
        expect(e.quote.bid).toBeLessThan(e.quote.ask as number);
      }
    }
    const stats = stream.stats();
    expect(stats).toMatchObject({ connected: true, authenticated: true, subscribed: 2, reconnects: 0, duplicates: 0 });
    expect(stats.messages).toBeGreaterThanOrEqual(5);
    expect(sim.streams.stats('polygon')).toMatchObject({ authAttempts: 1, subscribeMessages: 1, connections: 1 });
  });

  it('rejects symbols the stocks cluster cannot carry and says why', () => {
    const stream = open();
    const change = stream.subscribe(['BTC-USD', 'not a symbol', 'SPY'], ['trades']);
    expect(change.accepted).toEqual(['SPY']);
    expect(change.rejected.map((r) => [r.symbol, r.error.kind])).toEqual([
      ['BTC-USD', 'unavailable'],
      ['not a symbol', 'bad_request'],
    ]);
  });

  it('emits minute bars when the clock crosses a minute, and second bars every second', async () => {
    await sim.stop();
    const clock = manualClock(Date.parse('2026-03-10T15:00:10Z'));
    sim = await startSimulator({ seed: 7, clock, keys: { polygon: KEY } });
    await provider.close();
    provider = polygonProvider({ apiKey: KEY, baseUrl: sim.url('polygon'), clock });
    const stream = open();
    stream.subscribe(['AAPL'], ['minute_bars', 'second_bars']);
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'subscribed');
    const minute = nextEvent<StreamBarEvent>(stream, (e) => e.type === 'bar' && e.interval === '1m');
    const second = nextEvent<StreamBarEvent>(stream, (e) => e.type === 'bar' && e.interval === '1s');
    clock.advance(60_000);
    const [m, s] = await Promise.all([minute, second]);
    expect(Bar.parse(m.bar)).toEqual(m.bar);
    expect(m.bar.t).toBe(Date.parse('2026-03-10T15:00:00Z'));
    expect(m.bar.sessionDate).toBe('2026-03-10');
    expect(m.symbol).toBe('AAPL');
    expect(s.bar.t).toBe(Date.parse('2026-03-10T15:01:09Z'));
    expect(Bar.parse(s.bar)).toEqual(s.bar);
  });

  it('reconnects after a drop and sends every subscription again', async () => {
    const stream = open();
    stream.subscribe(['AAPL'], ['trades']);
    stream.subscribe(['MSFT'], ['quotes']);
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'subscribed');
    const reconnecting = nextEvent(stream, (e) => e.type === 'status' && e.status === 'reconnecting');
    expect(sim.streams.drop('polygon')).toBe(1);
    await reconnecting;
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'subscribed');
    await nextEvent(stream, (e) => e.type === 'trade' && e.trade.symbol === 'AAPL');
    await nextEvent(stream, (e) => e.type === 'quote' && e.quote.symbol === 'MSFT');
    expect(stream.stats().reconnects).toBe(1);
    expect(sim.streams.stats('polygon')).toMatchObject({ connections: 2, authAttempts: 2 });
  });

  it('declares a silent connection dead by its missing pongs and reconnects', async () => {
    const stream = open();
    stream.subscribe(['AAPL'], ['trades']);
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'subscribed');
    sim.streams.faults.set('polygon', { silent: true });
    const dead = await nextEvent<StreamErrorEvent>(stream, (e) => e.type === 'error');
    expect(dead.error.kind).toBe('timeout');
    expect(dead.error.message).toMatch(/no pong/);
    expect(dead.fatal).toBe(false);
    expect(sim.streams.stats('polygon').pingsIgnored).toBeGreaterThan(0);
    sim.streams.faults.clear('polygon');
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'subscribed');
    await nextEvent(stream, (e) => e.type === 'trade');
  });

  it('keeps a quiet connection whose pongs arrive, however long no data comes', async () => {
    const stream = open();
    const events = record(stream);
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'subscribed');
    // 50 pongs span 2.5 times deadAfterMs: a silence-based check would have dropped it.
    await until(() => sim.streams.stats('polygon').pongs >= 50, '50 pongs');
    expect(stream.stats()).toMatchObject({ reconnects: 0, messages: 0, connected: true });
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });

  it('stops on auth_failed with an auth error and does not reconnect', async () => {
    sim.streams.faults.set('polygon', { authFailure: true });
    const stream = open();
    const events = record(stream);
    const failure = await nextEvent<StreamErrorEvent>(stream, (e) => e.type === 'error');
    expect(failure).toMatchObject({ fatal: true });
    expect(failure.error.kind).toBe('auth');
    expect(isProviderError(failure.error, 'auth')).toBe(true);
    expect(stream.stats().status).toBe('closed');
    await until(() => sim.streams.open('polygon') === 0, 'the socket to close');
    expect(sim.streams.stats('polygon')).toMatchObject({ connections: 1, authAttempts: 1, authFailures: 1 });
    expect(events.some((e) => e.type === 'status' && e.status === 'reconnecting')).toBe(false);
  });

  it('gives a clear error on max_connections and leaves the first stream running', async () => {
    sim.streams.faults.set('polygon', { maxConnections: 1 });
    const first = open();
    first.subscribe(['AAPL'], ['trades']);
    await nextEvent(first, (e) => e.type === 'status' && e.status === 'subscribed');
    const second = open();
    const refused = await nextEvent<StreamErrorEvent>(second, (e) => e.type === 'error');
    expect(refused.fatal).toBe(true);
    expect(refused.error.kind).toBe('unavailable');
    expect(refused.error.message).toMatch(/too many connections/);
    expect(second.stats().status).toBe('closed');
    expect(sim.streams.stats('polygon')).toMatchObject({ connections: 2, maxConnectionsRefused: 1 });
    await nextEvent(first, (e) => e.type === 'trade');
    expect(first.stats().status).toBe('subscribed');
  });

  it('drops re-sent events with a repeated sequence number and counts them', async () => {
    sim.streams.faults.set('polygon', { duplicates: 1, eventsPerSecond: 200 });
    const stream = open();
    const trades: StreamTradeEvent[] = [];
    stream.on((e) => {
      if (e.type === 'trade') trades.push(e);
    });
    stream.subscribe(['AAPL', 'MSFT'], ['trades']);
    await until(() => trades.length >= 10, '10 trades');
    const keys = trades.map((t) => `${t.trade.symbol}:${t.sequence}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(stream.stats().duplicates).toBeGreaterThanOrEqual(10);
    expect(sim.streams.stats('polygon').duplicatesSent).toBeGreaterThanOrEqual(stream.stats().duplicates);
  });

  it('never shows the key in anything it emits, and Massive streams the same way', async () => {
    await provider.close();
    provider = massiveProvider({ apiKey: KEY, baseUrl: sim.url('massive') });
    const stream = provider.stream?.({ url: sim.wsUrl('massive'), ...fast }) as ProviderStream;
    streams.push(stream);
    const events = record(stream);
    stream.subscribe(['AAPL'], ['trades']);
    await nextEvent(stream, (e) => e.type === 'trade' && e.trade.provider === 'massive');
    sim.streams.faults.set('massive', { authFailure: true });
    sim.streams.drop('massive');
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'closed');
    const text = JSON.stringify(events, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
    expect(text).not.toContain(KEY);
    expect(text).toContain('auth');
  });
});
