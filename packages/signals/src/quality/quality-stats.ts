import { Calibration, type ReliabilityBin } from './calibration.js';
import { type Interval, wilsonInterval } from './wilson-interval.js';

/** The quality of one agent's (or one source's) signals, resolved so far. */
export interface QualityReport {
  /** The agent or source. */
  name: string;
  /** Signals resolved. */
  resolved: number;
  /** Signals whose price moved the way they said. */
  hits: number;
  /** `hits / resolved`, or null with none. */
  hitRate: number | null;
  /** 95 % Wilson interval of the hit rate. */
  hitRateInterval: Interval;
  /** How often the market moved that way anyway over the same horizon (see the tracker), or null. */
  baseRate: number | null;
  /** `hitRate − baseRate`, or null. */
  edge: number | null;
  /** Whether the whole Wilson interval lies above the base rate: an edge that is not luck. */
  beatsBaseRate: boolean;
  /** Mean return in the signal's direction over the horizon (0.01 = 1 %), or null. */
  meanReturn: number | null;
  /** Brier score of confidence read as hit probability (`0.5 + c / 2`); 0.25 is a coin flip. Null with none. */
  brier: number | null;
  /** Expected calibration error over the reliability bins, or null. */
  ece: number | null;
  /** Reliability diagram: predicted hit probability against observed hit rate. */
  reliability: ReliabilityBin[];
  /** Information coefficient: Spearman correlation of signed confidence with forward return, over the retained outcomes; null with under 3 or no variance. */
  ic: number | null;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** Running totals for one agent or source. O(1) per outcome; the IC is computed from retained pairs. */
export class QualityStats {
  /** Signals resolved. */
  resolved = 0;
  /** Signals that were right. */
  hits = 0;
  private returnSum = 0;
  private baseRateSum = 0;
  private readonly calibration: Calibration;

  constructor(
    readonly name: string,
    bins: number,
  ) {
    this.calibration = new Calibration(bins);
  }

  /** Adds one resolved signal. `directedReturn` is the return in the signal's direction. */
  add(confidence: number, hit: boolean, directedReturn: number, baseRate: number): void {
    this.resolved++;
    if (hit) this.hits++;
    this.returnSum += directedReturn;
    this.baseRateSum += baseRate;
    this.calibration.add(confidence, hit);
  }

  /** The report, with `ic` computed by the caller from its retained outcomes. */
  report(ic: number | null): QualityReport {
    const n = this.resolved;
    const hitRate = n > 0 ? this.hits / n : null;
    const baseRate = n > 0 ? this.baseRateSum / n : null;
    const interval = wilsonInterval(this.hits, n);
    return {
      name: this.name,
      resolved: n,
      hits: this.hits,
      hitRate,
      hitRateInterval: interval,
      baseRate,
      edge: hitRate !== null && baseRate !== null ? hitRate - baseRate : null,
      beatsBaseRate: baseRate !== null && interval.low > baseRate,
      meanReturn: n > 0 ? this.returnSum / n : null,
      brier: orNull(this.calibration.brier),
      ece: orNull(this.calibration.ece),
      reliability: this.calibration.reliability(),
      ic,
    };
  }
}

/** The last `window` outcomes of one agent, for degradation alerts: rolling hit rate and Brier score. */
export class RollingQuality {
  private readonly hitRing: Float64Array;
  private readonly brierRing: Float64Array;
  private head = 0;
  private size = 0;
  private hitSum = 0;
  private brierSum = 0;

  constructor(readonly window: number) {
    this.hitRing = new Float64Array(window);
    this.brierRing = new Float64Array(window);
  }

  /** Adds one resolved signal, dropping the oldest past the window. */
  add(confidence: number, hit: boolean): void {
    const y = hit ? 1 : 0;
    const b = (Calibration.probabilityOf(confidence) - y) ** 2;
    if (this.size === this.window) {
      this.hitSum -= this.hitRing[this.head] as number;
      this.brierSum -= this.brierRing[this.head] as number;
    } else {
      this.size++;
    }
    this.hitRing[this.head] = y;
    this.brierRing[this.head] = b;
    this.hitSum += y;
    this.brierSum += b;
    this.head = (this.head + 1) % this.window;
  }

  /** Outcomes in the window. */
  get count(): number {
    return this.size;
  }

  /** Hit rate over the window (NaN when empty). */
  get hitRate(): number {
    return this.size > 0 ? this.hitSum / this.size : Number.NaN;
  }

  /** Brier score over the window (NaN when empty). */
  get brier(): number {
    return this.size > 0 ? this.brierSum / this.size : Number.NaN;
  }
}
