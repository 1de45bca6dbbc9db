/** One reliability bin: predicted probability against observed frequency. */
export interface ReliabilityBin {
  /** Lower edge of the predicted probability, inclusive. */
  from: number;
  /** Upper edge, exclusive (inclusive for the last bin). */
  to: number;
  /** Outcomes whose prediction fell in the bin. */
  count: number;
  /** Mean predicted probability of those outcomes (NaN when empty). */
  meanPredicted: number;
  /** Fraction of those outcomes that were hits (NaN when empty). */
  observedRate: number;
}

/**
 * Running calibration statistics of probability forecasts of a hit: Brier score, reliability bins
 * over [0.5, 1] and the expected calibration error. O(1) per outcome.
 *
 * A signal's confidence c (0..1) is read as the forecast probability `0.5 + c / 2` that it is
 * right: confidence 0 is a coin flip, 1 is certainty.
 */
export class Calibration {
  private readonly counts: Float64Array;
  private readonly predicted: Float64Array;
  private readonly hits: Float64Array;
  private n = 0;
  private brierSum = 0;

  /** `bins` equal-width bins over the forecast range [0.5, 1]. */
  constructor(readonly bins = 10) {
    this.counts = new Float64Array(bins);
    this.predicted = new Float64Array(bins);
    this.hits = new Float64Array(bins);
  }

  /** The forecast probability a confidence stands for. */
  static probabilityOf(confidence: number): number {
    return 0.5 + Math.min(1, Math.max(0, confidence)) / 2;
  }

  /** Adds one outcome. */
  add(confidence: number, hit: boolean): void {
    const p = Calibration.probabilityOf(confidence);
    const y = hit ? 1 : 0;
    const bin = Math.min(this.bins - 1, Math.floor(((p - 0.5) / 0.5) * this.bins));
    this.counts[bin] = (this.counts[bin] as number) + 1;
    this.predicted[bin] = (this.predicted[bin] as number) + p;
    this.hits[bin] = (this.hits[bin] as number) + y;
    this.n++;
    this.brierSum += (p - y) ** 2;
  }

  /** Mean squared error of the forecasts (0 best; 0.25 is what always saying 50 % scores). NaN with no outcome. */
  get brier(): number {
    return this.n > 0 ? this.brierSum / this.n : Number.NaN;
  }

  /** The reliability diagram's bins. */
  reliability(): ReliabilityBin[] {
    return Array.from({ length: this.bins }, (_, i) => {
      const count = this.counts[i] as number;
      return {
        from: 0.5 + (0.5 * i) / this.bins,
        to: 0.5 + (0.5 * (i + 1)) / this.bins,
        count,
        meanPredicted: count > 0 ? (this.predicted[i] as number) / count : Number.NaN,
        observedRate: count > 0 ? (this.hits[i] as number) / count : Number.NaN,
      };
    });
  }

  /** Expected calibration error: Σ (bin count / n) × |mean predicted − observed rate|. NaN with no outcome. */
  get ece(): number {
    if (this.n === 0) return Number.NaN;
    let sum = 0;
    for (let i = 0; i < this.bins; i++) {
      const count = this.counts[i] as number;
      if (count === 0) continue;
      sum += (count / this.n) * Math.abs((this.predicted[i] as number) / count - (this.hits[i] as number) / count);
    }
    return sum;
  }
}
