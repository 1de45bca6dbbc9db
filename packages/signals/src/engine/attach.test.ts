import { readFileSync } from 'node:fs';
import { type BarSeries, manualClock } from '@stockade/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from '../../../market-data/src/test-support/harness.js';
import type { Agent, AgentBar } from '../agents/agent.js';
import { rsi } from '../agents/rsi-agent.js';
import type { FeedEvent, MarketFeed } from './attach.js';
import { SignalEngine } from './signal-engine.js';

const spy = JSON.parse(
  readFileSync(new URL('../../../../../shared/eval/prices/input_spy_daily_300.json', import.meta.url), 'utf8'),
) as { date: string[]; open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] };
const spyBars = spy.date.map((date, i) => ({
  t: Date.parse(`${date}T13:30:00Z`),
  sessionDate: date,
  o: spy.open[i] as number,
  h: spy.high[i] as number,
  l: spy.low[i] as number,
  c: spy.close[i] as number,
  v: spy.volume[i] as number,
}));

type OnQuote = Parameters<MarketFeed['subscribe']>[1];

/**
 * A stand-in for the market-data manager (a later issue): the two methods `attach` needs, serving
 * real SPY history and letting the test push live quotes.
 */
function standInFeed(history: AgentBar[] = spyBars) {
  const calls: Array<{ symbol: string; from: number; to: number; interval: string }> = [];
  const live = { onQuote: undefined as OnQuote | undefined, closed: false, intervalMs: 0 };
  const feed: MarketFeed = {
    bars(symbol, { interval, from, to, signal }) {
      calls.push({ symbol, from, to, interval });
      return new Promise<BarSeries>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
        const bars = history.filter((b) => b.t >= from && b.t <= to) as BarSeries['bars'];
        setImmediate(() =>
          resolve({
            symbol,
            interval,
            bars,
            provider: 'stand-in',
            adjustment: 'raw',
            splits: [],
            dividends: [],
            truncated: false,
          }),
        );
      });
    },
    subscribe(_symbols, onQuote, { intervalMs }) {
      live.onQuote = onQuote;
      live.intervalMs = intervalMs ?? 0;
      return {
        close: () => {
          live.closed = true;
        },
      };
    },
  };
  return { feed, calls, live };
}

function counter(): { factory: () => Agent; bars: AgentBar[]; evaluations: () => number } {
  const bars: AgentBar[] = [];
  let evaluations = 0;
  const agent: Agent = {
    name: 'counter',
    family: 'test',
    warmup: 1,
    onBar: (b) => {
      bars.push(b);
    },
    evaluate: () => {
      evaluations++;
      return { action: 'HOLD', confidence: 0, reasoning: { summary: 'counting', factors: [] }, riskMetrics: {} };
    },
  };
  return { factory: () => agent, bars, evaluations: () => evaluations };
}

