import { INTERVAL_MS, type Interval } from '@stockade/core';
import type { AgentBar } from '../agents/agent.js';
import type { AttachableEngine, AttachHandle, MarketFeed } from './attach.js';
import type { BarAggregator } from './bar-aggregator.js';

/** A channel `attach({ stream: true })` asks the feed's `stream()` for. */
export type FeedChannel = 'quotes' | 'trades' | 'minute_bars';

/**
 * What `attach({ stream: true })` reads from a feed's `stream()`: the manager's stream events, as far
 * as the engine cares. Other event types (status) are ignored.
 */
export type FeedEvent =
  | { type: 'bar'; symbol: string; interval: string; bar: AgentBar }
  | { type: 'trade'; trade: { symbol: string; price: number; t: number } }
  | { type: 'quote'; quote: { symbol: string; price: number; asOf: number; stale?: boolean }; via?: string }
  | { type: 'status' };

/** What `followStream` needs from the warm-up. */
export interface StreamPlan {
  symbols: readonly string[];
  interval: Interval;
  channels: readonly FeedChannel[];
  /** End of the warm-up history. */
  warmedTo: number;
  /** Start of the last closed bar each symbol was warmed with. */
  lastWarm: ReadonlyMap<string, number>;
  /** The forming bar the history ended with, per symbol. */
  seeded: ReadonlyMap<string, AgentBar>;
  aggregator: BarAggregator;
  sessionDate: (at: number) => string;
  signal?: AbortSignal;
}

const MINUTE_MS = 60_000;

/**
 * Follows `feed.stream()` after the warm-up. A streamed minute bar is complete, so at a `1m`
 * interval it goes straight to `engine.onBar()`; at longer intervals minute bars are folded into
 * the forming bar, which closes when a minute of the next interval arrives. Trades and quotes go
 * to `engine.onQuote()` only — the minute bars already carry their prices — except quotes polled by
 * the manager's fallback (`via: 'poll'`), which build bars as the polling path does because no
 * minute bars arrive then. No bar older than the last one closed is fed twice.
 */
export function followStream(engine: AttachableEngine, feed: Required<MarketFeed>, plan: StreamPlan): AttachHandle {
  const { aggregator, interval, signal } = plan;
  const controller = new AbortController();
  const lastClosed = new Map(plan.lastWarm);
  const forming = new Map<string, { key: string; bar: AgentBar }>();
  for (const [symbol, bar] of plan.seeded) forming.set(symbol, { key: aggregator.bucketOfBar(bar), bar: { ...bar } });

  const closeBar = (symbol: string, bar: AgentBar) => {
    if (bar.t <= (lastClosed.get(symbol) ?? Number.NEGATIVE_INFINITY)) return;
    lastClosed.set(symbol, bar.t);
    engine.onBar(symbol, bar);
  };
  const fold = (symbol: string, part: AgentBar) => {
    const key = aggregator.bucketOf(part.t);
    const current = forming.get(symbol);
    if (current !== undefined && current.key === key) {
      const bar = current.bar;
      if (part.h > bar.h) bar.h = part.h;
      if (part.l < bar.l) bar.l = part.l;
      bar.c = part.c;
      if (part.v !== undefined) bar.v = (bar.v ?? 0) + part.v;
      return;
    }
    // A late part of an earlier interval (a gap fill behind a poll) cannot reopen a bar.
    if (current !== undefined && part.t < current.bar.t) return;
    if (current !== undefined) closeBar(symbol, current.bar);
    const bar: AgentBar = { t: part.t, o: part.o, h: part.h, l: part.l, c: part.c };
    if (part.v !== undefined) bar.v = part.v;
    if (INTERVAL_MS[interval] !== undefined) bar.t = Number(key);
    else bar.sessionDate = part.sessionDate ?? plan.sessionDate(part.t);
    forming.set(symbol, { key, bar });
  };
  const onMinuteBar = (symbol: string, bar: AgentBar) => {
    if (interval !== '1m') {
      // The history's forming bar already holds the minutes before the warm-up ended.
      if (plan.seeded.has(symbol) && bar.t + MINUTE_MS <= plan.warmedTo) return;
      fold(symbol, bar);
      return;
    }
    const current = forming.get(symbol);
    if (current !== undefined && current.bar.t < bar.t) closeBar(symbol, current.bar);
    if (current !== undefined && current.bar.t <= bar.t) forming.delete(symbol);
    closeBar(symbol, bar);
  };
  const onEvent = (e: FeedEvent) => {
    if (e.type === 'bar') {
      if (e.interval === '1m') onMinuteBar(e.symbol, e.bar);
    } else if (e.type === 'trade') {
      engine.onQuote({ symbol: e.trade.symbol, price: e.trade.price, asOf: e.trade.t });
    } else if (e.type === 'quote') {
      const q = e.quote;
      // A polled last known good price is a replay; streamed quotes are never stale.
      if (q.stale === true) return;
      if (e.via === 'poll') fold(q.symbol, { t: q.asOf, o: q.price, h: q.price, l: q.price, c: q.price });
      engine.onQuote(q);
    }
  };

  const events = feed.stream(plan.symbols, { channels: plan.channels, signal: controller.signal });
  const done = (async () => {
    try {
      for await (const e of events) {
        if (controller.signal.aborted) break;
        onEvent(e);
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    }
  })();
  // Observed here so an attachment nobody awaits never leaves an unhandled rejection behind.
  done.catch(() => {});
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    signal?.removeEventListener('abort', close);
    controller.abort(signal?.reason);
  };
  signal?.addEventListener('abort', close, { once: true });
  return { close, done };
}
