import { checkPeriod, type HighLowClose, type Indicator, rejectNonFinite } from './indicator.js';

/**
 * Average true range with Wilder smoothing, TA-Lib's `ATR`: lookback `period`.
 *
 * The true range needs the previous close, so it starts at bar 1:
 * `TR = max(high, prevClose) − min(low, prevClose)`. The first ATR (at bar `period`) is the simple
 * mean of `TR[1 … period]`; then `ATR = (ATR × (period − 1) + TR) / period`.
 *
 * @example
 * const atr14 = atr(14);
 * for (const bar of bars) atr14.update(bar); // any { h, l, c }
 */
export class ATR implements Indicator<HighLowClose, number> {
  /** Smoothing period. */
  readonly period: number;
  /** TA-Lib lookback: `period`. */
  readonly lookback: number;
  private seen = 0;
  private previousClose = 0;
  private out = 0;
  private ready = false;
  private range = 0;

  constructor(period = 14) {
    checkPeriod('ATR', 'period', period);
    this.period = period;
    this.lookback = period;
  }

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): number | null {
    return this.ready ? this.out : null;
  }

  /** Inputs seen since construction or the last `reset()`. */
  get count(): number {
    return this.seen;
  }

  /**
   * The latest value as a plain number, `NaN` before {@link isReady}. Reading it never allocates:
   * V8 may box the `number | null` that `update()` and `value` return, so hot loops should call
   * `update()` and read `current`.
   */
  get current(): number {
    return this.ready ? this.out : Number.NaN;
  }

  /** The last true range (0 before the second bar). */
  get trueRange(): number {
    return this.range;
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(bar: HighLowClose): number | null {
    if (!this.ready) return this.warm(bar);
    const { h, l, c } = bar;
    if (h - h + (l - l) + (c - c) !== 0) rejectNonFinite('ATR', 'bar.h, bar.l and bar.c', h + l + c);
    this.seen++;
    const previousClose = this.previousClose;
    this.previousClose = c;
    const tr = Math.max(h, previousClose) - Math.min(l, previousClose);
    this.range = tr;
    const period = this.period;
    this.out = (this.out * (period - 1) + tr) / period;
    return this.out;
  }

  private warm(bar: HighLowClose): number | null {
    const { h, l, c } = bar;
    if (h - h + (l - l) + (c - c) !== 0) rejectNonFinite('ATR', 'bar.h, bar.l and bar.c', h + l + c);
    const seen = ++this.seen;
    const previousClose = this.previousClose;
    this.previousClose = c;
    if (seen === 1) return null;
    const tr = Math.max(h, previousClose) - Math.min(l, previousClose);
    this.range = tr;
    // Warm-up: `out` holds the running sum of the first `period` true ranges.
    this.out += tr;
    if (seen <= this.period) return null;
    this.out /= this.period;
    this.ready = true;
    return this.out;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.seen = 0;
    this.previousClose = 0;
    this.out = 0;
    this.range = 0;
    this.ready = false;
  }
}

/** Creates an {@link ATR} of `period` (default 14). */
export function atr(period = 14): ATR {
  return new ATR(period);
}
