/** What a conflating queue has dropped, for a consumer's stats and the manager's metrics. */
export interface ConflationCounts {
  /** Entries replaced by a newer one before the consumer read them. */
  conflated: number;
  /** The same, by channel (`quotes`, `trades`, `minute_bars`, `second_bars`, `status`). */
  byChannel: Record<string, number>;
}

/**
 * A consumer's backlog that never grows past one entry per key (a symbol on a channel): a newer
 * value replaces the queued one in place (latest wins, the symbol keeps its turn), so a slow
 * reader sees fresh prices late instead of stale ones in order, and memory stays bounded by the
 * number of keys however fast the feed is.
 */
export interface ConflatingQueue<T> {
  /** Queues `value` under `key`; returns true when it replaced a queued value (conflation). */
  push(key: string, channel: string, value: T): boolean;
  /** The oldest queued value, removed, or undefined when empty. */
  shift(): T | undefined;
  /** Entries queued now (at most one per key). */
  readonly size: number;
  /** Conflation counters. */
  counts(): ConflationCounts;
  /** Drops everything queued. */
  clear(): void;
}

/** Creates an empty {@link ConflatingQueue}. */
export function createConflatingQueue<T>(): ConflatingQueue<T> {
  // A Map keeps insertion order, and set() on a present key keeps its position: FIFO by key, latest value.
  const entries = new Map<string, T>();
  let conflated = 0;
  const byChannel: Record<string, number> = {};
  return {
    push(key, channel, value) {
      const replaced = entries.has(key);
      entries.set(key, value);
      if (replaced) {
        conflated += 1;
        byChannel[channel] = (byChannel[channel] ?? 0) + 1;
      }
      return replaced;
    },
    shift() {
      const first = entries.entries().next();
      if (first.done === true) return undefined;
      entries.delete(first.value[0]);
      return first.value[1];
    },
    get size() {
      return entries.size;
    },
    counts: () => ({ conflated, byChannel: { ...byChannel } }),
    clear: () => entries.clear(),
  };
}
