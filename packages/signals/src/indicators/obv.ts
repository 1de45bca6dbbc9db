import { type HighLowCloseVolume, type Indicator, rejectNonFinite } from './indicator.js';

/**
 * On-balance volume, TA-Lib's `OBV`: starts at `+volume[0]` on the first bar (lookback 0), then adds
 * the bar's volume when the close rises, subtracts it when the close falls, and keeps it when the
 * close is unchanged. A bar without volume counts as 0.
 *
 * @example
 * const o = obv();
 * for (const bar of bars) o.update(bar); // any { c, v }
 */
export class OBV implements Indicator<Pick<HighLowCloseVolume, 'c' | 'v'>, number> {
  /** TA-Lib lookback: 0. */
  readonly lookback = 0;
  private seen = 0;
  private previousClose = 0;
  private out = 0;

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.seen > 0;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): number | null {
    return this.seen > 0 ? this.out : null;
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
  update(bar: Pick<HighLowCloseVolume, 'c' | 'v'>): number {
    const c = bar.c;
    const v = bar.v ?? 0;
    if (c - c + (v - v) !== 0) rejectNonFinite('OBV', 'bar.c and bar.v', c + v);
    if (this.seen++ === 0) this.out = v;
    else if (c > this.previousClose) this.out += v;
    else if (c < this.previousClose) this.out -= v;
    this.previousClose = c;
    return this.out;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.seen = 0;
    this.previousClose = 0;
    this.out = 0;
  }
}

/** Creates an {@link OBV}. */
export function obv(): OBV {
  return new OBV();
}
