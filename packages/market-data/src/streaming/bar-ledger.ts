/**
 * Which bars of each symbol were already delivered, so a bar that arrives twice (streamed, then
 * again in a REST gap fill, or twice from the stream) is delivered once. Bounded: per symbol it
 * keeps the most recent `keep` bar times; anything older than those is treated as seen.
 */
export interface BarLedger {
  /** Records the bar starting at `t`; false when it was delivered before (drop it). */
  admit(symbol: string, t: number): boolean;
  /** The start of the latest bar delivered for `symbol`, or undefined. */
  last(symbol: string): number | undefined;
  /** Forgets a symbol nobody streams any more. */
  forget(symbol: string): void;
}

/** Creates a {@link BarLedger} keeping `keep` bar times per symbol (default 512: over 8 hours of minute bars). */
export function createBarLedger(keep = 512): BarLedger {
  const bySymbol = new Map<string, { times: Set<number>; order: number[]; latest: number }>();
  return {
    admit(symbol, t) {
      let entry = bySymbol.get(symbol);
      if (entry === undefined) {
        entry = { times: new Set(), order: [], latest: Number.NEGATIVE_INFINITY };
        bySymbol.set(symbol, entry);
      }
      if (entry.times.has(t)) return false;
      // Older than everything still remembered: it was delivered (or is too old to matter).
      if (entry.order.length >= keep && t < (entry.order[0] as number)) return false;
      entry.times.add(t);
      entry.order.push(t);
      if (t < entry.latest) entry.order.sort((a, b) => a - b);
      else entry.latest = t;
      while (entry.order.length > keep) entry.times.delete(entry.order.shift() as number);
      return true;
    },
    last: (symbol) => {
      const latest = bySymbol.get(symbol)?.latest;
      return latest === undefined || latest === Number.NEGATIVE_INFINITY ? undefined : latest;
    },
    forget: (symbol) => {
      bySymbol.delete(symbol);
    },
  };
}
