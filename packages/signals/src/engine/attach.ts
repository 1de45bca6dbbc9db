import {
  type BarSeries,
  type Clock,
  createMarketCalendar,
  INTERVAL_MS,
  type Interval,
  normalizeSymbol,
  ValidationError,
} from '@stockade/core';
import type { AgentBar } from '../agents/agent.js';
import { type FeedChannel, type FeedEvent, followStream } from './attach-stream.js';
import { BarAggregator } from './bar-aggregator.js';

export type { FeedChannel, FeedEvent } from './attach-stream.js';

/**
 * What the engine needs from a market-data source: history for warm-up and a live quote feed. The
 * Stockade `MarketDataManager` fits it; so does any object with these two methods.
 */
export interface MarketFeed {
  /** Historical bars of one symbol. */
  bars(
    symbol: string,
    options: { interval: Interval; from: number; to: number; signal?: AbortSignal },
  ): Promise<BarSeries>;
  /** Live quotes for `symbols`, delivered to `onQuote` until `close()`. */
  subscribe(
    symbols: readonly string[],
    onQuote: (quote: { symbol: string; price: number; asOf: number; volume?: number; stale?: boolean }) => void,
    options: { intervalMs?: number },
  ): { close(): void };
  /** Live events (streamed bars, trades, quotes), for `attach({ stream: true })`. The manager's `stream()` fits it. */
  stream?(
    symbols: readonly string[],
    options: { channels: readonly FeedChannel[]; signal?: AbortSignal },
  ): AsyncIterable<FeedEvent>;
}

/** Options of `SignalEngine.attach()`. */
export interface AttachOptions {
  /** Symbols to warm up and follow (normalized like `watch()`: `aapl` is `AAPL`); they must already be watched. */
  symbols: readonly string[];
  /** Bar interval of the agents. @default '1d' */
  interval?: Interval;
  /** Start of the warm-up history, epoch ms. @default enough bars for the slowest agent, with margin */
  from?: number;
  /** End of the warm-up history, epoch ms. @default now */
  to?: number;
  /** Polling interval the feed should use for quotes, ms. @default 1000 */
  intervalMs?: number;
  /**
   * Drive the agents from `feed.stream()` (streamed minute bars close bars; trades and quotes
   * re-evaluate past the move threshold) instead of polling `feed.subscribe()`. @default false
   */
  stream?: boolean;
  /** Channels asked of `feed.stream()` when `stream` is set. @default ['minute_bars', 'trades'] */
  channels?: readonly FeedChannel[];
  /** Aborts the warm-up, and closes the live subscription when aborted later. */
  signal?: AbortSignal;
}

/** A running attachment: close it to stop the live feed. */
export interface AttachHandle {
  /** Stops the live subscription. Idempotent. */
  close(): void;
  /**
   * With `stream: true`: settles when the stream ends (after `close()`, an abort, or the feed
   * ending it), and rejects with the error that ended it otherwise. Absent when polling.
   */
  done?: Promise<void>;
}

/** The engine surface `attachEngine` drives. */
export interface AttachableEngine {
  /** Watched symbols. */
  readonly symbols: string[];
  /** Feeds history without emitting. */
  warm(symbol: string, bars: readonly AgentBar[]): void;
  /** Feeds a closed bar. */
  onBar(symbol: string, bar: AgentBar): unknown;
  /** Feeds a live price. */
  onQuote(quote: { symbol: string; price: number; asOf?: number }): unknown;
}

const NOMINAL_MS: Record<Interval, number> = {
  ...(INTERVAL_MS as Record<'1m' | '5m' | '15m' | '30m' | '1h', number>),
  '1d': 86_400_000,
  '1w': 7 * 86_400_000,
  '1mo': 31 * 86_400_000,
};

function abortReason(signal: AbortSignal | undefined): unknown {
  return signal?.reason ?? new DOMException('The operation was aborted', 'AbortError');
}

/**
 * Warms an engine up from `feed.bars()` (bars only update the agents; nothing is emitted), then
 * follows `feed.subscribe()`: every quote goes to `engine.onQuote()` (re-evaluating past the move
 * threshold) and to a bar aggregator, whose closed bars go to `engine.onBar()`. A forming bar at
 * the end of the history seeds the aggregator instead of being treated as closed. Quotes marked
 * observed no later than one already seen (a manager's last known good price replayed while every
 * provider fails, or a cached quote polled again) are skipped.
 *
 * @throws {ValidationError} when a symbol is not watched or the feed lacks `bars`/`subscribe`.
 * @throws the feed's error if a history request fails, and the abort reason if `signal` aborts.
 */