describe('SignalEngine.attach (against a stand-in feed)', () => {
  it('warms up from bars() without emitting, then runs live from subscribe()', async () => {
    const clock = manualClock(Date.parse('2020-08-31T14:00:00Z'));
    const c = counter();
    const engine = new SignalEngine({ clock, emitHold: true }).watch(['SPY'], [c.factory, () => rsi()]);
    const emitted: string[] = [];
    engine.onSignal((s) => emitted.push(`${s.action}@${s.price}`));
    const { feed, calls, live } = standInFeed();

    const handle = await engine.attach(feed, { symbols: ['SPY'], interval: '1d', intervalMs: 2000 });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ symbol: 'SPY', interval: '1d', to: clock.now() });
    // Enough history for RSI(14)'s warm-up (15 bars) with margin, reaching back into the series.
    expect(c.bars.length).toBeGreaterThanOrEqual(15);
    expect(c.bars.at(-1)?.sessionDate).toBe('2020-08-28');
    expect(emitted).toEqual([]);
    expect(engine.answers('SPY').find((a) => a.agent === 'rsi')?.signal.reasoning.summary).not.toMatch(/warming up/);
    expect(live.intervalMs).toBe(2000);

    // Live: quotes of 2020-08-31 build a bar; the first quote of 09-01 closes it.
    const push = (iso: string, price: number) => live.onQuote?.({ symbol: 'SPY', price, asOf: Date.parse(iso) });
    push('2020-08-31T14:00:00Z', 350.35);
    push('2020-08-31T15:00:00Z', 351.1);
    push('2020-08-31T19:59:00Z', 349.31);
    const barsBefore = c.bars.length;
    push('2020-09-01T13:31:00Z', 350.0);
    expect(c.bars.length).toBe(barsBefore + 1);
    expect(c.bars.at(-1)).toMatchObject({ o: 350.35, h: 351.1, l: 349.31, c: 349.31, sessionDate: '2020-08-31' });
    expect(emitted.length).toBeGreaterThan(0);

    // A move past 0.5 % re-evaluates between bars; a small one does not.
    const evaluations = c.evaluations();
    push('2020-09-01T14:00:00Z', 350.5);
    expect(c.evaluations()).toBe(evaluations);
    push('2020-09-01T14:30:00Z', 353.0);
    expect(c.evaluations()).toBe(evaluations + 1);

    handle.close();
    expect(live.closed).toBe(true);
  });

  it('treats a forming bar at the end of the history as the start of the live bar, not a closed one', async () => {
    const clock = manualClock(Date.parse('2020-08-31T16:00:00Z'));
    const c = counter();
    const engine = new SignalEngine({ clock }).watch(['SPY'], [c.factory]);
    const forming = {
      t: Date.parse('2020-08-31T13:30:00Z'),
      sessionDate: '2020-08-31',
      o: 350.35,
      h: 351,
      l: 349.5,
      c: 350.2,
      v: 1e6,
    };
    const { feed, live } = standInFeed([...spyBars, forming]);
    await engine.attach(feed, { symbols: ['SPY'] });
    expect(c.bars.at(-1)?.sessionDate).toBe('2020-08-28');
    live.onQuote?.({ symbol: 'SPY', price: 352, asOf: Date.parse('2020-08-31T17:00:00Z') });
    live.onQuote?.({ symbol: 'SPY', price: 351.5, asOf: Date.parse('2020-09-01T13:30:00Z') });
    expect(c.bars.at(-1)).toMatchObject({ sessionDate: '2020-08-31', o: 350.35, h: 352, l: 349.5, c: 352 });
  });

  it('attaches lower-case symbols under their canonical name and skips replayed prices', async () => {
    const clock = manualClock(Date.parse('2020-08-31T14:00:00Z'));
    const c = counter();
    const engine = new SignalEngine({ clock }).watch(['spy'], [c.factory]);
    const { feed, calls, live } = standInFeed();
    await engine.attach(feed, { symbols: ['spy'] });
    expect(calls.map((x) => x.symbol)).toEqual(['SPY']);
    const warmed = c.bars.length;
    const push = (iso: string, price: number, stale?: boolean) =>
      live.onQuote?.({ symbol: 'SPY', price, asOf: Date.parse(iso), ...(stale === undefined ? {} : { stale }) });
    push('2020-08-31T14:00:00Z', 350);
    // A replayed last known good price (observed no later than what was seen) must neither move
    // the forming bar nor close it.
    push('2020-08-31T14:00:00Z', 400, true);
    push('2020-08-31T13:59:00Z', 351, true);
    expect(c.bars.length).toBe(warmed);
    push('2020-09-01T13:32:00Z', 352);
    expect(c.bars.length).toBe(warmed + 1);
    expect(c.bars.at(-1)).toMatchObject({ o: 350, h: 350, l: 350, c: 350 });
  });

  it('rejects with the abort reason when aborted during warm-up, and never subscribes', async () => {
    const engine = new SignalEngine({ clock: manualClock(Date.parse('2020-08-31T14:00:00Z')) }).watch(
      ['SPY'],
      [counter().factory],
    );
    const { feed, live } = standInFeed();
    const controller = new AbortController();
    const attaching = engine.attach(feed, { symbols: ['SPY'], signal: controller.signal });
    controller.abort(new Error('shutting down'));
    await expect(attaching).rejects.toThrow('shutting down');
    expect(live.onQuote).toBeUndefined();
  });

  it('closes the live subscription when its signal aborts later', async () => {
    const engine = new SignalEngine({ clock: manualClock(Date.parse('2020-08-31T14:00:00Z')) }).watch(
      ['SPY'],
      [counter().factory],
    );
    const { feed, live } = standInFeed();
    const controller = new AbortController();
    await engine.attach(feed, { symbols: ['SPY'], signal: controller.signal });
    expect(live.closed).toBe(false);
    controller.abort();
    expect(live.closed).toBe(true);
  });

  it('refuses symbols that are not watched, and feeds without the two methods', async () => {
    const engine = new SignalEngine().watch(['SPY'], [counter().factory]);
    await expect(engine.attach(standInFeed().feed, { symbols: ['QQQ'] })).rejects.toThrow(/not watched: QQQ/);
    await expect(engine.attach({} as MarketFeed, { symbols: ['SPY'] })).rejects.toThrow(/bars\(\) and subscribe\(\)/);
  });
});

