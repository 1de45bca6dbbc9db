/** Trading periods per year, by bar interval, for annualizing a Sharpe ratio. */
export const PERIODS_PER_YEAR: Readonly<Record<string, number>> = {
  '1m': 252 * 390,
  '5m': 252 * 78,
  '15m': 252 * 26,
  '30m': 252 * 13,
  '1h': 252 * 6.5,
  '1d': 252,
  '1w': 52,
  '1mo': 12,
};

/**
 * Annualized Sharpe ratio of per-bar equity returns (risk-free rate 0): mean / sample standard
 * deviation × √periodsPerYear. `null` with fewer than two returns or no variation.
 */
export function sharpeRatio(equity: readonly number[], periodsPerYear: number): number | null {
  const n = equity.length - 1;
  if (n < 2) return null;
  let sum = 0;
  const returns = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = (equity[i + 1] as number) / (equity[i] as number) - 1;
    returns[i] = r;
    sum += r;
  }
  const mean = sum / n;
  let ss = 0;
  for (const r of returns) ss += (r - mean) ** 2;
  const sd = Math.sqrt(ss / (n - 1));
  return sd > 0 ? (mean / sd) * Math.sqrt(periodsPerYear) : null;
}

/** Drawdown from the running peak at every point, as a fraction (0.2 = 20 % below the peak). */
export function drawdowns(equity: readonly number[]): number[] {
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((e) => {
    if (e > peak) peak = e;
    return peak > 0 ? (peak - e) / peak : 0;
  });
}
