import { checkPeriod, type Indicator, rejectNonFinite } from './indicator.js';
import { RollingMoments } from './rolling-moments.js';

/**
 * Rolling z-score: how many population standard deviations the latest value sits from the mean of
 * the last `period` values (itself included). Lookback `period − 1`; 0 while the window is flat.
 * Mean and deviation are kept in O(1) with a sliding-window Welford recurrence.
 *
 * @example
 * const z = zScore(20);
 * for (const bar of bars) z.update(bar.c); // −2 means two deviations below the 20-bar mean
 */
export class ZScore implements Indicator<number, number> {
  /** Window length. */
  readonly period: number;
  /** `period − 1`. */
  readonly lookback: number;
  private readonly moments: RollingMoments;
  private out = 0;

  constructor(period = 20) {
    checkPeriod('ZScore', 'period', period, 2);
    this.period = period;
    this.lookback = period - 1;
    this.moments = new RollingMoments(period);
  }

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.moments.isFull;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): number | null {
    return this.moments.isFull ? this.out : null;
  }

  /** Inputs seen since construction or the last `reset()`. */
  get count(): number {
    return this.moments.count;
  }

  /**
   * The latest value as a plain number, `NaN` before {@link isReady}. Reading it never allocates:
   * V8 may box the `number | null` that `update()` and `value` return, so hot loops should call
   * `update()` and read `current`.
   */
  get current(): number {
    return this.isReady ? this.out : Number.NaN;
  }

  /** Mean of the window. */
  get mean(): number {
    return this.moments.mean;
  }

  /** Population standard deviation of the window. */
  get sd(): number {
    return Math.sqrt(this.moments.variance);
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(value: number): number | null {
    if (value - value !== 0) rejectNonFinite('ZScore', 'value', value);
    const moments = this.moments;
    moments.push(value);
    if (!moments.isFull) return null;
    const sd = Math.sqrt(moments.variance);
    const mean = moments.mean;
    // A flat window leaves a rounding residue in the variance, not a real spread: call it flat.
    this.out = sd > 1e-10 * Math.abs(mean) && sd > 0 ? (value - mean) / sd : 0;
    return this.out;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.moments.reset();
    this.out = 0;
  }
}

/** Creates a {@link ZScore} over `period` values (default 20). */
export function zScore(period = 20): ZScore {
  return new ZScore(period);
}
