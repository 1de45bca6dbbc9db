import type {
  Adjustment,
  AssetClass,
  BarSeries,
  Clock,
  Interval,
  MarketSession,
  ProviderError,
  Quote,
} from '@stockade/core';
import type { ProviderStream, StreamingCapabilities, StreamOptions } from './stream/types.js';

/** Options every provider call accepts. */
export interface CallOptions {
  /** Aborts the call: the socket is released and the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A date bound of a bar request: epoch ms UTC, or a calendar date `'YYYY-MM-DD'`. */
export type DateBound = number | string;

/** What {@link Provider.bars} is asked for. */
export interface BarsOptions extends CallOptions {
  /** Bar interval; must be one of the provider's `capabilities.intervals`. */
  interval: Interval;
  /** First instant (epoch ms) or date (`YYYY-MM-DD`, inclusive). */
  from: DateBound;
  /** Last instant (epoch ms) or date (`YYYY-MM-DD`, inclusive). */
  to: DateBound;
  /**
   * The adjustment wanted. A provider that cannot give it rejects with kind `unavailable` before
   * sending anything; omitted, the provider's natural adjustment is used and stated on the series.
   */
  adjustment?: Adjustment;
}

/**
 * The answer to {@link Provider.quotes}: every symbol asked appears exactly once, either as a
 * quote or as an error (a symbol the provider cannot serve is an `unavailable` error, and nothing
 * was sent for it).
 */
export interface QuoteResults {
  /** Quotes, keyed by canonical symbol inside each. */
  quotes: Quote[];
  /** Per-symbol failures (`not_found`, `unavailable`, …), with the canonical symbol where it parsed. */
  errors: Array<{ symbol: string; error: ProviderError }>;
}

/** The outcome of {@link Provider.probe}. */
export type ProbeResult = { ok: true; latencyMs: number } | { ok: false; latencyMs: number; error: ProviderError };

/** A provider's published free-tier allowance, as documented by the provider. */
export interface FreeTierLimits {
  /** Requests allowed per minute, when documented. */
  requestsPerMinute?: number;
  /** Requests allowed per day, when documented. */
  requestsPerDay?: number;
  /** The allowance in words, with its caveats. */
  note: string;
}

/** What a provider can do; the manager plans batches and failover from this. */
export interface ProviderCapabilities {
  /** Whether several symbols can be quoted in one request. */
  batchQuotes: boolean;
  /** Largest number of symbols in one quote request (1 without batching). */
  maxBatchSize: number;
  /** Bar intervals served. */
  intervals: readonly Interval[];
  /** Asset classes served (symbols of other classes are `unavailable`). */
  assetClasses: readonly AssetClass[];
  /** Adjustments {@link BarsOptions.adjustment} may ask for; the first is the default. */
  adjustments: readonly Adjustment[];
  /** Whether an API key is required. */
  needsKey: boolean;
  /** Documented free-tier limits. */
  freeTier: FreeTierLimits;
  /** What its WebSocket stream can do; absent when the provider has no `stream()`. */
  streaming?: StreamingCapabilities;
}

/** Connection-pool counters of a provider, summed over its origins, for metrics. */
export interface PoolStats {
  /** Open sockets. */
  connected: number;
  /** Requests queued, waiting for a socket. */
  pending: number;
  /** Requests in flight. */
  running: number;
}

/** One HTTP response as seen by a provider, for rate-limit observers. */
export interface ResponseHeadersEvent {
  /** Provider name. */
  provider: string;
  /** HTTP status. */
  status: number;
  /** Response headers, lower-case names. */
  headers: Readonly<Record<string, string | string[] | undefined>>;
  /** `Retry-After` in ms, when sent. */
  retryAfterMs?: number;
}

/** Something that can be stopped; returned by event subscriptions. */
export interface Disposable {
  /** Stops the subscription. */
  dispose(): void;
}

/**
 * Where a provider gets its API key. Matches the shape of core's key resolver, kept minimal so
 * any object with these two methods works.
 */
export interface ProviderKeyResolver {
  /** The current key of `provider`. */
  resolve(provider: string, options: CallOptions): Promise<{ key: string }>;
  /** Called once after an auth failure; resolves `true` when a different key may now be served. */
  refresh?(provider: string): Promise<boolean>;
}

/** The market calendar a provider asks for a quote's session (core's `MarketCalendar` fits). */
export interface SessionCalendar {
  /** The session of `symbol` at `at`. */
  session(symbol: string, at?: number): MarketSession;
}

/** HTTP and behaviour options shared by every provider factory. */
export interface ProviderHttpOptions {
  /** Sockets per origin. @default 8 */
  connections?: number;
  /** Largest response body accepted (after decompression), bytes; larger ones fail as `bad_response`. @default 8_388_608 */
  bodyLimitBytes?: number;
  /** How long an idle socket is kept open for reuse, ms. @default 30_000 */
  keepAliveTimeoutMs?: number;
  /** Longest wait for response headers, ms (`timeout` after). @default 30_000 */
  headersTimeoutMs?: number;
  /** Longest silence while reading a body, ms (`timeout` after). @default 30_000 */
  bodyTimeoutMs?: number;
  /** Source of "now" for `receivedAt`, Retry-After dates and caches. @default systemClock */
  clock?: Clock;
  /** Calendar used to state a quote's session when the provider does not. @default createMarketCalendar({ clock }) */
  calendar?: SessionCalendar;
  /** Symbol used by `probe()`. @default 'AAPL' */
  probeSymbol?: string;
  /** Largest number of per-symbol requests in flight during one `quotes()` call. @default 4 */
  concurrency?: number;
}

/**
 * A market-data provider adapter. Every answer is normalized to core's `Quote` / `BarSeries` with
 * canonical symbols; every failure is a `ProviderError` with a `kind`.
 */
export interface Provider {
  /** Provider name (`yahoo`, `alphavantage`, `polygon`, `massive`). */
  readonly name: string;
  /** What it can do. */
  readonly capabilities: ProviderCapabilities;
  /** Whether the provider can serve this symbol at all (an invalid symbol is `false`). */
  supports(symbol: string): boolean;
  /**
   * Latest quotes. Rejects with a `ProviderError` only when the call failed as a whole (auth,
   * throttling, 5xx, timeout…); per-symbol failures are listed in `errors`.
   */
  quotes(symbols: readonly string[], options?: CallOptions): Promise<QuoteResults>;
  /** Bars of one symbol over a range, stating their adjustment. */
  bars(symbol: string, options: BarsOptions): Promise<BarSeries>;
  /** One cheap request that tells whether the provider answers right now. Never rejects except on abort. */
  probe(options?: CallOptions): Promise<ProbeResult>;
  /** Connection-pool counters. */
  poolStats(): PoolStats;
  /** Calls `listener` with the headers of every response (for rate-limit buckets to observe). */
  onResponseHeaders(listener: (event: ResponseHeadersEvent) => void): Disposable;
  /**
   * Opens a live WebSocket stream (present only when `capabilities.streaming` is). The stream
   * reconnects on its own until closed; `close()` of the provider closes its streams too.
   */
  stream?(options?: StreamOptions): ProviderStream;
  /** Closes every socket; later calls fail with kind `unavailable`. */
  close(): Promise<void>;
}
