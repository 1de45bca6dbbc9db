import { checkPeriod, type Indicator, rejectNonFinite } from './indicator.js';

/**
 * Relative strength index with Wilder smoothing, TA-Lib's classic algorithm: the first average
 * gain and loss are the simple means of the first `period` changes, then
 * `avg = (avg × (period − 1) + change) / period`. TA-Lib `RSI`, lookback `period`.
 *
 * When prices have not moved at all over the averaging window (average gain + loss is 0) the RSI is
 * 0, as in TA-Lib. (TA-Lib 0.4 also calls a sum below 1e-8 zero; this treats only an exact zero as
 * zero, so that sub-cent instruments keep a meaningful RSI.)
 *
 * @example
 * const rsi14 = rsi(14);
 * for (const bar of bars) rsi14.update(bar.c); // 0..100
 */
export class RSI implements Indicator<number, number> {
  /** Smoothing period. */
  readonly period: number;
  /** TA-Lib lookback: `period`. */
  readonly lookback: number;
  private seen = 0;
  private previous = 0;
  private avgGain = 0;
  private avgLoss = 0;
  private out = 0;
  private ready = false;

  constructor(period = 14) {
    checkPeriod('RSI', 'period', period, 2);
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

  /** Current Wilder average gain (or the running sum during warm-up). */
  get averageGain(): number {
    return this.avgGain;
  }

  /** Current Wilder average loss, positive (or the running sum during warm-up). */
  get averageLoss(): number {
    return this.avgLoss;
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(value: number): number | null {
    if (!this.ready) return this.warm(value);
    if (value - value !== 0) rejectNonFinite('RSI', 'value', value);
    this.seen++;
    const change = value - this.previous;
    this.previous = value;
    const period = this.period;
    // TA-Lib's order of operations: avg × (n − 1), add the move, divide by n.
    let gain = this.avgGain * (period - 1);
    let loss = this.avgLoss * (period - 1);
    if (change < 0) loss -= change;
    else gain += change;
    gain /= period;
    loss /= period;
    this.avgGain = gain;
    this.avgLoss = loss;
    const total = gain + loss;
    this.out = total === 0 ? 0 : 100 * (gain / total);
    return this.out;
  }

  private warm(value: number): number | null {
    if (value - value !== 0) rejectNonFinite('RSI', 'value', value);
    const seen = ++this.seen;
    const change = value - this.previous;
    this.previous = value;
    if (seen === 1) return null;
    // The first averages are simple means of the first `period` moves.
    if (change < 0) this.avgLoss -= change;
    else this.avgGain += change;
    if (seen <= this.period) return null;
    this.avgGain /= this.period;
    this.avgLoss /= this.period;
    this.ready = true;
    const total = this.avgGain + this.avgLoss;
    this.out = total === 0 ? 0 : 100 * (this.avgGain / total);
    return this.out;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.seen = 0;
    this.previous = 0;
    this.avgGain = 0;
    this.avgLoss = 0;
    this.out = 0;
    this.ready = false;
  }
}

/** Creates an {@link RSI} of `period` (default 14). */
export function rsi(period = 14): RSI {
  return new RSI(period);
}
