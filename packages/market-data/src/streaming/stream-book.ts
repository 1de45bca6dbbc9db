import { STREAM_CHANNELS, type StreamChannel } from '@stockade/providers';
import type { StreamConsumer } from './stream-consumer.js';
import type { MarketStreamEvent } from './stream-types.js';

/** Pairs wanted or no longer wanted, grouped by channel. */
export type PairsByChannel = Map<StreamChannel, string[]>;

/**
 * Who wants what across every `stream()` consumer: a reference count per symbol and channel, so
 * the upstream is told only the differences (the first consumer of a pair subscribes it, the last
 * one to leave unsubscribes it), and an index from symbol to consumers for dispatch.
 */
export interface StreamBook {
  /** Registers a consumer; returns the pairs nobody wanted before. */
  add(consumer: StreamConsumer): PairsByChannel;
  /** Removes a consumer; returns the pairs nobody wants now and the symbols nobody streams now (false when unknown). */
  remove(consumer: StreamConsumer): { pairs: PairsByChannel; symbols: string[] } | false;
  /** Hands an event to every consumer of `symbol` on `channel` (or on any channel); returns how many conflated. */
  dispatch(symbol: string, channel: StreamChannel, event: MarketStreamEvent, anyChannel?: boolean): number;
  /** Hands a status event to every consumer; returns how many conflated. */
  broadcast(event: MarketStreamEvent): number;
  /** The symbols wanted on `channel`. */
  wanted(channel: StreamChannel): IterableIterator<string>;
  /** Whether `symbol` is wanted on `channel`. */
  wants(symbol: string, channel: StreamChannel): boolean;
  /** Channels with at least one symbol. */
  channels(): Set<StreamChannel>;
  /** Every symbol wanted on any channel. */
  symbols(): string[];
  /** Distinct symbols wanted. */
  readonly symbolCount: number;
  /** Consumers registered. */
  readonly consumerCount: number;
  /** Ends every consumer and forgets them. */
  endAll(): void;
}

const push = (map: PairsByChannel, channel: StreamChannel, symbol: string) => {
  const list = map.get(channel);
  if (list === undefined) map.set(channel, [symbol]);
  else list.push(symbol);
};

/** Creates an empty {@link StreamBook}. */
export function createStreamBook(): StreamBook {
  const consumers = new Set<StreamConsumer>();
  const bySymbol = new Map<string, Set<StreamConsumer>>();
  // Queue keys made once per symbol, not once per event on the hot path.
  const keys = new Map<string, Record<StreamChannel, string>>();
  const keysOf = (symbol: string) => {
    let k = keys.get(symbol);
    if (k === undefined) {
      k = {
        trades: `trades|${symbol}`,
        quotes: `quotes|${symbol}`,
        minute_bars: `minute_bars|${symbol}`,
        second_bars: `second_bars|${symbol}`,
      };
      keys.set(symbol, k);
    }
    return k;
  };
  const counts = new Map<StreamChannel, Map<string, number>>(STREAM_CHANNELS.map((c) => [c, new Map()]));
  const countsOf = (channel: StreamChannel) => counts.get(channel) as Map<string, number>;
  return {
    add(consumer) {
      consumers.add(consumer);
      const added: PairsByChannel = new Map();
      for (const symbol of consumer.symbols) {
        let set = bySymbol.get(symbol);
        if (set === undefined) {
          set = new Set();
          bySymbol.set(symbol, set);
        }
        set.add(consumer);
        for (const channel of consumer.channels) {
          const n = countsOf(channel).get(symbol) ?? 0;
          countsOf(channel).set(symbol, n + 1);
          if (n === 0) push(added, channel, symbol);
        }
      }
      return added;
    },
    remove(consumer) {
      if (!consumers.delete(consumer)) return false;
      const pairs: PairsByChannel = new Map();
      const gone: string[] = [];
      for (const symbol of consumer.symbols) {
        const set = bySymbol.get(symbol);
        set?.delete(consumer);
        if (set?.size === 0) {
          bySymbol.delete(symbol);
          keys.delete(symbol);
          gone.push(symbol);
        }
        for (const channel of consumer.channels) {
          const n = (countsOf(channel).get(symbol) ?? 0) - 1;
          if (n > 0) countsOf(channel).set(symbol, n);
          else {
            countsOf(channel).delete(symbol);
            push(pairs, channel, symbol);
          }
        }
      }
      return { pairs, symbols: gone };
    },
    dispatch(symbol, channel, event, anyChannel = false) {
      const set = bySymbol.get(symbol);
      if (set === undefined) return 0;
      const key = keysOf(symbol)[channel];
      let conflated = 0;
      for (const c of set) {
        if (!anyChannel && !c.channels.has(channel)) continue;
        if (c.offer(key, channel, event)) conflated += 1;
      }
      return conflated;
    },
    broadcast(event) {
      let conflated = 0;
      for (const c of consumers) if (c.offer('status', 'status', event)) conflated += 1;
      return conflated;
    },
    wanted: (channel) => countsOf(channel).keys(),
    wants: (symbol, channel) => countsOf(channel).has(symbol),
    channels() {
      const out = new Set<StreamChannel>();
      for (const [c, m] of counts) if (m.size > 0) out.add(c);
      return out;
    },
    symbols: () => [...bySymbol.keys()],
    get symbolCount() {
      return bySymbol.size;
    },
    get consumerCount() {
      return consumers.size;
    },
    endAll() {
      for (const c of consumers) c.end();
      consumers.clear();
      bySymbol.clear();
      keys.clear();
      for (const m of counts.values()) m.clear();
    },
  };
}
