import type { StreamChannel } from './types.js';

/** One symbol on one channel, in both spellings. */
export interface Subscription {
  /** The channel. */
  channel: StreamChannel;
  /** Canonical symbol. */
  symbol: string;
  /** The provider's spelling. */
  native: string;
}

/**
 * The subscriptions a stream wants, kept across reconnects (the servers keep none). Answers the
 * hot-path question "which canonical symbol is this provider ticker?" with one map read.
 */
export interface SubscriptionBook {
  /** Adds a pair; false when it was already there. */
  add(channel: StreamChannel, symbol: string, native: string): boolean;
  /** Removes a pair; its native spelling, or undefined when it was not there. */
  remove(channel: StreamChannel, symbol: string): string | undefined;
  /** Whether the pair is wanted. */
  has(channel: StreamChannel, symbol: string): boolean;
  /** Every wanted pair. */
  all(): Subscription[];
  /** Canonical symbols on a channel. */
  symbols(channel: StreamChannel): string[];
  /** The canonical symbol of a provider ticker that is subscribed on any channel. */
  canonicalOf(native: string): string | undefined;
  /** Distinct symbols on any channel. */
  readonly size: number;
}

/** Creates an empty {@link SubscriptionBook}. */
export function createSubscriptionBook(): SubscriptionBook {
  const byChannel = new Map<StreamChannel, Map<string, string>>();
  // native → [canonical, number of channels holding it]
  const natives = new Map<string, { symbol: string; refs: number }>();
  const symbolRefs = new Map<string, number>();
  const channelMap = (channel: StreamChannel) => {
    let m = byChannel.get(channel);
    if (m === undefined) {
      m = new Map();
      byChannel.set(channel, m);
    }
    return m;
  };
  return {
    add(channel, symbol, native) {
      const m = channelMap(channel);
      if (m.has(symbol)) return false;
      m.set(symbol, native);
      const n = natives.get(native);
      if (n === undefined) natives.set(native, { symbol, refs: 1 });
      else n.refs += 1;
      symbolRefs.set(symbol, (symbolRefs.get(symbol) ?? 0) + 1);
      return true;
    },
    remove(channel, symbol) {
      const m = byChannel.get(channel);
      const native = m?.get(symbol);
      if (m === undefined || native === undefined) return undefined;
      m.delete(symbol);
      const n = natives.get(native);
      if (n !== undefined && --n.refs === 0) natives.delete(native);
      const refs = (symbolRefs.get(symbol) ?? 1) - 1;
      if (refs === 0) symbolRefs.delete(symbol);
      else symbolRefs.set(symbol, refs);
      return native;
    },
    has: (channel, symbol) => byChannel.get(channel)?.has(symbol) ?? false,
    all() {
      const out: Subscription[] = [];
      for (const [channel, m] of byChannel) for (const [symbol, native] of m) out.push({ channel, symbol, native });
      return out;
    },
    symbols: (channel) => [...(byChannel.get(channel)?.keys() ?? [])],
    canonicalOf: (native) => natives.get(native)?.symbol,
    get size() {
      return symbolRefs.size;
    },
  };
}
