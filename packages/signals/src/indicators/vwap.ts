import { checkPeriod, type HighLowCloseVolume, type Indicator, rejectNonFinite } from './indicator.js';

/** Options of {@link vwap}. */
export interface VwapOptions {
  /**
   * Bars in a rolling window. Without it the VWAP is anchored: cumulative since the first bar, and
   * restarted whenever a bar's `sessionDate` differs from the previous bar's. @default undefined (anchored)
   */
  period?: number;
}

/** A bar as the VWAP reads it: high, low, close, volume and (for the anchored form) its session. */
export interface VwapBar extends HighLowCloseVolume {
  /** Trading session (`YYYY-MM-DD`); a change restarts an anchored VWAP. */
  sessionDate?: string;
}

/**
 * Volume-weighted average price of the typical price `(high + low + close) / 3`, either anchored to
 * the session or over a rolling window of `period` bars. Not a TA-Lib function. Lookback
 * `period − 1` (rolling) or 0 (anchored). When the window holds no volume at all (an index), it
 * falls back to the plain mean of the typical prices, so that it still gives a reference price.
 *
 * @example
 * const v = vwap({ period: 20 });
 * for (const bar of bars) v.update(bar);
 */
export class VWAP implements Indicator<VwapBar, number> {
  /** Rolling window, or 0 for a session-anchored VWAP. */
  readonly period: number;
  /** `period − 1`, or 0 when anchored. */
  readonly lookback: number;
  private readonly pv: Float64Array;
  private readonly vol: Float64Array;
  private readonly tp: Float64Array;
  private head = 0;
  private seen = 0;
  private inWindow = 0;
  private sumPv = 0;
  private sumV = 0;
  private sumTp = 0;
  private session: string | undefined = undefined;
  private out = 0;

  constructor(options: VwapOptions = {}) {
    const period = options.period ?? 0;
    if (options.period !== undefined) checkPeriod('VWAP', 'period', period);
    this.period = period;
    this.lookback = period > 0 ? period - 1 : 0;
    const size = period > 0 ? period : 1;
    this.pv = new Float64Array(size);
    this.vol = new Float64Array(size);
    this.tp = new Float64Array(size);
  }

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.seen > this.lookback;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): number | null {
    return this.seen > this.lookback ? this.out : null;
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
    return this.isReady ? this.out : Number.NaN;
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(bar: VwapBar): number | null {
    const { h, l, c } = bar;
    const v = bar.v ?? 0;
    if (h - h + (l - l) + (c - c) + (v - v) !== 0)
      rejectNonFinite('VWAP', 'bar.h, bar.l, bar.c and bar.v', h + l + c + v);
    const typical = (h + l + c) / 3;
    this.seen++;
    if (this.period === 0) {
      if (bar.sessionDate !== this.session) {
        this.session = bar.sessionDate;
        this.sumPv = 0;
        this.sumV = 0;
        this.sumTp = 0;
        this.inWindow = 0;
      }
    } else if (this.inWindow === this.period) {
      const head = this.head;
      this.sumPv -= this.pv[head] as number;
      this.sumV -= this.vol[head] as number;
      this.sumTp -= this.tp[head] as number;
      this.inWindow--;
    }
    if (this.period > 0) {
      const head = this.head;
      this.pv[head] = typical * v;
      this.vol[head] = v;
      this.tp[head] = typical;
      this.head = head + 1 === this.period ? 0 : head + 1;
    }
    this.sumPv += typical * v;
    this.sumV += v;
    this.sumTp += typical;
    this.inWindow++;
    if (this.seen <= this.lookback) return null;
    this.out = this.sumV > 0 ? this.sumPv / this.sumV : this.sumTp / this.inWindow;
    return this.out;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.head = 0;
    this.seen = 0;
    this.inWindow = 0;
    this.sumPv = 0;
    this.sumV = 0;
    this.sumTp = 0;
    this.session = undefined;
    this.out = 0;
  }
}

/** Creates a {@link VWAP}: session-anchored by default, rolling with `{ period }`. */
export function vwap(options: VwapOptions = {}): VWAP {
  return new VWAP(options);
}
