/**
 * Mean and population variance of the last `period` values, updated in O(1) with Welford's
 * recurrence for a sliding window (add the new value and remove the oldest in one step). Unlike
 * raw sums of x and x², it does not lose every significant digit when the variance is small next
 * to the mean (prices near 10 000 moving by cents).
 *
 * A building block for {@link BollingerBands} and {@link ZScore}; not an indicator on its own.
 */
export class RollingMoments {
  /** Window length. */
  readonly period: number;
  private readonly ring: Float64Array;
  private head = 0;
  private seen = 0;
  private m = 0;
  private m2 = 0;
  private full = false;

  constructor(period: number) {
    this.period = period;
    this.ring = new Float64Array(period);
  }

  /** Values seen since the last reset. */
  get count(): number {
    return this.seen;
  }

  /** Whether the window is full. */
  get isFull(): boolean {
    return this.full;
  }

  /** Mean of the values in the window. */
  get mean(): number {
    return this.m;
  }

  /** Population variance of the values in the window (never negative). */
  get variance(): number {
    const n = Math.min(this.seen, this.period);
    const v = n > 0 ? this.m2 / n : 0;
    return Math.max(v, 0);
  }

  /** Adds `value`, dropping the oldest once the window is full. */
  push(value: number): void {
    const ring = this.ring;
    const head = this.head;
    if (this.full) {
      const oldest = ring[head] as number;
      const previousMean = this.m;
      const delta = value - oldest;
      const mean = previousMean + delta / this.period;
      this.m = mean;
      this.m2 += delta * (value - mean + oldest - previousMean);
    } else {
      const n = this.seen + 1;
      const delta = value - this.m;
      this.m += delta / n;
      this.m2 += delta * (value - this.m);
      if (n === this.period) this.full = true;
    }
    ring[head] = value;
    this.head = head + 1 === this.period ? 0 : head + 1;
    this.seen++;
  }

  /** Empties the window. */
  reset(): void {
    this.head = 0;
    this.seen = 0;
    this.m = 0;
    this.m2 = 0;
    this.full = false;
  }
}
