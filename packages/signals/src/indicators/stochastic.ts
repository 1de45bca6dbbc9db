import { checkPeriod, type HighLowClose, type Indicator, rejectNonFinite } from './indicator.js';
import { RollingExtreme } from './rolling-extreme.js';
import { SMA } from './sma.js';

/** Options of {@link stochasticFast}. */
export interface StochasticFastOptions {
  /** Window of the highest high and lowest low (%K). @default 14 */
  kPeriod?: number;
  /** Simple moving average of %K that gives %D. @default 3 */
  dPeriod?: number;
}

/** Options of {@link stochasticSlow}. */
export interface StochasticSlowOptions {
  /** Window of the highest high and lowest low (raw %K). @default 14 */
  kPeriod?: number;
  /** Simple moving average of raw %K that gives slow %K. @default 3 */
  kSlowing?: number;
  /** Simple moving average of slow %K that gives slow %D. @default 3 */
  dPeriod?: number;
}

/** %K and %D. The object belongs to the indicator and is overwritten on every update. */
export interface StochasticValue {
  /** %K, 0..100. */
  k: number;
  /** %D, 0..100. */
  d: number;
}

/**
 * Raw %K: where the close sits in the range of the last `kPeriod` bars, 0..100, computed as TA-Lib
 * does (`(close − low) / ((high − low) / 100)`, and 0 when the range is empty).
 */
class RawK {
  readonly highest: RollingExtreme;
  readonly lowest: RollingExtreme;

  constructor(kPeriod: number) {
    this.highest = new RollingExtreme(kPeriod, 'max');
    this.lowest = new RollingExtreme(kPeriod, 'min');
  }

  push(bar: HighLowClose): number {
    const { h, l, c } = bar;
    if (h - h + (l - l) + (c - c) !== 0) rejectNonFinite('Stochastic', 'bar.h, bar.l and bar.c', h + l + c);
    this.highest.push(h);
    this.lowest.push(l);
    const lowest = this.lowest.value;
    const range = (this.highest.value - lowest) / 100;
    return range !== 0 ? (c - lowest) / range : 0;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.highest.reset();
    this.lowest.reset();
  }
}

/**
 * Fast stochastic, TA-Lib's `STOCHF` with an SMA %D: %K is the raw %K, %D its `dPeriod` SMA.
 * Lookback `kPeriod − 1 + dPeriod − 1` (15 for 14/3).
 *
 * @example
 * const st = stochasticFast({ kPeriod: 14, dPeriod: 3 });
 * for (const bar of bars) st.update(bar);
 */
export class StochasticFast implements Indicator<HighLowClose, StochasticValue> {
  /** %K window. */
  readonly kPeriod: number;
  /** %D smoothing. */
  readonly dPeriod: number;
  /** TA-Lib lookback: `kPeriod − 1 + dPeriod − 1`. */
  readonly lookback: number;
  private readonly rawK: RawK;
  private readonly d: SMA;
  private readonly result: StochasticValue = { k: 0, d: 0 };
  private seen = 0;

  constructor(options: StochasticFastOptions = {}) {
    const kPeriod = options.kPeriod ?? 14;
    const dPeriod = options.dPeriod ?? 3;
    checkPeriod('Stochastic', 'kPeriod', kPeriod);
    checkPeriod('Stochastic', 'dPeriod', dPeriod);
    this.kPeriod = kPeriod;
    this.dPeriod = dPeriod;
    this.lookback = kPeriod - 1 + dPeriod - 1;
    this.rawK = new RawK(kPeriod);
    this.d = new SMA(dPeriod);
  }

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.seen > this.lookback;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): StochasticValue | null {
    return this.seen > this.lookback ? this.result : null;
  }

  /** Inputs seen since construction or the last `reset()`. */
  get count(): number {
    return this.seen;
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(bar: HighLowClose): StochasticValue | null {
    const k = this.rawK.push(bar);
    this.seen++;
    if (this.seen < this.kPeriod) return null;
    const d = this.d.update(k);
    if (d === null) return null;
    this.result.k = k;
    this.result.d = d;
    return this.result;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.rawK.reset();
    this.d.reset();
    this.seen = 0;
  }
}

/**
 * Slow stochastic, TA-Lib's `STOCH` with SMA smoothing (its default): slow %K is the `kSlowing` SMA
 * of raw %K, slow %D the `dPeriod` SMA of slow %K. Lookback
 * `kPeriod − 1 + kSlowing − 1 + dPeriod − 1` (17 for 14/3/3).
 *
 * @example
 * const st = stochasticSlow({ kPeriod: 14, kSlowing: 3, dPeriod: 3 });
 * for (const bar of bars) st.update(bar);
 */
export class StochasticSlow implements Indicator<HighLowClose, StochasticValue> {
  /** Raw %K window. */
  readonly kPeriod: number;
  /** Slow %K smoothing. */
  readonly kSlowing: number;
  /** Slow %D smoothing. */
  readonly dPeriod: number;
  /** TA-Lib lookback: `kPeriod − 1 + kSlowing − 1 + dPeriod − 1`. */
  readonly lookback: number;
  private readonly rawK: RawK;
  private readonly slowK: SMA;
  private readonly slowD: SMA;
  private readonly result: StochasticValue = { k: 0, d: 0 };
  private seen = 0;

  constructor(options: StochasticSlowOptions = {}) {
    const kPeriod = options.kPeriod ?? 14;
    const kSlowing = options.kSlowing ?? 3;
    const dPeriod = options.dPeriod ?? 3;
    checkPeriod('Stochastic', 'kPeriod', kPeriod);
    checkPeriod('Stochastic', 'kSlowing', kSlowing);
    checkPeriod('Stochastic', 'dPeriod', dPeriod);
    this.kPeriod = kPeriod;
    this.kSlowing = kSlowing;
    this.dPeriod = dPeriod;
    this.lookback = kPeriod - 1 + kSlowing - 1 + dPeriod - 1;
    this.rawK = new RawK(kPeriod);
    this.slowK = new SMA(kSlowing);
    this.slowD = new SMA(dPeriod);
  }

  /** Whether the last update produced a value. */
  get isReady(): boolean {
    return this.seen > this.lookback;
  }

  /** The current value (multi-output indicators: their reused result object), or `null` before `isReady`. */
  get value(): StochasticValue | null {
    return this.seen > this.lookback ? this.result : null;
  }

  /** Inputs seen since construction or the last `reset()`. */
  get count(): number {
    return this.seen;
  }

  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(bar: HighLowClose): StochasticValue | null {
    const raw = this.rawK.push(bar);
    this.seen++;
    if (this.seen < this.kPeriod) return null;
    const k = this.slowK.update(raw);
    if (k === null) return null;
    const d = this.slowD.update(k);
    if (d === null) return null;
    this.result.k = k;
    this.result.d = d;
    return this.result;
  }

  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void {
    this.rawK.reset();
    this.slowK.reset();
    this.slowD.reset();
    this.seen = 0;
  }
}

/** Creates a {@link StochasticFast} (default 14/3). */
export function stochasticFast(options: StochasticFastOptions = {}): StochasticFast {
  return new StochasticFast(options);
}

/** Creates a {@link StochasticSlow} (default 14/3/3). */
export function stochasticSlow(options: StochasticSlowOptions = {}): StochasticSlow {
  return new StochasticSlow(options);
}
