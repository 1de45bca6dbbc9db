/** A confidence interval for a proportion. */
export interface Interval {
  /** Lower bound, 0..1. */
  low: number;
  /** Upper bound, 0..1. */
  high: number;
}

/**
 * Wilson score interval for `hits` successes in `n` trials at `z` standard errors (1.96 ≈ 95 %).
 * Unlike the normal approximation it stays inside [0, 1] and behaves with few trials, which is when
 * a hit rate is most often over-read. With no trials it is the whole of [0, 1].
 */
export function wilsonInterval(hits: number, n: number, z = 1.96): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = hits / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const center = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: Math.max(0, center - half), high: Math.min(1, center + half) };
}
