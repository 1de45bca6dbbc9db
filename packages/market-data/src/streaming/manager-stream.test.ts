import { Bar, HealthReport, metricNames, Quote, SdkEvent, StreamHealth, Trade } from '@stockade/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from '../test-support/harness.js';
import type { MarketBarEvent, MarketStream, MarketStreamEvent, StreamingOptions } from './stream-types.js';

const fast: StreamingOptions = {
  providers: ['polygon'],
  connection: { pingIntervalMs: 20, deadAfterMs: 150, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } },
  retryInitialMs: 150,
  retryMaxMs: 600,
  pollIntervalMs: 50,
};
const wait = { timeout: 8_000, interval: 10 };

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** Reads `stream` in the background into `into` until it ends. */
function drain(stream: MarketStream, into: MarketStreamEvent[]): Promise<void> {
  return (async () => {
    for await (const e of stream) into.push(e);
  })();
}

describe('manager.stream() against the simulator', () => {
  it('delivers trades and quotes that pass core schemas, through the iterator and on()', async () => {
    h = await startHarness({ manager: { stream: fast } });
    const { md } = h;
    const viaOn: SdkEvent[] = [];
    md.on('trade', (e) => viaOn.push(e));
    md.on('stream.status', (e) => viaOn.push(e));
    const events: MarketStreamEvent[] = [];
    for await (const e of md.stream(['AAPL', 'msft'], { channels: ['trades', 'quotes'] })) {
      events.push(e);
      if (events.filter((x) => x.type === 'trade').length >= 4 && events.some((x) => x.type === 'quote')) break;
    }
    const trades = events.flatMap((e) => (e.type === 'trade' ? [e] : []));
    for (const t of trades) {
      expect(Trade.parse(t.trade)).toEqual(t.trade);
      expect(t).toMatchObject({ provider: 'polygon', via: 'stream' });
      expect(['AAPL', 'MSFT']).toContain(t.trade.symbol);
    }
    const quote = events.find((e) => e.type === 'quote');
    expect(quote?.type === 'quote' && Quote.parse(quote.quote)).toBeTruthy();
    expect(events.find((e) => e.type === 'status')).toMatchObject({ mode: 'streaming', provider: 'polygon' });
    expect(viaOn.filter((e) => e.type === 'trade').length).toBeGreaterThanOrEqual(4);
    for (const e of viaOn) expect(SdkEvent.parse(e)).toEqual(e);
    md.metrics.snapshot(); // a scrape: message counts kept on the hot path reach the metric
    expect(
      md.metrics.value(metricNames.streamMessages, { provider: 'polygon', channel: 'trades' }),
    ).toBeGreaterThanOrEqual(trades.length);
    // Breaking out released the only consumer: the upstream connection closes.
    await vi.waitFor(() => expect(h?.sim.streams.open('polygon')).toBe(0), wait);
    const report = await md.health();
    expect(HealthReport.parse(report).stream).toMatchObject({ mode: 'idle', consumers: 0, fallbackActive: false });
  });

  it('shares one upstream connection between consumers and unsubscribes what an aborted one alone wanted', async () => {
    h = await startHarness({ manager: { stream: fast } });
    const { md, sim } = h;
    sim.streams.faults.set('polygon', { eventsPerSecond: 200 });
    const a = new AbortController();
    const first = md.stream(['AAPL', 'MSFT'], { channels: ['trades'], signal: a.signal });
    const second = md.stream(['MSFT'], { channels: ['trades'] });
    const got: MarketStreamEvent[] = [];
    const firstDone = drain(first, got);
    const secondEvents: MarketStreamEvent[] = [];
    const secondDone = drain(second, secondEvents);
    await vi.waitFor(() => expect(got.some((e) => e.type === 'trade' && e.trade.symbol === 'AAPL')).toBe(true), wait);
    expect(sim.streams.stats('polygon')).toMatchObject({ connections: 1, open: 1 });
    expect((await md.health()).stream).toMatchObject({ consumers: 2, symbols: 2, mode: 'streaming' });

    a.abort();
    await firstDone;
    const after: string[] = [];
    md.on('trade', (e) => after.push(e.trade.symbol));
    await vi.waitFor(() => expect(after.filter((s) => s === 'MSFT').length).toBeGreaterThanOrEqual(10), wait);
    expect(after).not.toContain('AAPL');
    expect((await md.health()).stream).toMatchObject({ consumers: 1, symbols: 1 });
    expect(sim.streams.stats('polygon').connections).toBe(1);

    second.close();
    await secondDone;
    await vi.waitFor(() => expect(sim.streams.open('polygon')).toBe(0), wait);
    expect(await first.next()).toEqual({ done: true, value: undefined });
  });

  it('fills the minute bars a dropped connection missed from REST, delivering no bar twice', async () => {
    h = await startHarness({ manager: { stream: fast } });
    const { md, sim, clock } = h;
    const viaOn: SdkEvent[] = [];
    md.on('bar', (e) => viaOn.push(e));
    const events: MarketStreamEvent[] = [];
    const stream = md.stream(['AAPL'], { channels: ['minute_bars'] });
    const done = drain(stream, events);
    const bars = () => events.filter((e): e is MarketBarEvent => e.type === 'bar');
    await vi.waitFor(
      () => expect(events.some((e) => e.type === 'status' && e.status === 'subscribed')).toBe(true),
      wait,
    );

    clock.shift(60_000);
    await vi.waitFor(() => expect(bars().length).toBe(1), wait);
    const t0 = bars()[0]?.bar.t as number;
    expect(bars()[0]).toMatchObject({ via: 'stream', symbol: 'AAPL', interval: '1m' });

    // Three minutes pass while the connection is down: the server replays nothing.
    clock.shift(180_000);
    expect(sim.streams.drop('polygon')).toBe(1);
    // REST has a bar for each of those minutes that saw trades (a minute without trades has none).
    const rest = (await md.bars('AAPL', { interval: '1m', from: t0, to: clock.now() })).bars
      .map((b) => b.t)
      .filter((t) => t > t0 && t < t0 + 240_000);
    expect(rest.length).toBeGreaterThan(0);
    await vi.waitFor(() => expect(bars().length).toBe(1 + rest.length), wait);
    expect(
      bars()
        .slice(1)
        .map((b) => [b.bar.t, b.via]),
    ).toEqual(rest.map((t) => [t, 'gap_fill']));

    clock.shift(60_000);
    await vi.waitFor(() => expect(bars().length).toBe(2 + rest.length), wait);
    const times = bars().map((b) => b.bar.t);
    expect(times).toEqual([t0, ...rest, t0 + 240_000]);
    expect(new Set(times).size).toBe(times.length);
    expect(bars().at(-1)?.via).toBe('stream');
    for (const b of bars()) expect(Bar.parse(b.bar)).toEqual(b.bar);
    expect(viaOn.map((e) => SdkEvent.parse(e)).map((e) => e.type === 'bar' && [e.bar.t, e.via])).toEqual(
      bars().map((b) => [b.bar.t, b.via]),
    );
    const health = (await md.health()).stream;
    expect(health).toMatchObject({ reconnects: 1, gapFilledBars: rest.length, connected: true, status: 'subscribed' });
    stream.close();
    await done;
  });

  it('falls back to polling when the key is refused, without a reconnect loop, and streams again once it is accepted', async () => {
    h = await startHarness({ manager: { stream: fast } });
    const { md, sim } = h;
    sim.streams.faults.set('polygon', { authFailure: true });
    const events: MarketStreamEvent[] = [];
    const stream = md.stream(['AAPL'], { channels: ['quotes'] });
    const done = drain(stream, events);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'quote' && e.via === 'poll')).toBe(true), wait);
    const polled = (await md.health()).stream;
    expect(polled).toMatchObject({ mode: 'polling', fallbackActive: true, reconnects: 0 });
    expect(polled?.lastError).toMatch(/refused the key/);
    expect(polled?.lastError).not.toContain('simulator-key');
    expect(md.metrics.value(metricNames.streamFallback)).toBe(1);
    // Retries come from the manager's backoff, one connection each: never a stream reconnecting on its own.
    await vi.waitFor(() => expect(sim.streams.stats('polygon').authFailures).toBeGreaterThanOrEqual(2), wait);
    const stats = sim.streams.stats('polygon');
    expect(stats.authFailures).toBe(stats.authAttempts);
    expect(events.some((e) => e.type === 'status' && e.status === 'reconnecting')).toBe(false);

    sim.streams.faults.clear('polygon');
    await vi.waitFor(() => expect(events.some((e) => e.type === 'quote' && e.via === 'stream')).toBe(true), wait);
    const back = StreamHealth.parse((await md.health()).stream);
    expect(back).toMatchObject({ mode: 'streaming', provider: 'polygon', fallbackActive: false, connected: true });
    expect(md.metrics.value(metricNames.streamFallback)).toBe(0);
    const lastPolled = events.findLastIndex((e) => e.type === 'quote' && e.via === 'poll');
    const firstStreamed = events.findIndex((e) => e.type === 'quote' && e.via === 'stream');
    expect(lastPolled).toBeLessThan(firstStreamed);
    stream.close();
    await done;
  });

  it('polls while a dropped stream keeps failing to come back, and stops once it is subscribed again', async () => {
    h = await startHarness({ manager: { stream: fast } });
    const { md, sim } = h;
    const events: MarketStreamEvent[] = [];
    const stream = md.stream(['AAPL'], { channels: ['quotes'] });
    const done = drain(stream, events);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'quote' && e.via === 'stream')).toBe(true), wait);
    // Every connection is cut right after its first frame.
    sim.streams.faults.set('polygon', { drop: 1 });
    sim.streams.drop('polygon');
    await vi.waitFor(() => expect(events.some((e) => e.type === 'quote' && e.via === 'poll')).toBe(true), wait);
    const down = (await md.health()).stream;
    expect(down).toMatchObject({ mode: 'polling', provider: 'polygon', fallbackActive: true });
    expect(down?.reconnects).toBeGreaterThanOrEqual(2);

    sim.streams.faults.clear('polygon');
    await vi.waitFor(async () => {
      expect((await md.health()).stream).toMatchObject({ mode: 'streaming', fallbackActive: false });
    }, wait);
    const mark = events.length;
    await vi.waitFor(
      () => expect(events.slice(mark).some((e) => e.type === 'quote' && e.via === 'stream')).toBe(true),
      wait,
    );
    expect(events.slice(mark).some((e) => e.type === 'quote' && e.via === 'poll')).toBe(false);
    stream.close();
    await done;
  });

  it('polls from the start when no provider can stream here, and tries no connection', async () => {
    h = await startHarness({ manager: { stream: { ...fast, providers: ['alphavantage'] } } });
    const { md, sim } = h;
    const events: MarketStreamEvent[] = [];
    const stream = md.stream(['AAPL', 'MSFT'], { channels: ['trades'] });
    const done = drain(stream, events);
    await vi.waitFor(() => {
      const polled = events
        .filter((e) => e.type === 'quote' && e.via === 'poll')
        .map((e) => e.type === 'quote' && e.quote.symbol);
      expect(new Set(polled)).toEqual(new Set(['AAPL', 'MSFT']));
    }, wait);
    for (const e of events) if (e.type === 'quote') expect(Quote.parse(e.quote)).toEqual(e.quote);
    expect((await md.health()).stream).toMatchObject({ mode: 'polling', provider: null, fallbackActive: true });
    expect(sim.streams.stats('polygon').connections + sim.streams.stats('yahoo').connections).toBe(0);
    stream.close();
    await done;
  });

  it('falls back to polling when the provider refuses another connection (max_connections)', async () => {
    h = await startHarness({ manager: { stream: fast } });
    const { md, sim } = h;
    sim.streams.faults.set('polygon', { maxConnections: 0 });
    const events: MarketStreamEvent[] = [];
    const stream = md.stream(['AAPL'], { channels: ['quotes'] });
    const done = drain(stream, events);
    await vi.waitFor(() => expect(events.some((e) => e.type === 'quote' && e.via === 'poll')).toBe(true), wait);
    const health = (await md.health()).stream;
    expect(health).toMatchObject({ mode: 'polling', fallbackActive: true, reconnects: 0 });
    expect(health?.lastError).toMatch(/too many connections/);
    expect(sim.streams.stats('polygon').maxConnectionsRefused).toBeGreaterThanOrEqual(1);
    stream.close();
    await done;
  });

  it('conflates for a slow consumer: one queued event per symbol and channel, latest wins, counted', async () => {
    h = await startHarness({ manager: { stream: fast } });
    const { md, sim } = h;
    sim.streams.faults.set('polygon', { eventsPerSecond: 2_000 });
    const symbols = ['AAPL', 'MSFT', 'SPY', 'QQQ'];
    const stream = md.stream(symbols, { channels: ['trades', 'quotes'] });
    // Nobody reads: the queue must stay at one entry per symbol and channel, plus the latest status.
    await vi.waitFor(() => expect(stream.stats().conflated).toBeGreaterThan(1_000), wait);
    const stats = stream.stats();
    expect(stats.queued).toBeLessThanOrEqual(symbols.length * 2 + 1);
    expect(stats.byChannel.trades).toBeGreaterThan(0);
    expect(stats.byChannel.quotes).toBeGreaterThan(0);
    const health = (await md.health()).stream;
    expect(health?.conflated).toBeGreaterThanOrEqual(stats.conflated);
    expect(md.metrics.value(metricNames.streamConflated)).toBeGreaterThanOrEqual(stats.conflated);

    // What was queued is the latest of each key: no key twice.
    const queued: string[] = [];
    for (let i = stream.stats().queued; i > 0; i--) {
      const r = await stream.next();
      const e = r.value as MarketStreamEvent;
      queued.push(e.type === 'trade' ? `t:${e.trade.symbol}` : e.type === 'quote' ? `q:${e.quote.symbol}` : e.type);
    }
    expect(new Set(queued).size).toBe(queued.length);
    await stream.return?.();
    await vi.waitFor(() => expect(sim.streams.open('polygon')).toBe(0), wait);
  });

  it('opens nothing for an already aborted signal, and ends every iterator when the manager closes', async () => {
    h = await startHarness({ manager: { stream: fast } });
    const { md, sim } = h;
    const aborted = md.stream(['AAPL'], { signal: AbortSignal.abort() });
    expect(await aborted.next()).toEqual({ done: true, value: undefined });
    const live = md.stream(['AAPL'], { channels: ['trades'] });
    for (let r = await live.next(); r.done !== true && r.value.type !== 'trade'; r = await live.next()) {}
    expect(sim.streams.stats('polygon').connections).toBe(1);
    await md.close();
    const rest: MarketStreamEvent[] = [];
    await drain(live, rest);
    expect(rest.length).toBeLessThanOrEqual(3);
    await vi.waitFor(() => expect(sim.streams.open('polygon')).toBe(0), wait);
    expect(() => md.stream(['AAPL'])).toThrow(/closed/);
  });

  it('rejects bad symbols and channels with a typed error before anything opens', async () => {
    h = await startHarness({ manager: { stream: fast } });
    expect(() => h?.md.stream([])).toThrow(/non-empty array of symbols/);
    expect(() => h?.md.stream(['AAPL'], { channels: ['candles' as never] })).toThrow(/channels must be some of/);
    expect(() => h?.md.stream(['not a symbol!'])).toThrow(/symbol/i);
    expect(h.sim.streams.stats('polygon').connections).toBe(0);
  });
});
