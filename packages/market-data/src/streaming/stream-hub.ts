import {
  type BarSeries,
  type Clock,
  type Logger,
  type ProviderHealth,
  type Quote,
  type SdkEvent,
  type SdkEventType,
  type StreamHealth,
  type StreamMode,
  ValidationError,
} from '@stockade/core';
import type { ProviderStream, StreamChannel, StreamEvent } from '@stockade/providers';
import type { ManagerMetrics } from '../metrics/manager-metrics.js';
import { createBarLedger } from './bar-ledger.js';
import { fillMinuteGap } from './gap-fill.js';
import { createStreamBook } from './stream-book.js';
import { checkStreamCall } from './stream-call.js';
import { createStreamConsumer, type StreamConsumer } from './stream-consumer.js';
import { createStreamFanout } from './stream-fanout.js';
import { createStreamPicker, type StreamCandidate } from './stream-picker.js';
import type { MarketStream, StreamCallOptions, StreamingOptions } from './stream-types.js';

/** What the hub needs from the manager. */
export interface StreamHubOptions {
  /** Providers by priority, best first. */
  candidates: readonly StreamCandidate[];
  /** A provider's live health. */
  health(name: string): ProviderHealth;
  /** WebSocket URL of a provider: undefined for its own endpoint, null when it does not stream here. */
  urlOf(name: string): string | null | undefined;
  /** Manager-wide streaming settings. */
  settings: StreamingOptions;
  /** Clock. */
  clock: Clock;
  /** Logger. */
  logger: Logger;
  /** Metrics. */
  metrics: ManagerMetrics;
  /** Emits an SDK event to `manager.on()` listeners. */
  emit(event: SdkEvent): void;
  /** Whether anyone listens to `type` (events are built only then). */
  listening(type: SdkEventType): boolean;
  /** The polling fallback: `manager.subscribe()`. */
  poll(symbols: readonly string[], onQuote: (quote: Quote) => void, options: { intervalMs: number }): { close(): void };
  /** REST bars: `manager.bars()`. */
  bars(symbol: string, options: { interval: '1m'; from: number; to: number; signal: AbortSignal }): Promise<BarSeries>;
}

/** Every `stream()` caller shares one hub: one upstream connection, reference-counted subscriptions. */
export interface StreamHub {
  /** Opens a consumer. @throws {ValidationError} on bad symbols or channels. */
  open(symbols: readonly string[], options?: StreamCallOptions): MarketStream;
  /** Stream health for `manager.health()`. */
  health(): StreamHealth;
  /** Updates the stream gauges (connected, lag, fallback). */
  refreshMetrics(): void;
  /** Ends every consumer, the upstream, the fallback and timers. */
  close(): Promise<void>;
}

interface Upstream {
  name: string;
  stream: ProviderStream;
  off(): void;
  status: string;
  rejected: Set<string>;
  /** Opened while polling: polling goes on until it first reaches `subscribed`. */
  probation: boolean;
  subscribedOnce: boolean;
  reconnecting: boolean;
  /** Reconnect attempts since the last `subscribed`. */
  attempts: number;
  closing: boolean;
}

/** Reconnect attempts in a row after which polling stands in until the stream is back. */
const POLL_AFTER_ATTEMPTS = 3;

