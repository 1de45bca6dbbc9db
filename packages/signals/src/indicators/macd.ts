import { ValidationError } from '@stockade/core';
import { checkPeriod, type Indicator, rejectNonFinite } from './indicator.js';

/** Options of {@link macd}. */
export interface MacdOptions {
  /** Fast EMA period. @default 12 */
  fast?: number;
  /** Slow EMA period; must exceed `fast`. @default 26 */
  slow?: number;
  /** Signal-line EMA period. @default 9 */
  signal?: number;
}

/** The three MACD lines. The object belongs to the indicator and is overwritten on every update. */
export interface MacdValue {
  /** Fast EMA minus slow EMA. */
  macd: number;
  /** EMA of the MACD line. */
  signal: number;
  /** `macd - signal`. */
  histogram: number;
}

/**
 * Moving average convergence/divergence, TA-Lib's `MACD`: lookback `slow − 1 + signal − 1`
 * (33 for 12/26/9), where all three lines begin together.
 *
 * Seeding matters. TA-Lib seeds the slow EMA with the mean of inputs `0 … slow−1` and the fast EMA
 * with the mean of the `fast` inputs ending at the same bar (`slow−fast … slow−1`, bars 14–25 for
 * 12/26), not of inputs `0 … fast−1`; the signal EMA is seeded with the mean of the first `signal`
 * MACD values. A fast EMA seeded at bar 0 differs from TA-Lib for ~120 bars.
 *
 * @example
 * const m = macd();                       // 12/26/9
 * for (const bar of bars) m.update(bar.c);
 * const { macd: line, signal, histogram } = m.value ?? { macd: 0, signal: 0, histogram: 0 };
 */
export class MACD implements Indicator<number, MacdValue> {
  /** Fast EMA period. */
  readonly fastPeriod: number;
  /** Slow EMA period. */
  readonly slowPeriod: number;
  /** Signal EMA period. */
  readonly signalPeriod: number;
  /** TA-Lib lookback: `slow − 1 + signal − 1`. */
  readonly lookback: number;
  private readonly kFast: number;
  private readonly kSlow: number;
  private readonly kSignal: number;
  private readonly fastStart: number;
  private readonly result: MacdValue = { macd: 0, signal: 0, histogram: 0 };
  private seen = 0;
  private fast = 0;
  private slow = 0;
  private signal = 0;
  private ready = false;

  constructor(options: MacdOptions = {}) {
    const fast = options.fast ?? 12;
    const slow = options.slow ?? 26;
    const signal = options.signal ?? 9;
    checkPeriod('MACD', 'fast', fast, 2);
    checkPeriod('MACD', 'slow', slow, 2);
    checkPeriod('MACD', 'signal', signal, 1);
    if (fast >= slow) {
      throw new ValidationError(`MACD: fast period (${fast}) must be shorter than slow period (${slow})`, [
        { path: 'fast', message: 'must be less than slow' },
      ]);
    }
    this.fastPeriod = fast;
    this.slowPeriod = slow;
    this.signalPeriod = signal;
    this.lookback = slow - 1 + signal - 1;
    this.kFast = 2 / (fast + 1);
    this.kSlow = 2 / (slow + 1);
    this.kSignal = 2 / (signal + 1);
    this.fastStart = slow - fast;
  }

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.ready;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): MacdValue | null {
    return this.ready ? this.result : null;
  }

  /** Inputs seen since construction or the last `reset()`. */
  get count(): number {
    return this.seen;
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(value: number): MacdValue | null {
    if (!this.ready) return this.warm(value);
    if (value - value !== 0) rejectNonFinite('MACD', 'value', value);
    this.seen++;
    const slow = (value - this.slow) * this.kSlow + this.slow;
    const fast = (value - this.fast) * this.kFast + this.fast;
    const line = fast - slow;
    const signal = (line - this.signal) * this.kSignal + this.signal;
    this.slow = slow;
    this.fast = fast;
    this.signal = signal;
    const result = this.result;
    result.macd = line;
    result.signal = signal;
    result.histogram = line - signal;
    return result;
  }

  private warm(value: number): MacdValue | null {
    if (value - value !== 0) rejectNonFinite('MACD', 'value', value);
    const seen = ++this.seen;
    const slowPeriod = this.slowPeriod;
    if (seen > slowPeriod) {
      this.slow = (value - this.slow) * this.kSlow + this.slow;
      this.fast = (value - this.fast) * this.kFast + this.fast;
    } else {
      // `slow` and `fast` hold the running sums of their seed windows: the slow one over inputs
      // 0 … slow−1, the fast one over the `fast` inputs ending at the same bar.
      this.slow += value;
      if (seen > this.fastStart) this.fast += value;
      if (seen < slowPeriod) return null;
      this.slow /= slowPeriod;
      this.fast /= this.fastPeriod;
    }
    // The signal EMA's seed: the mean of the first `signal` MACD values.
    const line = this.fast - this.slow;
    this.signal += line;
    if (seen - slowPeriod + 1 < this.signalPeriod) return null;
    this.signal /= this.signalPeriod;
    this.ready = true;
    const result = this.result;
    result.macd = line;
    result.signal = this.signal;
    result.histogram = line - this.signal;
    return result;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.seen = 0;
    this.fast = 0;
    this.slow = 0;
    this.signal = 0;
    this.ready = false;
    this.result.macd = 0;
    this.result.signal = 0;
    this.result.histogram = 0;
  }
}

/** Creates a {@link MACD} (default 12/26/9). */
export function macd(options: MacdOptions = {}): MACD {
  return new MACD(options);
}
