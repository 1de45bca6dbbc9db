import type { Bar, Clock, ProviderError, Quote, Trade } from '@stockade/core';

/**
 * What a stream can carry.
 * - `trades`: every trade print (Polygon `T.`).
 * - `quotes`: top of book / last price updates (Polygon NBBO `Q.`, every Yahoo pricing update).
 * - `minute_bars`: one bar per symbol per minute with trades (Polygon `AM.`).
 * - `second_bars`: one bar per symbol per second with trades (Polygon `A.`).
 */
export type StreamChannel = 'trades' | 'quotes' | 'minute_bars' | 'second_bars';

/** Every {@link StreamChannel}, in a stable order. */
export const STREAM_CHANNELS: readonly StreamChannel[] = Object.freeze([
  'trades',
  'quotes',
  'minute_bars',
  'second_bars',
]);

/** The interval of a streamed bar: `1s` for `second_bars`, `1m` for `minute_bars`. */
export type StreamBarInterval = '1s' | '1m';

/**
 * Where a stream's connection is.
 * - `connecting`: opening the socket (first time).
 * - `connected`: the socket is open; authentication (Polygon) has not finished yet.
 * - `authenticated`: the key was accepted (Polygon); subscriptions are being sent.
 * - `subscribed`: subscriptions sent (Yahoo) or acknowledged (Polygon); data flows.
 * - `reconnecting`: the connection was lost (drop, no pong, server disconnect); a new one is
 *   being opened after a jittered backoff. The server replays nothing: fill the gap over REST.
 * - `closed`: final. After `close()`, an abort, or a failure that reconnecting cannot fix
 *   (auth failed, too many connections) — then an `error` event came first.
 */
export type StreamStatus = 'connecting' | 'connected' | 'authenticated' | 'subscribed' | 'reconnecting' | 'closed';

/**
 * Two monotonic instants (`process.hrtime.bigint()`, ns) of a data event, present only when the
 * stream was opened with {@link StreamOptions.stamps}.
 */
export interface StreamStamps {
  /** When the frame carrying the event was read off the socket in this process. */
  receivedHr: bigint;
  /** The sender's own stamp of the frame (the simulator's `hr` field), when the frame carried one. */
  sentHr?: bigint;
}

/** A trade print. */
export interface StreamTradeEvent {
  /** Discriminant. */
  type: 'trade';
  /** The trade, normalized (canonical symbol, `provider` set). */
  trade: Trade;
  /** Provider sequence number, when sent (Polygon `q`; repeats are dropped and counted). */
  sequence?: number;
  /** When the frame arrived, epoch ms of the stream's clock. */
  receivedAt: number;
  /** Monotonic stamps, only with {@link StreamOptions.stamps}. */
  stamps?: StreamStamps;
}

/**
 * A quote update. `quote` is a complete core `Quote`: for Yahoo, which sends only the fields that
 * changed, it is the merge of every update seen for the symbol on this stream.
 */
export interface StreamQuoteEvent {
  /** Discriminant. */
  type: 'quote';
  /** The quote, normalized (`quote.receivedAt` is the frame's arrival). */
  quote: Quote;
  /** Provider sequence number, when sent. */
  sequence?: number;
  /** Monotonic stamps, only with {@link StreamOptions.stamps}. */
  stamps?: StreamStamps;
}

/** A completed aggregate bar (Polygon `AM.` / `A.`). */
export interface StreamBarEvent {
  /** Discriminant. */
  type: 'bar';
  /** Canonical symbol. */
  symbol: string;
  /** `1m` (minute_bars) or `1s` (second_bars). */
  interval: StreamBarInterval;
  /** The bar as core describes it (`t` is the window start; `sessionDate` in the exchange's zone). */
  bar: Bar;
  /** Provider that sent it. */
  provider: string;
  /** When the frame arrived, epoch ms of the stream's clock. */
  receivedAt: number;
  /** Monotonic stamps, only with {@link StreamOptions.stamps}. */
  stamps?: StreamStamps;
}

