import type { Bar, BarSeries } from '@stockade/core';
import type { BarLedger } from './bar-ledger.js';

const MINUTE = 60_000;

/** Options of {@link fillMinuteGap}. */
export interface GapFillOptions {
  /** Canonical symbol. */
  symbol: string;
  /** The delivered bars so far (only bars not in it are handed on, and they are recorded there). */
  ledger: BarLedger;
  /** When the symbol was first streamed, epoch ms: the gap starts there when no bar was seen yet. */
  since: number;
  /** Now, epoch ms: bars whose minute has not ended yet are left to the stream. */
  now: number;
  /** REST minute bars: the manager's `bars()`. */
  bars(symbol: string, options: { interval: '1m'; from: number; to: number; signal: AbortSignal }): Promise<BarSeries>;
  /** Aborts the fetch (the manager closing). */
  signal: AbortSignal;
  /** Receives each missing bar, oldest first, with the provider that served it. */
  deliver(bar: Bar, provider: string): void;
}

/**
 * Fills what a reconnect missed of a symbol's minute bars from REST: from the minute after the last
 * bar seen (or from when streaming began) up to the last complete minute, skipping any bar the
 * ledger already holds, so a bar the stream sent before the drop, or sends again, is delivered once.
 * Returns how many bars it delivered.
 */
export async function fillMinuteGap(o: GapFillOptions): Promise<number> {
  const last = o.ledger.last(o.symbol);
  const from = last === undefined ? Math.floor(o.since / MINUTE) * MINUTE : last + MINUTE;
  const end = Math.floor(o.now / MINUTE) * MINUTE;
  if (from >= end) return 0;
  const series = await o.bars(o.symbol, { interval: '1m', from, to: o.now, signal: o.signal });
  const missing = series.bars.filter((b) => b.t >= from && b.t < end).sort((a, b) => a.t - b.t);
  let delivered = 0;
  for (const bar of missing) {
    if (o.signal.aborted) break;
    if (!o.ledger.admit(o.symbol, bar.t)) continue;
    // One bar per turn of the event loop: a reader keeping up takes each before the next arrives,
    // where a burst would leave only the last one in its queue (one entry per symbol and channel).
    if (delivered > 0) await new Promise((resolve) => setImmediate(resolve));
    o.deliver(bar, series.provider);
    delivered += 1;
  }
  return delivered;
}
