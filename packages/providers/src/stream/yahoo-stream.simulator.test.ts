import { Quote } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { yahooProvider } from '../yahoo/adapter.js';
import { nextEvent, record, until } from './stream-events.test-support.js';
import type { ProviderStream, StreamErrorEvent, StreamQuoteEvent } from './types.js';

// Short enough for quick tests, long enough that a loaded machine's event-loop stalls do not look like a dead peer.
const fast = { pingIntervalMs: 50, deadAfterMs: 1_000, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } };

let sim: Simulator;
let provider: Provider;
const streams: ProviderStream[] = [];
const open = (options: Parameters<NonNullable<Provider['stream']>>[0] = {}) => {
  const s = provider.stream?.({ url: sim.wsUrl('yahoo'), ...fast, ...options });
  if (s === undefined) throw new Error('yahoo has no stream()');
  streams.push(s);
  return s;
};

beforeEach(async () => {
  sim = await startSimulator({ seed: 11 });
  provider = yahooProvider({ baseUrl: sim.url('yahoo') });
});
afterEach(async () => {
  await Promise.all(streams.splice(0).map((s) => s.close()));
  await provider.close();
  await sim.stop();
});

describe('the Yahoo stream against the simulator', () => {
  it('subscribes and merges partial protobuf updates into complete quotes', async () => {
    sim.streams.faults.set('yahoo', { eventsPerSecond: 100 });
    const stream = open({ stamps: true });
    const quotes: StreamQuoteEvent[] = [];
    stream.on((e) => {
      if (e.type === 'quote') quotes.push(e);
    });
    expect(stream.subscribe(['BRK.B', 'BTC-USD'])).toEqual({ accepted: ['BRK.B', 'BTC-USD'], rejected: [] });
    await until(() => quotes.filter((q) => q.quote.symbol === 'BRK.B').length >= 3, 'three BRK.B quotes');
    for (const { quote, stamps } of quotes) {
      expect(Quote.parse(quote)).toEqual(quote);
      // Later updates carry only changed fields; the merged quote still has them all.
      expect(quote.exchange).not.toBe('');
      expect(quote.previousClose).toBeGreaterThan(0);
      expect(quote.volume).toBeGreaterThan(0);
      expect(Math.abs(quote.price / sim.truePrice(quote.symbol, quote.asOf) - 1)).toBeLessThan(0.01);
      expect(typeof stamps?.receivedHr).toBe('bigint');
    }
    expect(quotes.find((q) => q.quote.symbol === 'BTC-USD')?.quote.exchange).toBe('CCC');
    expect(sim.streams.stats('yahoo').subscribeMessages).toBe(1);
  });

  it('refuses channels Yahoo does not stream, per symbol', () => {
    const stream = open();
    const change = stream.subscribe(['AAPL'], ['trades', 'quotes']);
    expect(change.accepted).toEqual(['AAPL']);
    expect(change.rejected[0]?.error.kind).toBe('unavailable');
    expect(stream.subscriptions('quotes')).toEqual(['AAPL']);
    expect(stream.subscriptions('trades')).toEqual([]);
  });

  it('re-sends the whole subscription as its keepalive', async () => {
    const stream = open({ resubscribeIntervalMs: 40 });
    stream.subscribe(['AAPL']);
    await until(() => sim.streams.stats('yahoo').subscribeMessages >= 3, 'three subscribe messages');
    expect(stream.stats().reconnects).toBe(0);
  });

  it('reconnects after a drop, resubscribes, and detects silence by missing pongs', async () => {
    sim.streams.faults.set('yahoo', { eventsPerSecond: 50 });
    const stream = open();
    stream.subscribe(['MSFT']);
    await nextEvent(stream, (e) => e.type === 'quote');
    sim.streams.drop('yahoo');
    await nextEvent(stream, (e) => e.type === 'status' && e.status === 'reconnecting');
    await nextEvent(stream, (e) => e.type === 'quote');
    expect(sim.streams.stats('yahoo')).toMatchObject({ connections: 2, subscribeMessages: 2 });
    sim.streams.faults.update('yahoo', { silent: true });
    const dead = await nextEvent<StreamErrorEvent>(stream, (e) => e.type === 'error' && e.error.kind === 'timeout');
    expect(dead.error.message).toMatch(/no pong/);
    sim.streams.faults.update('yahoo', { silent: false });
    await nextEvent(stream, (e) => e.type === 'quote');
    expect(stream.stats().reconnects).toBe(2);
  });

  it('reads the legacy bare-base64 frames too', async () => {
    sim.streams.faults.set('yahoo', { eventsPerSecond: 50 });
    const stream = open({ url: sim.wsUrl('yahoo').replace('?version=2', '') });
    const events = record(stream);
    stream.subscribe(['EURUSD=X']);
    const q = await nextEvent<StreamQuoteEvent>(stream, (e) => e.type === 'quote');
    expect(q.quote.symbol).toBe('EURUSD=X');
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });
});