/** A feed whose `stream()` the test pushes events into, over the stand-in's history. */
function streamingStandIn(history: AgentBar[] = spyBars) {
  const base = standInFeed(history);
  const pending: FeedEvent[] = [];
  let wake: (() => void) | undefined;
  const opened: Array<{ symbols: readonly string[]; channels: readonly string[]; signal?: AbortSignal }> = [];
  const feed: MarketFeed = {
    ...base.feed,
    stream(symbols, options) {
      opened.push({ symbols, ...options });
      const { signal } = options;
      return (async function* () {
        while (signal?.aborted !== true) {
          const next = pending.shift();
          if (next !== undefined) {
            yield next;
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
            signal?.addEventListener('abort', () => resolve(), { once: true });
          });
        }
      })();
    },
  };
  const push = async (...events: FeedEvent[]) => {
    pending.push(...events);
    wake?.();
    // Lets the attachment's loop drain what was pushed.
    for (let i = 0; i < 20 && pending.length > 0; i++) await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
  };
  return { feed, opened, push, live: base.live };
}

const minute = (iso: string, o: number, h: number, l: number, c: number, v: number): FeedEvent => ({
  type: 'bar',
  symbol: 'SPY',
  interval: '1m',
  bar: { t: Date.parse(iso), o, h, l, c, v },
});

describe('SignalEngine.attach({ stream: true }) (against a stand-in stream)', () => {
  it('folds streamed minute bars into daily bars, closing one when the next session starts', async () => {
    const clock = manualClock(Date.parse('2020-08-31T14:00:00Z'));
    const c = counter();
    const engine = new SignalEngine({ clock }).watch(['SPY'], [c.factory]);
    const { feed, opened, push, live } = streamingStandIn();
    const handle = await engine.attach(feed, { symbols: ['spy'], interval: '1d', stream: true });
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ symbols: ['SPY'], channels: ['minute_bars', 'trades'] });
    expect(live.onQuote).toBeUndefined();
    const warmed = c.bars.length;
    await push(
      minute('2020-08-31T14:00:00Z', 350, 351, 349.5, 350.5, 1000),
      minute('2020-08-31T14:01:00Z', 350.5, 352, 350, 351, 500),
      { type: 'status' },
      minute('2020-08-31T19:59:00Z', 351, 351.2, 348, 349, 700),
    );
    expect(c.bars.length).toBe(warmed);
    await push(minute('2020-09-01T13:30:00Z', 352, 353, 351, 352.5, 900));
    expect(c.bars.length).toBe(warmed + 1);
    expect(c.bars.at(-1)).toMatchObject({ o: 350, h: 352, l: 348, c: 349, v: 2200, sessionDate: '2020-08-31' });
    handle.close();
    await handle.done;
  });

  it('feeds minute bars straight to onBar at 1m, once each, and trades past the move threshold to onQuote', async () => {
    const clock = manualClock(Date.parse('2020-08-31T14:00:30Z'));
    const c = counter();
    const engine = new SignalEngine({ clock }).watch(['SPY'], [c.factory]);
    const history: AgentBar[] = [];
    for (let i = 0; i < 60; i++) {
      history.push({ t: Date.parse('2020-08-31T13:00:00Z') + i * 60_000, o: 350, h: 350.5, l: 349.5, c: 350, v: 10 });
    }
    const { feed, push } = streamingStandIn(history);
    const handle = await engine.attach(feed, { symbols: ['SPY'], interval: '1m', stream: true });
    // 14:00 is the forming minute: it was not warmed as closed.
    expect(c.bars.at(-1)?.t).toBe(Date.parse('2020-08-31T13:59:00Z'));
    const warmed = c.bars.length;
    await push(minute('2020-08-31T13:59:00Z', 1, 1, 1, 1, 1), minute('2020-08-31T14:00:00Z', 350, 351, 349, 350.8, 40));
    expect(c.bars.length).toBe(warmed + 1);
    expect(c.bars.at(-1)).toMatchObject({ t: Date.parse('2020-08-31T14:00:00Z'), c: 350.8, v: 40 });
    const evaluations = c.evaluations();
    const trade = (price: number): FeedEvent => ({
      type: 'trade',
      trade: { symbol: 'SPY', price, t: Date.parse('2020-08-31T14:01:10Z') },
    });
    await push(trade(351));
    expect(c.evaluations()).toBe(evaluations);
    await push(trade(354));
    expect(c.evaluations()).toBe(evaluations + 1);
    expect(c.bars.length).toBe(warmed + 1);
    handle.close();
    await handle.done;
  });

  it('builds bars from polled quotes while the manager falls back to polling, and skips stale ones', async () => {
    const clock = manualClock(Date.parse('2020-08-31T14:00:00Z'));
    const c = counter();
    const engine = new SignalEngine({ clock }).watch(['SPY'], [c.factory]);
    const { feed, push } = streamingStandIn();
    const controller = new AbortController();
    const handle = await engine.attach(feed, { symbols: ['SPY'], stream: true, signal: controller.signal });
    const warmed = c.bars.length;
    const polled = (iso: string, price: number, stale = false): FeedEvent => ({
      type: 'quote',
      via: 'poll',
      quote: { symbol: 'SPY', price, asOf: Date.parse(iso), stale },
    });
    await push(
      polled('2020-08-31T14:00:00Z', 350),
      polled('2020-08-31T15:00:00Z', 353),
      polled('2020-08-31T16:00:00Z', 400, true),
    );
    await push(polled('2020-09-01T13:31:00Z', 351));
    expect(c.bars.length).toBe(warmed + 1);
    expect(c.bars.at(-1)).toMatchObject({ o: 350, h: 353, l: 350, c: 353, sessionDate: '2020-08-31' });
    controller.abort();
    await handle.done;
  });

  it('refuses stream: true on a feed without stream()', async () => {
    const engine = new SignalEngine().watch(['SPY'], [counter().factory]);
    await expect(engine.attach(standInFeed().feed, { symbols: ['SPY'], stream: true })).rejects.toThrow(
      /stream: true needs a feed with a stream\(\) method/,
    );
  });
});

