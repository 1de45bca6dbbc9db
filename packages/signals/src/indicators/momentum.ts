import { LaggedChange } from './lagged-change.js';

/**
 * Momentum, TA-Lib's `MOM`: `value − value[period bars ago]`, lookback `period`.
 *
 * @example
 * const mom10 = momentum(10);
 * for (const bar of bars) mom10.update(bar.c);
 */
export class Momentum extends LaggedChange {
  constructor(period = 10) {
    super('Momentum', period);
  }

  protected combine(value: number, past: number): number {
    return value - past;
  }
}

/** Creates a {@link Momentum} over `period` bars (default 10). */
export function momentum(period = 10): Momentum {
  return new Momentum(period);
}
