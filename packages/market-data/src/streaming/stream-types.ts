import type { Bar, Quote, StreamMode, Trade } from '@stockade/core';
import type { StreamChannel, StreamOptions, StreamStamps } from '@stockade/providers';
import type { ConflationCounts } from './conflating-queue.js';

/** A quote, streamed or (in the polling fallback) polled. */
export interface MarketQuoteEvent {
  /** Discriminant. */
  type: 'quote';
  /** The quote, as core describes it. */
  quote: Quote;
  /** Provider that sent it. */
  provider: string;
  /** `stream` from a WebSocket, `poll` from the REST polling fallback. */
  via: 'stream' | 'poll';
  /** When it reached the manager, epoch ms. */
  receivedAt: number;
  /** Monotonic stamps, when the stream was opened with `stamps`. */
  stamps?: StreamStamps;
}

/** A trade print (streams only: polling cannot see trades). */
export interface MarketTradeEvent {
  /** Discriminant. */
  type: 'trade';
  /** The trade. */
  trade: Trade;
  /** Provider that sent it. */
  provider: string;
  /** Always `stream`. */
  via: 'stream';
  /** When it reached the manager, epoch ms. */
  receivedAt: number;
  /** Monotonic stamps, when the stream was opened with `stamps`. */
  stamps?: StreamStamps;
}

/** A completed bar: streamed, or fetched over REST to fill the gap a reconnect left. */
export interface MarketBarEvent {
  /** Discriminant. */
  type: 'bar';
  /** Canonical symbol. */
  symbol: string;
  /** `1m` (minute_bars) or `1s` (second_bars). */
  interval: '1s' | '1m';
  /** The bar (`t` is the window start). No bar is delivered twice to a consumer. */
  bar: Bar;
  /** Provider that sent it (for a gap fill: the REST provider that answered). */
  provider: string;
  /** `stream`, or `gap_fill` after a reconnect. */
  via: 'stream' | 'gap_fill';
  /** When it reached the manager, epoch ms. */
  receivedAt: number;
  /** Monotonic stamps, when the stream was opened with `stamps`. */
  stamps?: StreamStamps;
}

/** Where the stream stands: which provider, its connection status, or the polling fallback. */
export interface MarketStreamStatusEvent {
  /** Discriminant. */
  type: 'status';
  /** `streaming`, `polling` (the fallback) or `idle`. */
  mode: StreamMode;
  /** The provider streaming, or null while polling. */
  provider: string | null;
  /** The provider stream's status (`connecting` … `subscribed`, `reconnecting`, `closed`), or `fallback`. */
  status: string;
  /** Why, in words; never a key. */
  detail: string;
  /** When, epoch ms. */
  at: number;
}

/** Everything `manager.stream()` yields. */
export type MarketStreamEvent = MarketQuoteEvent | MarketTradeEvent | MarketBarEvent | MarketStreamStatusEvent;

/** Options of `manager.stream()`. */
export interface StreamCallOptions {
  /** What to receive per symbol. While polling, only quotes arrive, whatever was asked. @default ['quotes'] */
  channels?: readonly StreamChannel[];
  /** Ends the iterator and releases its subscriptions. @default undefined */
  signal?: AbortSignal;
}

/** What one `stream()` consumer has seen, for tests and dashboards. */
export interface MarketStreamStats extends ConflationCounts {
  /** Events waiting to be read now (at most one per symbol per channel, plus one status). */
  queued: number;
  /** Events handed to the reader. */
  delivered: number;
}

/**
 * The iterator `manager.stream()` returns. Break out of `for await`, call `return()` or abort the
 * signal to end it: its subscriptions are released (and unsubscribed upstream when nobody else wants them).
 */
export interface MarketStream extends AsyncIterableIterator<MarketStreamEvent> {
  /** The symbols, canonical. */
  readonly symbols: readonly string[];
  /** The channels. */
  readonly channels: readonly StreamChannel[];
  /** Queue and conflation counters of this consumer. */
  stats(): MarketStreamStats;
  /** Ends the iterator (as `return()` does). */
  close(): void;
}

/** Manager-wide streaming settings (`createMarketDataManager({ stream })`). */
export interface StreamingOptions {
  /**
   * WebSocket URL per provider name.
   * @default in simulator mode, the simulator's endpoints (providers without one do not stream); else each provider's real endpoint
   */
  urls?: Readonly<Record<string, string>>;
  /** Providers allowed to stream, in order of preference. @default every provider with `capabilities.streaming`, by priority */
  providers?: readonly string[];
  /** Connection settings passed to each provider's `stream()` (ping, dead-after, reconnect backoff). @default the provider's */
  connection?: Omit<StreamOptions, 'url' | 'signal' | 'clock'>;
  /** Poll interval of the fallback while markets are open, ms. @default 5_000 */
  pollIntervalMs?: number;
  /** Wait before trying a provider whose stream failed (auth refused, too many connections) again, ms; doubles each failure. @default 5_000 */
  retryInitialMs?: number;
  /** Longest such wait, ms. @default 300_000 */
  retryMaxMs?: number;
}
