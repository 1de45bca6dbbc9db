/**
 * The highest (or lowest) of the last `period` values, in amortized O(1) per push with a monotonic
 * deque kept in preallocated typed arrays (no allocation). The building block of the stochastic
 * oscillator and the Donchian channel.
 */
export class RollingExtreme {
  /** Window length. */
  readonly period: number;
  private readonly values: Float64Array;
  private readonly ticks: Float64Array;
  private readonly sign: number;
  private first = 0;
  private size = 0;
  private tick = 0;

  /** `kind` `'max'` tracks the highest value of the window, `'min'` the lowest. */
  constructor(period: number, kind: 'max' | 'min') {
    this.period = period;
    this.values = new Float64Array(period);
    this.ticks = new Float64Array(period);
    // Store values negated for 'min' so one comparison serves both kinds.
    this.sign = kind === 'max' ? 1 : -1;
  }

  /** The extreme of the window (0 before the first push). */
  get value(): number {
    return this.size === 0 ? 0 : this.sign * (this.values[this.first] as number);
  }

  /** Adds `value`, dropping whatever left the window. */
  push(raw: number): void {
    const period = this.period;
    const values = this.values;
    const ticks = this.ticks;
    const value = this.sign * raw;
    const tick = this.tick++;
    // Drop the front if it has left the window.
    if (this.size > 0 && (ticks[this.first] as number) <= tick - period) {
      this.first = this.first + 1 === period ? 0 : this.first + 1;
      this.size--;
    }
    // Pop from the back every value the new one dominates.
    while (this.size > 0) {
      let back = this.first + this.size - 1;
      if (back >= period) back -= period;
      if ((values[back] as number) > value) break;
      this.size--;
    }
    let slot = this.first + this.size;
    if (slot >= period) slot -= period;
    values[slot] = value;
    ticks[slot] = tick;
    this.size++;
  }

  /** Empties the window. */
  reset(): void {
    this.first = 0;
    this.size = 0;
    this.tick = 0;
  }
}
