import { readFileSync } from 'node:fs';
import { type BarSeries, manualClock } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import type { Agent, AgentBar } from '../agents/agent.js';
import { rsi } from '../agents/rsi-agent.js';
import type { MarketFeed } from './attach.js';
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

  it('attaches lower-case symbols under their canonical name and skips stale quotes', async () => {
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
    // A replayed last known good price must neither move the forming bar nor close it.
    push('2020-08-31T15:00:00Z', 400, true);
    push('2020-09-01T13:31:00Z', 351, true);
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
