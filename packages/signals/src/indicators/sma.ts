import { checkPeriod, type Indicator, rejectNonFinite } from './indicator.js';

/**
 * Simple moving average: the mean of the last `period` values. TA-Lib `SMA`, lookback `period - 1`.
 *
 * A running sum over a preallocated ring buffer (as TA-Lib does): O(1) per update.
 *
 * @example
 * const sma20 = sma(20);
 * for (const bar of bars) sma20.update(bar.c);
 * sma20.value; // mean of the last 20 closes, or null before 20 closes
 */
export class SMA implements Indicator<number, number> {
  /** Number of values averaged. */
  readonly period: number;
  /** TA-Lib lookback: `period - 1`. */
  readonly lookback: number;
  private readonly ring: Float64Array;
  private head = 0;
  private seen = 0;
  private sum = 0;
  private out = 0;
  private ready = false;

  constructor(period = 20) {
    checkPeriod('SMA', 'period', period);
    this.period = period;
    this.lookback = period - 1;
    this.ring = new Float64Array(period);
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

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(value: number): number | null {
    if (value - value !== 0) rejectNonFinite('SMA', 'value', value);
    const ring = this.ring;
    const head = this.head;
    const period = this.period;
    this.head = head + 1 === period ? 0 : head + 1;
    this.seen++;
    if (this.ready) {
      const sum = this.sum - (ring[head] as number) + value;
      ring[head] = value;
      this.sum = sum;
      this.out = sum / period;
      return this.out;
    }
    ring[head] = value;
    this.sum += value;
    if (this.seen < period) return null;
    this.ready = true;
    this.out = this.sum / period;
    return this.out;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.head = 0;
    this.seen = 0;
    this.sum = 0;
    this.out = 0;
    this.ready = false;
  }
}

/** Creates an {@link SMA} of `period` values (default 20). */
export function sma(period = 20): SMA {
  return new SMA(period);
}
