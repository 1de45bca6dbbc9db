import { checkPeriod, checkPositive, type Indicator, rejectNonFinite } from './indicator.js';

/** Options of {@link bollinger}. */
export interface BollingerOptions {
  /** Window of the middle band (a simple moving average). @default 20 */
  period?: number;
  /** Band width in population standard deviations. @default 2 */
  stdDev?: number;
}

/** Bollinger bands. The object belongs to the indicator and is overwritten on every update. */
export interface BollingerValue {
  /** `middle + stdDev × σ`. */
  upper: number;
  /** Simple moving average of the window. */
  middle: number;
  /** `middle − stdDev × σ`. */
  lower: number;
  /** σ: the population standard deviation of the window. */
  sd: number;
}

/**
 * Bollinger bands, TA-Lib's `BBANDS` with an SMA middle band and the population standard deviation;
 * lookback `period − 1`. The deviation is kept in O(1) with a sliding-window Welford recurrence
 * (see {@link RollingMoments}), not with raw sums of squares, which lose every digit when the
 * deviation is small next to the price.
 *
 * @example
 * const bb = bollinger({ period: 20, stdDev: 2 });
 * for (const bar of bars) bb.update(bar.c);
 * if (bb.value && price < bb.value.lower) console.log('below the lower band');
 */
export class BollingerBands implements Indicator<number, BollingerValue> {
  /** Window length. */
  readonly period: number;
  /** Band width in standard deviations. */
  readonly stdDev: number;
  /** TA-Lib lookback: `period − 1`. */
  readonly lookback: number;
  private readonly ring: Float64Array;
  private readonly result: BollingerValue = { upper: 0, middle: 0, lower: 0, sd: 0 };
  private head = 0;
  private seen = 0;
  private mean = 0;
  private m2 = 0;
  private ready = false;

  constructor(options: BollingerOptions = {}) {
    const period = options.period ?? 20;
    const stdDev = options.stdDev ?? 2;
    checkPeriod('Bollinger', 'period', period, 2);
    checkPositive('Bollinger', 'stdDev', stdDev);
    this.period = period;
    this.stdDev = stdDev;
    this.lookback = period - 1;
    this.ring = new Float64Array(period);
  }

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): BollingerValue | null {
    return this.ready ? this.result : null;
  }

  /** Inputs seen since construction or the last `reset()`. */
  get count(): number {
    return this.seen;
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(value: number): BollingerValue | null {
    if (!this.ready) return this.warm(value);
    if (value - value !== 0) rejectNonFinite('Bollinger', 'value', value);
    this.seen++;
    const period = this.period;
    const ring = this.ring;
    const head = this.head;
    const oldest = ring[head] as number;
    ring[head] = value;
    this.head = head + 1 === period ? 0 : head + 1;
    // Welford's update for a sliding window: add the new value and drop the oldest in one step
    // (the same recurrence as RollingMoments, inlined: this is the hot path).
    const previousMean = this.mean;
    const delta = value - oldest;
    const mean = previousMean + delta / period;
    const m2 = this.m2 + delta * (value - mean + oldest - previousMean);
    this.mean = mean;
    this.m2 = m2;
    // Inlined (not a call to bands()): a call that is not inlined would box its number arguments.
    const sd = m2 > 0 ? Math.sqrt(m2 / period) : 0;
    const width = this.stdDev * sd;
    const result = this.result;
    result.middle = mean;
    result.sd = sd;
    result.upper = mean + width;
    result.lower = mean - width;
    return result;
  }

  private warm(value: number): BollingerValue | null {
    if (value - value !== 0) rejectNonFinite('Bollinger', 'value', value);
    const n = ++this.seen;
    const period = this.period;
    this.ring[this.head] = value;
    this.head = this.head + 1 === period ? 0 : this.head + 1;
    const delta = value - this.mean;
    this.mean += delta / n;
    this.m2 += delta * (value - this.mean);
    if (n < period) return null;
    this.ready = true;
    return this.bands(this.mean, this.m2);
  }

  private bands(mean: number, m2: number): BollingerValue {
    // Rounding can leave a flat window's M2 a hair below zero: that is a zero deviation.
    const sd = m2 > 0 ? Math.sqrt(m2 / this.period) : 0;
    const width = this.stdDev * sd;
    const result = this.result;
    result.middle = mean;
    result.sd = sd;
    result.upper = mean + width;
    result.lower = mean - width;
    return result;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.head = 0;
    this.seen = 0;
    this.mean = 0;
    this.m2 = 0;
    this.ready = false;
  }
}

/** Creates {@link BollingerBands} (default 20 periods, 2 standard deviations). */
export function bollinger(options: BollingerOptions = {}): BollingerBands {
  return new BollingerBands(options);
}