/** Creates the {@link StreamHub} behind `manager.stream()`. */
export function createStreamHub(o: StreamHubOptions): StreamHub {
  const { clock, metrics, settings } = o;
  const picker = createStreamPicker({
    candidates: o.candidates,
    allowed: settings.providers,
    urlOf: o.urlOf,
    health: o.health,
    clock,
    retryInitialMs: settings.retryInitialMs,
    retryMaxMs: settings.retryMaxMs,
  });
  const book = createStreamBook();
  const fanout = createStreamFanout({ book, metrics, emit: o.emit, listening: o.listening, clock });
  const since = new Map<string, number>();
  const ledger = createBarLedger();
  const lifetime = new AbortController();
  const fills = new Set<Promise<void>>();
  const seenProviders = new Set<string>();
  const totals = { messages: 0, reconnects: 0, gapFilledBars: 0 };
  let upstream: Upstream | undefined;
  let poller: { key: string; sub: { close(): void } } | undefined;
  let retryTimer: NodeJS.Timeout | undefined;
  let lastError: string | undefined;
  let closed = false;

  const anyWanted = () => book.symbolCount > 0;
  const streaming = () =>
    upstream !== undefined &&
    !(upstream.probation && !upstream.subscribedOnce) &&
    upstream.attempts < POLL_AFTER_ATTEMPTS;
  const mode = (): StreamMode => (!anyWanted() ? 'idle' : streaming() ? 'streaming' : 'polling');

  const announce = (status: string, detail: string) => fanout.status(mode(), upstream?.name ?? null, status, detail);

  function onUpstream(up: Upstream, e: StreamEvent): void {
    if (up !== upstream) return;
    switch (e.type) {
      case 'trade':
      case 'quote':
        fanout.tick(up.name, e);
        return;
      case 'bar':
        fanout.count(up.name, e.interval === '1m' ? 'minute_bars' : 'second_bars');
        if (e.interval === '1m' && !ledger.admit(e.symbol, e.bar.t)) return;
        fanout.bar(e, 'stream');
        return;
      case 'error':
        lastError = `${up.name}: ${e.error.message}`;
        if (e.fatal) o.logger.warn({ provider: up.name, kind: e.error.kind }, 'the stream failed: %s', e.error.message);
        return;
      case 'status':
        up.status = e.status;
        if (e.status === 'reconnecting') {
          up.reconnecting = true;
          up.attempts += 1;
          metrics.recordStreamReconnect(up.name);
          // A stream that keeps failing to come back is no stream: poll meanwhile.
          if (up.attempts === POLL_AFTER_ATTEMPTS) {
            lastError ??= e.detail;
            reconcilePolling();
          }
        } else if (e.status === 'subscribed') {
          picker.succeeded(up.name);
          const wasPolling = !streaming();
          up.subscribedOnce = true;
          up.attempts = 0;
          if (up.reconnecting) {
            up.reconnecting = false;
            fillGaps();
          }
          if (wasPolling) reconcilePolling();
        } else if (e.status === 'closed' && !up.closing) {
          // Closed by the provider itself: a failure reconnecting cannot fix (auth, max_connections).
          picker.failed(up.name, lastError ?? e.detail);
          retire(up);
          announce(e.status, e.detail);
          connect(true);
          reconcilePolling();
          return;
        }
        announce(e.status, e.detail);
        return;
    }
  }

  function fillGaps(): void {
    const now = clock.now();
    for (const symbol of book.wanted('minute_bars')) {
      const p = fillMinuteGap({
        symbol,
        ledger,
        since: since.get(symbol) ?? now,
        now,
        bars: o.bars,
        signal: lifetime.signal,
        deliver: (bar, provider) => {
          if (!book.wants(symbol, 'minute_bars')) return;
          totals.gapFilledBars += 1;
          fanout.bar({ symbol, interval: '1m', bar, provider, receivedAt: clock.now() }, 'gap_fill');
        },
      }).then(
        () => undefined,
        (err: unknown) => {
          if (lifetime.signal.aborted) return;
          lastError = `gap fill of ${symbol}: ${(err as Error).message}`;
          o.logger.warn({ err, symbol }, 'could not fill the minute bars a reconnect missed');
        },
      );
      fills.add(p);
      void p.finally(() => fills.delete(p));
    }
  }

  function retire(up: Upstream): void {
    const s = up.stream.stats();
    totals.messages += s.messages;
    totals.reconnects += s.reconnects;
    up.off();
    if (upstream === up) upstream = undefined;
  }

  function closeUpstream(): void {
    const up = upstream;
    if (up === undefined) return;
    up.closing = true;
    retire(up);
    up.stream.close().catch((err: unknown) => o.logger.debug({ err }, 'closing the stream failed'));
  }

  function subscribeAll(up: Upstream, channel: StreamChannel, symbols: readonly string[]): void {
    if (symbols.length === 0) return;
    const change = up.stream.subscribe(symbols, [channel]);
    for (const r of change.rejected) up.rejected.add(r.symbol);
  }

  /** Opens the best usable provider's stream; false when none can stream now. */
  function connect(probation: boolean): boolean {
    if (closed || upstream !== undefined || !anyWanted()) return upstream !== undefined;
    const channels = book.channels();
    for (let candidate = picker.pick(channels); candidate !== undefined; candidate = picker.pick(channels)) {
      const { name, provider } = candidate;
      let stream: ProviderStream;
      try {
        const url = o.urlOf(name);
        stream = (provider.stream as NonNullable<typeof provider.stream>)({
          ...settings.connection,
          ...(typeof url === 'string' ? { url } : {}),
          clock,
        });
      } catch (err) {
        lastError = `${name}: ${(err as Error).message}`;
        picker.failed(name, lastError);
        continue;
      }
      const up: Upstream = {
        name,
        stream,
        off: () => {},
        status: 'connecting',
        rejected: new Set(),
        probation,
        subscribedOnce: false,
        reconnecting: false,
        attempts: 0,
        closing: false,
      };
      upstream = up;
      seenProviders.add(name);
      up.off = stream.on((e) => onUpstream(up, e));
      for (const channel of channels) subscribeAll(up, channel, [...book.wanted(channel)]);
      announce('connecting', `streaming from ${name}`);
      return true;
    }
    return false;
  }

  function reconcilePolling(): void {
    const symbols = !streaming() ? book.symbols() : [...(upstream as Upstream).rejected];
    symbols.sort();
    const key = symbols.join(',');
    if (poller?.key !== key) {
      poller?.sub.close();
      poller = undefined;
      if (symbols.length > 0 && !closed) {
        poller = {
          key,
          sub: o.poll(symbols, fanout.polled, { intervalMs: settings.pollIntervalMs ?? 5_000 }),
        };
        if (!streaming())
          announce('fallback', `polling ${symbols.length} symbols: ${lastError ?? 'no provider can stream'}`);
      }
    }
    metrics.setStreamFallback(poller !== undefined);
    if (upstream === undefined && anyWanted()) scheduleRetry();
  }

  function scheduleRetry(): void {
    if (retryTimer !== undefined || closed || !picker.anyStreamable()) return;
    const now = clock.now();
    const at = picker.nextRetryAt() ?? now + (settings.retryInitialMs ?? 5_000);
    retryTimer = setTimeout(
      () => {
        retryTimer = undefined;
        if (closed || upstream !== undefined || !anyWanted()) return;
        connect(true);
        reconcilePolling();
      },
      Math.max(10, at - now),
    );
    retryTimer.unref();
  }

  function release(c: StreamConsumer): void {
    const removed = book.remove(c);
    if (removed === false) return;
    for (const symbol of removed.symbols) {
      since.delete(symbol);
      ledger.forget(symbol);
      upstream?.rejected.delete(symbol);
    }
    if (!anyWanted()) {
      closeUpstream();
      poller?.sub.close();
      poller = undefined;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      metrics.setStreamFallback(false);
      return;
    }
    if (upstream !== undefined) {
      for (const [channel, symbols] of removed.pairs) upstream.stream.unsubscribe(symbols, [channel]);
    }
    reconcilePolling();
  }

  return {
    open(symbols, options = {}) {
      if (closed) throw new ValidationError('The manager is closed: create a new one to stream');
      const { symbols: canonical, channels } = checkStreamCall(symbols, options);
      const consumer = createStreamConsumer(canonical, channels, release, options.signal);
      if (options.signal?.aborted === true) return consumer.iterator;
      const added = book.add(consumer);
      const now = clock.now();
      for (const symbol of added.get('minute_bars') ?? []) if (!since.has(symbol)) since.set(symbol, now);
      if (upstream === undefined) connect(retryTimer !== undefined || poller !== undefined);
      else for (const [channel, list] of added) subscribeAll(upstream, channel, list);
      reconcilePolling();
      return consumer.iterator;
    },
    health() {
      fanout.flush();
      const s = upstream?.stream.stats();
      return {
        mode: mode(),
        provider: upstream?.name ?? null,
        status: upstream?.status ?? (poller !== undefined ? 'fallback' : null),
        connected: s?.connected ?? false,
        fallbackActive: poller !== undefined,
        ...(lastError === undefined ? {} : { lastError }),
        lagMs: s?.lagMs ?? null,
        messagesPerSecond: s?.messagesPerSecond ?? 0,
        messages: totals.messages + (s?.messages ?? 0),
        reconnects: totals.reconnects + (s?.reconnects ?? 0),
        conflated: fanout.conflated,
        consumers: book.consumerCount,
        symbols: book.symbolCount,
        gapFilledBars: totals.gapFilledBars,
      };
    },
    refreshMetrics() {
      fanout.flush();
      for (const name of seenProviders) {
        const s = upstream?.name === name ? upstream.stream.stats() : undefined;
        metrics.setStreamConnection(name, { connected: s?.connected ?? false, lagMs: s?.lagMs ?? null });
      }
      metrics.setStreamFallback(poller !== undefined);
    },
    async close() {
      if (closed) return;
      closed = true;
      clearTimeout(retryTimer);
      retryTimer = undefined;
      book.endAll();
      poller?.sub.close();
      poller = undefined;
      lifetime.abort();
      const up = upstream;
      if (up !== undefined) {
        up.closing = true;
        retire(up);
        await up.stream.close().catch(() => undefined);
      }
      await Promise.allSettled([...fills]);
    },
  };
}