/** The connection moved to another {@link StreamStatus}. */
export interface StreamStatusEvent {
  /** Discriminant. */
  type: 'status';
  /** Provider name. */
  provider: string;
  /** The new status. */
  status: StreamStatus;
  /** Why, in words (the server's status message, "no pong for 30000 ms", "retry 3 in 2400 ms"…); never a key. */
  detail: string;
  /** When, epoch ms of the stream's clock. */
  at: number;
}

/**
 * Something went wrong. Kinds: `auth` (key refused; the stream closes and does not reconnect),
 * `unavailable` (max_connections, a symbol or channel the provider cannot stream; max_connections
 * closes the stream), `transient` (connection lost, will reconnect), `timeout` (no pong / no auth
 * answer; will reconnect), `bad_response` (a frame that did not decode; skipped).
 */
export interface StreamErrorEvent {
  /** Discriminant. */
  type: 'error';
  /** Provider name. */
  provider: string;
  /** The typed error. */
  error: ProviderError;
  /** Whether the stream gave up because of it (a `closed` status follows). */
  fatal: boolean;
  /** When, epoch ms of the stream's clock. */
  at: number;
}

/** Everything a {@link ProviderStream} emits. Data events carry normalized core values. */
export type StreamEvent = StreamTradeEvent | StreamQuoteEvent | StreamBarEvent | StreamStatusEvent | StreamErrorEvent;

/** A listener of {@link ProviderStream.on}. Called synchronously on the socket's turn: keep it cheap. */
export type StreamListener = (event: StreamEvent) => void;

/** Counters of one {@link ProviderStream}, for health and metrics. */
export interface StreamStats {
  /** Provider name. */
  provider: string;
  /** Current status. */
  status: StreamStatus;
  /** The socket is open. */
  connected: boolean;
  /** The key was accepted on the current connection (always `true` once open for key-less Yahoo). */
  authenticated: boolean;
  /** Symbols currently subscribed on any channel (wanted, sent on every connection). */
  subscribed: number;
  /** Data events emitted since the stream opened (trades, quotes, bars; duplicates excluded). */
  messages: number;
  /** Frames read off the socket since the stream opened. */
  frames: number;
  /** Data events per second over the last ~10 seconds of the stream's clock. */
  messagesPerSecond: number;
  /** Connections opened after the first one. */
  reconnects: number;
  /** When the last data event arrived, epoch ms, or `null` before the first. */
  lastMessageAt: number | null;
  /** Arrival minus the exchange timestamp of the last data event, ms (negative means clock skew), or `null`. */
  lagMs: number | null;
  /** Events dropped because their sequence number repeated one already seen for the symbol. */
  duplicates: number;
  /** Frames or events that did not decode and were skipped. */
  decodeErrors: number;
}

/** What {@link ProviderStream.subscribe} and `unsubscribe` did with each symbol. */
export interface SubscriptionChange {
  /** Canonical symbols accepted (new subscriptions are sent at once when connected, else on connect). */
  accepted: string[];
  /** Symbols refused with why (`bad_request` not a symbol, `unavailable` not streamable here). */
  rejected: Array<{ symbol: string; error: ProviderError }>;
}

/**
 * One live connection (reconnected as needed) to a provider's streaming API. Subscriptions are
 * kept here, so they survive reconnects; only differences are sent. Created by
 * {@link StreamingProvider.stream}.
 *
 * @example
 * const polygon = polygonProvider({ apiKey: process.env.POLYGON_API_KEY });
 * const stream = polygon.stream!({ signal: AbortSignal.timeout(60_000) });
 * const off = stream.on((e) => {
 *   if (e.type === 'trade') console.log(e.trade.symbol, e.trade.price);
 *   if (e.type === 'error') console.warn(e.error.message);
 * });
 * stream.subscribe(['AAPL', 'MSFT'], ['trades', 'minute_bars']);
 * // …
 * off();
 * await stream.close();
 */
