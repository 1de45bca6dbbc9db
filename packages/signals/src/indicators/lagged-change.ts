import { checkPeriod, type Indicator, rejectNonFinite } from './indicator.js';

/**
 * The shared machinery of indicators that compare each input with the input `period` bars ago
 * ({@link Momentum}, {@link RateOfChange}): a preallocated ring, lookback `period`, no allocation
 * per update. Subclasses say how the two values combine.
 */
export abstract class LaggedChange implements Indicator<number, number> {
  /** Distance in bars. */
  readonly period: number;
  /** TA-Lib lookback: `period`. */
  readonly lookback: number;
  private readonly ring: Float64Array;
  private head = 0;
  private seen = 0;
  private out = 0;
  private ready = false;

  constructor(
    private readonly indicatorName: string,
    period: number,
  ) {
    checkPeriod(indicatorName, 'period', period);
    this.period = period;
    this.lookback = period;
    this.ring = new Float64Array(period);
  }

  /** The output from the newest input and the one `period` bars before it. */
  protected abstract combine(value: number, past: number): number;

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The current value, or `null` before `isReady`. */
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
    if (value - value !== 0) rejectNonFinite(this.indicatorName, 'value', value);
    const head = this.head;
    const past = this.ring[head] as number;
    this.ring[head] = value;
    this.head = head + 1 === this.period ? 0 : head + 1;
    this.seen++;
    if (!this.ready) {
      if (this.seen <= this.period) return null;
      this.ready = true;
    }
    this.out = this.combine(value, past);
    return this.out;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.head = 0;
    this.seen = 0;
    this.out = 0;
    this.ready = false;
  }
}