describe('SignalEngine.attach({ stream: true }) on a MarketDataManager streaming from the simulator', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('warms up from minute bars, then evaluates and signals on each minute bar the simulator streams', async () => {
    h = await startHarness({
      manager: {
        stream: {
          providers: ['polygon'],
          connection: { pingIntervalMs: 50, deadAfterMs: 500, reconnect: { initialDelayMs: 20, maxDelayMs: 100 } },
        },
      },
    });
    const { md, sim, clock } = h;
    const c = counter();
    const engine = new SignalEngine({ clock, emitHold: true }).watch(['AAPL', 'MSFT'], [c.factory, () => rsi()]);
    const signals: string[] = [];
    engine.onSignal((s) => signals.push(s.symbol));
    const handle = await engine.attach(md, { symbols: ['AAPL', 'MSFT'], interval: '1m', stream: true });
    expect(engine.answers('AAPL').find((a) => a.agent === 'rsi')?.signal.reasoning.summary).not.toMatch(/warming up/);
    const warmedAt = c.bars.length;
    await vi.waitFor(async () => expect((await md.health()).stream).toMatchObject({ status: 'subscribed' }), {
      timeout: 8_000,
      interval: 20,
    });
    const evaluations = c.evaluations();

    // Two minutes pass: the simulator closes a minute bar per symbol each time, and streams it.
    clock.shift(60_000);
    await vi.waitFor(() => expect(c.bars.length).toBe(warmedAt + 2), { timeout: 8_000, interval: 20 });
    clock.shift(60_000);
    await vi.waitFor(() => expect(c.bars.length).toBe(warmedAt + 4), { timeout: 8_000, interval: 20 });
    const live = c.bars.slice(warmedAt);
    for (const bar of live) expect(bar.t % 60_000).toBe(0);
    expect(new Set(live.map((b) => b.t)).size).toBe(2);
    expect(c.evaluations()).toBeGreaterThanOrEqual(evaluations + 4);
    expect(signals.filter((s) => s === 'AAPL').length).toBeGreaterThanOrEqual(2);
    expect(signals.filter((s) => s === 'MSFT').length).toBeGreaterThanOrEqual(2);

    handle.close();
    await handle.done;
    await vi.waitFor(() => expect(sim.streams.open('polygon')).toBe(0), { timeout: 8_000, interval: 20 });
  });
});
