import type { Bar, Clock, Quote, SdkEvent, SdkEventType, StreamMode } from '@stockade/core';
import type { StreamBarEvent, StreamChannel, StreamQuoteEvent, StreamTradeEvent } from '@stockade/providers';
import type { ManagerMetrics } from '../metrics/manager-metrics.js';
import type { StreamBook } from './stream-book.js';
import type { MarketStreamEvent } from './stream-types.js';

/** Options of {@link createStreamFanout}. */
export interface StreamFanoutOptions {
  /** Who wants what. */
  book: StreamBook;
  /** Conflation and message counters. */
  metrics: ManagerMetrics;
  /** Emits to `manager.on()` listeners. */
  emit(event: SdkEvent): void;
  /** Whether anyone listens to `type`: SDK events are built only then. */
  listening(type: SdkEventType): boolean;
  /** Clock. */
  clock: Clock;
}

/**
 * Turns what the upstream stream, the polling fallback and the gap fill produce into
 * `stream()` events for every consumer that wants them, and into SDK events for `on()`.
 */
export interface StreamFanout {
  /** A streamed trade or quote. */
  tick(provider: string, e: StreamTradeEvent | StreamQuoteEvent): void;
  /** Counts a streamed message of `channel` (bars are counted here too, before de-duplication). */
  count(provider: string, channel: StreamChannel): void;
  /** A bar (streamed, or fetched to fill a gap). */
  bar(
    e: Pick<StreamBarEvent, 'symbol' | 'interval' | 'bar' | 'provider' | 'receivedAt' | 'stamps'>,
    via: 'stream' | 'gap_fill',
  ): void;
  /** A quote from the polling fallback: to every consumer of the symbol, whatever channels it asked. */
  polled(quote: Quote): void;
  /** A status change, to every consumer. */
  status(mode: StreamMode, provider: string | null, status: string, detail: string): void;
  /** Events conflated in consumers' queues since start. */
  readonly conflated: number;
  /** Moves the message counts kept since the last call into the metrics (on scrape and health). */
  flush(): void;
}

/** Creates a {@link StreamFanout}. */
export function createStreamFanout(o: StreamFanoutOptions): StreamFanout {
  const { book, metrics } = o;
  let conflated = 0;
  // Counted in plain fields on the hot path; the labelled metric is updated on flush().
  const received = new Map<string, { provider: string; channel: StreamChannel; n: number }>();
  let last: { provider: string; channel: StreamChannel; n: number } | undefined;
  const countMessage = (provider: string, channel: StreamChannel) => {
    if (last !== undefined && last.provider === provider && last.channel === channel) {
      last.n += 1;
      return;
    }
    const key = `${provider}|${channel}`;
    last = received.get(key);
    if (last === undefined) {
      last = { provider, channel, n: 0 };
      received.set(key, last);
    }
    last.n += 1;
  };
  const count = (channel: string, n: number) => {
    if (n === 0) return;
    conflated += n;
    metrics.recordStreamConflated(channel, n);
  };
  const to = (symbol: string, channel: StreamChannel, event: MarketStreamEvent, anyChannel = false) =>
    count(channel, book.dispatch(symbol, channel, event, anyChannel));

  return {
    tick(provider, e) {
      if (e.type === 'trade') {
        countMessage(provider, 'trades');
        const event: MarketStreamEvent = {
          type: 'trade',
          trade: e.trade,
          provider,
          via: 'stream',
          receivedAt: e.receivedAt,
        };
        if (e.stamps !== undefined) event.stamps = e.stamps;
        to(e.trade.symbol, 'trades', event);
        if (o.listening('trade'))
          o.emit({ schemaVersion: 1, at: e.receivedAt, type: 'trade', trade: e.trade, via: 'stream' });
        return;
      }
      countMessage(provider, 'quotes');
      const receivedAt = e.quote.receivedAt;
      const event: MarketStreamEvent = { type: 'quote', quote: e.quote, provider, via: 'stream', receivedAt };
      if (e.stamps !== undefined) event.stamps = e.stamps;
      to(e.quote.symbol, 'quotes', event);
      if (o.listening('quote'))
        o.emit({ schemaVersion: 1, at: receivedAt, type: 'quote', quote: e.quote, via: 'stream' });
    },
    count: countMessage,
    bar(e, via) {
      const channel = e.interval === '1m' ? 'minute_bars' : 'second_bars';
      const { symbol, interval, provider, receivedAt } = e;
      const bar: Bar = e.bar;
      const event: MarketStreamEvent = { type: 'bar', symbol, interval, bar, provider, via, receivedAt };
      if (e.stamps !== undefined) event.stamps = e.stamps;
      to(symbol, channel, event);
      if (o.listening('bar'))
        o.emit({ schemaVersion: 1, at: receivedAt, type: 'bar', symbol, interval, bar, provider, via });
    },
    polled(quote) {
      const receivedAt = o.clock.now();
      to(quote.symbol, 'quotes', { type: 'quote', quote, provider: quote.provider, via: 'poll', receivedAt }, true);
      if (o.listening('quote')) o.emit({ schemaVersion: 1, at: receivedAt, type: 'quote', quote, via: 'poll' });
    },
    status(mode, provider, status, detail) {
      const at = o.clock.now();
      count('status', book.broadcast({ type: 'status', mode, provider, status, detail, at }));
      if (o.listening('stream.status'))
        o.emit({ schemaVersion: 1, at, type: 'stream.status', mode, provider, status, detail });
    },
    get conflated() {
      return conflated;
    },
    flush() {
      for (const r of received.values()) {
        if (r.n > 0) metrics.recordStreamMessage(r.provider, r.channel, r.n);
        r.n = 0;
      }
    },
  };
}
