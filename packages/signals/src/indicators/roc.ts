import { LaggedChange } from './lagged-change.js';

/**
 * Rate of change in percent, TA-Lib's `ROC`: `(value / value[period bars ago] − 1) × 100`, and 0
 * when the past value is 0 (as TA-Lib). Lookback `period`.
 *
 * @example
 * const roc10 = rateOfChange(10);
 * for (const bar of bars) roc10.update(bar.c); // 2.5 means +2.5 %
 */
export class RateOfChange extends LaggedChange {
  constructor(period = 10) {
    super('RateOfChange', period);
  }

  protected combine(value: number, past: number): number {
    return past !== 0 ? (value / past - 1) * 100 : 0;
  }
}

/** Creates a {@link RateOfChange} over `period` bars (default 10). */
export function rateOfChange(period = 10): RateOfChange {
  return new RateOfChange(period);
}
