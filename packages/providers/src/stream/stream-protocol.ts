import type { Clock, ProviderError } from '@stockade/core';
import type { Subscription, SubscriptionBook } from './subscription-book.js';
import type { StreamChannel, StreamEvent } from './types.js';

/** What a wire protocol can use of the stream it runs in. */
export interface StreamContext {
  /** Provider name. */
  readonly provider: string;
  /** The stream's clock. */
  readonly clock: Clock;
  /** Whether data events carry monotonic stamps. */
  readonly stamps: boolean;
  /** The wanted subscriptions. */
  readonly book: SubscriptionBook;
  /** Counts connections; compare before acting on a connection after an await. */
  readonly connection: number;
  /** Sends a text frame on the current connection. */
  send(text: string): boolean;
  /** Emits a data event; `sourceAt` is its exchange time (for lag). */
  data(event: StreamEvent, receivedAt: number, sourceAt: number): void;
  /** Counts an event dropped as a repeat. */
  duplicate(): void;
  /** Reports a frame or event that did not decode (skipped; the stream goes on). */
  decodeError(error: ProviderError): void;
  /** Reports a failure that needs no action (a refused subscription). */
  report(error: ProviderError): void;
  /** The server accepted the key: subscriptions are sent now. */
  authenticated(detail: string): void;
  /** Every subscription sent on this connection is acknowledged. */
  subscribed(detail: string): void;
  /** A failure reconnecting cannot fix: emit it and close. */
  fatal(error: ProviderError): void;
  /** A failure of this connection only: drop it and reconnect. */
  retry(error: ProviderError): void;
  /** Runs `fn` after `ms` unless the connection ends first. */
  connectionTimer(ms: number, fn: () => void): void;
}

/** One wire protocol (Polygon JSON, Yahoo protobuf) run by {@link createLiveStream}. */
export interface StreamProtocol {
  /** Channels it can stream. */
  readonly channels: readonly StreamChannel[];
  /** Channels used when `subscribe` names none. */
  readonly defaultChannels: readonly StreamChannel[];
  /** Whether the server wants `authenticated` before subscriptions (Polygon), or takes them at once (Yahoo). */
  readonly needsAuth: boolean;
  /** Handshake headers. */
  readonly headers?: Record<string, string>;
  /** The canonical symbol and the provider's ticker of a symbol, or why it cannot be streamed. */
  plan(symbol: string): { symbol: string; native: string } | ProviderError;
  /** A new connection is open (per-connection state starts over). */
  open(ctx: StreamContext): void;
  /** A frame arrived at `receivedAt` (clock) / `receivedHr` (monotonic, 0n without stamps). */
  frame(data: string | Uint8Array, ctx: StreamContext, receivedAt: number, receivedHr: bigint): void;
  /** Sends subscriptions (called once the connection is ready). */
  subscribe(pairs: readonly Subscription[], ctx: StreamContext): void;
  /** Sends unsubscriptions (called once the connection is ready). */
  unsubscribe(pairs: readonly Subscription[], ctx: StreamContext): void;
  /** Called on every heartbeat check with the ms since the previous one (Yahoo's keepalive resubscribe). */
  tick?(elapsedMs: number, ctx: StreamContext): void;
}

/** Settings of {@link createLiveStream}, already validated. */
export interface LiveStreamSettings {
  /** Provider name. */
  provider: string;
  /** WebSocket URL. */
  url: string;
  /** Ping period, ms. */
  pingIntervalMs: number;
  /** Silence (no pong, no frame) after which the connection is dead, ms. */
  deadAfterMs: number;
  /** Reconnect backoff start, ms. */
  initialDelayMs: number;
  /** Reconnect backoff cap, ms. */
  maxDelayMs: number;
  /** Failed connections in a row before giving up. */
  maxAttempts: number;
  /** Data events carry monotonic stamps. */
  stamps: boolean;
  /** Clock. */
  clock: Clock;
  /** Jitter source. */
  random: () => number;
  /** Closes the stream when aborted. */
  signal?: AbortSignal;
  /** Called once when the stream is closed (the adapter forgets it). */
  onClosed?: () => void;
}