export interface ProviderStream {
  /** Provider name. */
  readonly provider: string;
  /** The channels this provider can stream. */
  readonly channels: readonly StreamChannel[];
  /**
   * Adds symbols on channels (default: every channel the provider streams that is cheap: `quotes`
   * and `trades` where available). Already-subscribed pairs are not sent again. Never throws for
   * bad symbols: they are listed in `rejected`. Channels the provider cannot stream are rejected
   * per symbol with kind `unavailable`.
   */
  subscribe(symbols: readonly string[], channels?: readonly StreamChannel[]): SubscriptionChange;
  /** Removes symbols from channels (default: every channel). Pairs not subscribed are ignored. */
  unsubscribe(symbols: readonly string[], channels?: readonly StreamChannel[]): SubscriptionChange;
  /** The canonical symbols subscribed on `channel`. */
  subscriptions(channel: StreamChannel): string[];
  /** Calls `listener` with every event; returns the function that stops it. */
  on(listener: StreamListener): () => void;
  /** Counters for health and metrics. */
  stats(): StreamStats;
  /** Closes the socket and every timer; emits `closed`. Idempotent. */
  close(): Promise<void>;
}

/** Reconnect policy of a stream: jittered exponential backoff. */
export interface StreamReconnectOptions {
  /** First delay before reconnecting, ms (full jitter below it). @default 500 */
  initialDelayMs?: number;
  /** Largest delay, ms. @default 30_000 */
  maxDelayMs?: number;
  /** Reconnect attempts in a row without reaching `subscribed` before giving up (`closed` + error). @default Infinity */
  maxAttempts?: number;
}

/** Options of {@link StreamingProvider.stream}. */
export interface StreamOptions {
  /** Closes the stream when aborted (as `close()` does). @default undefined */
  signal?: AbortSignal;
  /**
   * WebSocket URL to connect to, e.g. the simulator's `sim.wsUrl('polygon')`.
   * @default Polygon 'wss://socket.polygon.io/stocks' (delayed: 'wss://delayed.polygon.io/stocks'),
   * Massive 'wss://socket.massive.com/stocks', Yahoo 'wss://streamer.finance.yahoo.com/?version=2'
   */
  url?: string;
  /** Polygon/Massive feed when `url` is not given: `realtime` or 15-minute `delayed`. @default 'realtime' */
  feed?: 'realtime' | 'delayed';
  /** How often a WebSocket ping is sent, ms. @default 25_000 (Polygon), 15_000 (Yahoo) */
  pingIntervalMs?: number;
  /** The connection is declared dead when no pong (and no frame) arrived for this long, ms. @default 30_000 */
  deadAfterMs?: number;
  /** How long the server has to answer `auth` before the connection is retried, ms. @default 10_000 */
  authTimeoutMs?: number;
  /** Yahoo only: the whole subscription is re-sent this often as Yahoo's keepalive, ms. @default 15_000 */
  resubscribeIntervalMs?: number;
  /** Reconnect backoff. @default { initialDelayMs: 500, maxDelayMs: 30_000, maxAttempts: Infinity } */
  reconnect?: StreamReconnectOptions;
  /** Attach monotonic {@link StreamStamps} to data events (for latency benchmarks). @default false */
  stamps?: boolean;
  /** Source of "now" for `receivedAt`, lag and rates. @default the provider's clock */
  clock?: Clock;
  /** Random source in [0, 1) for backoff jitter. @default Math.random */
  random?: () => number;
}

/** A provider's streaming abilities, in {@link ProviderCapabilities}. */
export interface StreamingCapabilities {
  /** Channels it can stream. */
  channels: readonly StreamChannel[];
  /** Asset classes its stream serves (others are rejected per symbol as `unavailable`). */
  assetClasses: readonly string[];
  /** Connections allowed at once per key, when the provider limits it (Polygon: 1 per cluster by default). */
  maxConnections?: number;
  /** The stream in words, with its caveats. */
  note: string;
}

/** A provider with a `stream()` (narrow with `typeof provider.stream === 'function'`). */
export interface StreamingProvider {
  /** Opens a stream; it connects at once and reconnects until closed. Throws `ConfigError` on bad options. */
  stream(options?: StreamOptions): ProviderStream;
}
