import { checkPeriod, type HighLowClose, type Indicator, rejectNonFinite } from './indicator.js';
import { RollingExtreme } from './rolling-extreme.js';

/** The Donchian channel. The object belongs to the indicator and is overwritten on every update. */
export interface DonchianValue {
  /** Highest high of the window. */
  upper: number;
  /** Lowest low of the window. */
  lower: number;
  /** Midpoint of the two. */
  middle: number;
}

/**
 * Donchian channel: the highest high and lowest low of the last `period` bars, the current bar
 * included (lookback `period − 1`), in amortized O(1) with monotonic deques. A breakout rule compares
 * a bar with the channel as it stood before that bar: read `value` before calling `update()`.
 *
 * @example
 * const dc = donchian(20);
 * for (const bar of bars) dc.update(bar);
 */
export class DonchianChannel implements Indicator<Pick<HighLowClose, 'h' | 'l'>, DonchianValue> {
  /** Window length. */
  readonly period: number;
  /** `period − 1`. */
  readonly lookback: number;
  private readonly highest: RollingExtreme;
  private readonly lowest: RollingExtreme;
  private readonly result: DonchianValue = { upper: 0, lower: 0, middle: 0 };
  private seen = 0;

  constructor(period = 20) {
    checkPeriod('Donchian', 'period', period);
    this.period = period;
    this.lookback = period - 1;
    this.highest = new RollingExtreme(period, 'max');
    this.lowest = new RollingExtreme(period, 'min');
  }

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.seen >= this.period;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): DonchianValue | null {
    return this.seen >= this.period ? this.result : null;
  }

  /** Inputs seen since construction or the last `reset()`. */
  get count(): number {
    return this.seen;
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(bar: Pick<HighLowClose, 'h' | 'l'>): DonchianValue | null {
    const { h, l } = bar;
    if (h - h + (l - l) !== 0) rejectNonFinite('Donchian', 'bar.h and bar.l', h + l);
    this.highest.push(h);
    this.lowest.push(l);
    if (++this.seen < this.period) return null;
    const result = this.result;
    result.upper = this.highest.value;
    result.lower = this.lowest.value;
    result.middle = (result.upper + result.lower) / 2;
    return result;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.highest.reset();
    this.lowest.reset();
    this.seen = 0;
  }
}

/** Creates a {@link DonchianChannel} of `period` bars (default 20). */
export function donchian(period = 20): DonchianChannel {
  return new DonchianChannel(period);
}
