import { ValidationError } from '@stockade/core';

/** One source's price for the same instrument at about the same time. */
export interface PriceObservation {
  /** Who said it (a provider name). */
  source: string;
  /** The price. Non-finite or non-positive prices are rejected as `invalid`. */
  price: number;
}

/** Options of {@link priceConsensus}. */
export interface PriceConsensusOptions {
  /**
   * Reject a price further from the median than this many scaled MADs (1.4826 × MAD, which equals
   * σ for normal data). Not applied when the MAD is 0 (most sources agree exactly). @default 3
   */
  madThreshold?: number;
  /** Reject a price further from the median than this, in percent of the median. @default 2 */
  maxDeviationPct?: number;
}

/** An observation the consensus kept. */
export interface AcceptedPrice extends PriceObservation {
  /** Signed distance from the median of all valid prices, in percent of it. */
  deviationPct: number;
}

/** An observation the consensus left out, and why. */
export interface RejectedPrice extends PriceObservation {
  /** Signed distance from the median of all valid prices, in percent (NaN for `invalid`). */
  deviationPct: number;
  /** `mad`: beyond `madThreshold` scaled MADs; `max_deviation`: beyond `maxDeviationPct`; `invalid`: not a positive finite number. */
  reason: 'mad' | 'max_deviation' | 'invalid';
}

/** The agreed price and how much the sources agreed. */
export interface PriceConsensusResult {
  /** Median of the accepted prices; when none is accepted, the median of all valid prices. */
  price: number;
  /** Accepted observations / all observations, 0..1 (0 when no source could be trusted). */
  agreement: number;
  /** Spread of the accepted prices, `(max − min) / price` (0 with one source). */
  dispersion: number;
  /** Kept observations, in input order. */
  accepted: AcceptedPrice[];
  /** Left-out observations, in input order. */
  rejected: RejectedPrice[];
}

const MAD_TO_SIGMA = 1.4826;

function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  const mid = n >> 1;
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

const sortedCopy = (xs: readonly number[]) => Float64Array.from(xs).sort();

/**
 * Cross-source price consensus: the median, with outliers rejected by the median absolute deviation
 * and by a maximum distance from the median. Pure; used by the market-data manager to pick one
 * price out of several providers' quotes and to flag the provider that disagrees.
 *
 * With two sources that disagree by more than `2 × maxDeviationPct` neither can be trusted: both
 * are rejected, `agreement` is 0 and `price` is their midpoint — the caller decides (alert, fall
 * back to its preferred source).
 *
 * @throws {ValidationError} when there is no observation with a valid price, or an option is out of range.
 * @example
 * const c = priceConsensus([
 *   { source: 'yahoo', price: 187.42 },
 *   { source: 'polygon', price: 187.4 },
 *   { source: 'alphavantage', price: 191.9 }, // stale
 * ]);
 * c.price;                        // 187.41
 * c.rejected.map((r) => r.source); // ['alphavantage']
 */
export function priceConsensus(
  observations: readonly PriceObservation[],
  options: PriceConsensusOptions = {},
): PriceConsensusResult {
  const madThreshold = options.madThreshold ?? 3;
  const maxDeviationPct = options.maxDeviationPct ?? 2;
  if (!(madThreshold > 0)) {
    throw new ValidationError(`priceConsensus: madThreshold must be > 0, got ${String(madThreshold)}`, [
      { path: 'madThreshold', message: 'expected a positive number of scaled MADs, e.g. 3' },
    ]);
  }
  if (!(maxDeviationPct > 0)) {
    throw new ValidationError(`priceConsensus: maxDeviationPct must be > 0, got ${String(maxDeviationPct)}`, [
      { path: 'maxDeviationPct', message: 'expected a percentage, e.g. 2' },
    ]);
  }
  const valid = observations.filter((o) => Number.isFinite(o.price) && o.price > 0);
  if (valid.length === 0) {
    throw new ValidationError(
      `priceConsensus: no valid price among ${observations.length} observation(s) — every price must be a positive finite number`,
      [{ path: 'observations', message: 'expected at least one positive finite price' }],
    );
  }
  const center = median(sortedCopy(valid.map((o) => o.price)));
  const mad = median(sortedCopy(valid.map((o) => Math.abs(o.price - center))));
  const madLimit = madThreshold * MAD_TO_SIGMA * mad;

  const accepted: AcceptedPrice[] = [];
  const rejected: RejectedPrice[] = [];
  for (const o of observations) {
    if (!(Number.isFinite(o.price) && o.price > 0)) {
      rejected.push({ source: o.source, price: o.price, deviationPct: Number.NaN, reason: 'invalid' });
      continue;
    }
    const distance = Math.abs(o.price - center);
    const deviationPct = ((o.price - center) / center) * 100;
    if (mad > 0 && distance > madLimit)
      rejected.push({ source: o.source, price: o.price, deviationPct, reason: 'mad' });
    else if (Math.abs(deviationPct) > maxDeviationPct) {
      rejected.push({ source: o.source, price: o.price, deviationPct, reason: 'max_deviation' });
    } else accepted.push({ source: o.source, price: o.price, deviationPct });
  }

  if (accepted.length === 0) {
    return { price: center, agreement: 0, dispersion: 0, accepted, rejected };
  }
  const kept = sortedCopy(accepted.map((a) => a.price));
  const price = median(kept);
  const dispersion = ((kept[kept.length - 1] as number) - (kept[0] as number)) / price;
  return { price, agreement: accepted.length / observations.length, dispersion, accepted, rejected };
}