export async function attachEngine(
  engine: AttachableEngine,
  feed: MarketFeed,
  options: AttachOptions,
  clock: Clock,
  warmupBars: number,
): Promise<AttachHandle> {
  if (typeof feed?.bars !== 'function' || typeof feed.subscribe !== 'function') {
    throw new ValidationError('attach(): the feed must have bars() and subscribe() methods', [
      { path: 'feed', message: 'expected a MarketDataManager or an object with bars() and subscribe()' },
    ]);
  }
  if (options.stream === true && typeof feed.stream !== 'function') {
    throw new ValidationError('attach(): stream: true needs a feed with a stream() method (a MarketDataManager)', [
      { path: 'feed.stream', message: 'expected a stream() method; drop `stream: true` to poll instead' },
    ]);
  }
  const interval = options.interval ?? '1d';
  const watched = new Set(engine.symbols);
  // The feed answers in canonical symbols (`AAPL`), so the history, the aggregator and the quotes
  // must all use them, whatever spelling the caller watched and attached with.
  const symbols = options.symbols.map((s) => normalizeSymbol(s));
  const unknown = symbols.filter((s) => !watched.has(s));
  if (unknown.length > 0) {
    throw new ValidationError(`attach(): not watched: ${unknown.join(', ')} — call engine.watch() first`, [
      { path: 'symbols', message: 'every symbol must be watched' },
    ]);
  }
  const { signal } = options;
  if (signal?.aborted) throw abortReason(signal);
  const to = options.to ?? clock.now();
  const from = options.from ?? to - Math.ceil(warmupBars * 1.6 + 10) * NOMINAL_MS[interval];
  const calendar = createMarketCalendar({ clock });
  const aggregator = new BarAggregator(interval, (at) => calendar.sessionDate(at));
  const currentBucket = aggregator.bucketOf(clock.now());

  const histories = await Promise.all(
    symbols.map((symbol) =>
      feed
        .bars(symbol, { interval, from, to, ...(signal === undefined ? {} : { signal }) })
        .then((s) => [symbol, s] as const),
    ),
  );
  if (signal?.aborted) throw abortReason(signal);
  for (const [symbol, series] of histories) {
    const bars = series.bars;
    const last = bars.at(-1);
    const forming = last !== undefined && aggregator.bucketOfBar(last) === currentBucket;
    engine.warm(symbol, forming ? bars.slice(0, -1) : bars);
    if (forming) aggregator.seed(symbol, last);
  }
  if (options.stream === true) {
    const lastWarm = new Map<string, number>();
    for (const [symbol, series] of histories) {
      const closedBars = series.bars.filter((b) => aggregator.bucketOfBar(b) !== currentBucket);
      lastWarm.set(symbol, closedBars.at(-1)?.t ?? Number.NEGATIVE_INFINITY);
    }
    return followStream(engine, feed as Required<MarketFeed>, {
      symbols,
      interval,
      channels: options.channels ?? ['minute_bars', 'trades'],
      warmedTo: to,
      lastWarm,
      seeded: new Map(
        histories.flatMap(([s, series]) => {
          const last = series.bars.at(-1);
          return last !== undefined && aggregator.bucketOfBar(last) === currentBucket ? [[s, last] as const] : [];
        }),
      ),
      aggregator,
      sessionDate: (at) => calendar.sessionDate(at),
      ...(signal === undefined ? {} : { signal }),
    });
  }

  const lastAsOf = new Map<string, number>();
  const subscription = feed.subscribe(
    symbols,
    (quote) => {
      // A price observed no later than one already seen is a replay (a last known good price
      // served while every provider fails, or the same cached quote polled again): not news.
      // A stale quote observed later than anything seen (served in its grace period) still is.
      if (quote.asOf <= (lastAsOf.get(quote.symbol) ?? Number.NEGATIVE_INFINITY)) return;
      lastAsOf.set(quote.symbol, quote.asOf);
      const closed = aggregator.add(quote.symbol, quote);
      if (closed !== null) engine.onBar(quote.symbol, closed);
      engine.onQuote(quote);
    },
    { intervalMs: options.intervalMs ?? 1000 },
  );
  let closed = false;
  const close = () => {
    if (closed) return;
    closed = true;
    signal?.removeEventListener('abort', close);
    subscription.close();
  };
  signal?.addEventListener('abort', close, { once: true });
  return { close };
}
