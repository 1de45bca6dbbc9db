import type { PricePath } from './price-path.js';

const DAY_MS = 86_400_000;

/** Slow-moving figures quote endpoints report: 52-week range, moving averages, average volume. */
export interface LongStats {
  /** Highest midnight price of the last 365 days. */
  high52: number;
  /** Lowest midnight price of the last 365 days. */
  low52: number;
  /** Price 365 days ago. */
  yearAgo: number;
  /** Mean of the last 50 trading days' prices. */
  average50: number;
  /** Mean of the last 200 trading days' prices. */
  average200: number;
  /** Average daily volume over three months. */
  volume3Month: number;
  /** Average daily volume over ten days. */
  volume10Day: number;
}

const cache = new WeakMap<PricePath, { day: number; stats: LongStats }>();

/**
 * Long-horizon statistics of a path at `now`, from its daily midnight points (cheap: no minute
 * blocks are built), cached per UTC day.
 */
export function longStats(path: PricePath, now: number): LongStats {
  const today = Math.floor(now / DAY_MS);
  const hit = cache.get(path);
  if (hit !== undefined && hit.day === today) return hit.stats;
  const firstDay = Math.floor(path.startsAt / DAY_MS);
  const prices: number[] = [];
  const regimes: number[] = [];
  for (let d = today - 365; d <= today; d++) {
    if (d < firstDay) continue;
    prices.push(path.midnightPrice(d));
    regimes.push(path.regimeAt(d * DAY_MS));
  }
  if (prices.length === 0) prices.push(path.midnightPrice(firstDay));
  // Calendar days to trading days: 50 trading days are about 70 calendar days.
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const tail = (xs: number[], n: number) => xs.slice(Math.max(0, xs.length - n));
  const volumeOver = (n: number) => path.profile.dailyVolume * mean(tail(regimes, n).map(Math.sqrt));
  const stats: LongStats = {
    high52: Math.max(...prices),
    low52: Math.min(...prices),
    yearAgo: prices[0] as number,
    average50: mean(tail(prices, 70)),
    average200: mean(tail(prices, 290)),
    volume3Month: Math.round(volumeOver(91)),
    volume10Day: Math.round(volumeOver(14)),
  };
  cache.set(path, { day: today, stats });
  return stats;
}
