import type { PricePath } from './price-path.js';
import { hashOf } from './prng.js';
import type { TradingSession } from './sessions.js';
import type { SplitEvent } from './symbol-profiles.js';

/** A cash dividend, in today's (split-adjusted) shares. */
export interface DividendEvent {
  /** Ex-dividend session. */
  session: TradingSession;
  /** Amount per share. */
  amount: number;
  /** Close of the session before the ex-date, for the adjusted-close factor. */
  previousClose: number;
}

/** A split with the session it took effect on. */
export interface SplitOnSession extends SplitEvent {
  /** Ex-date session. */
  session: TradingSession;
}

const cache = new WeakMap<PricePath, Map<number, DividendEvent[]>>();

/**
 * Dividends paid in `year`: quarterly for instruments with a yield, ex-dates on the first session
 * on or after a day of the month that a hash of the symbol picks, amounts a quarter of the yield on
 * the previous close, rounded to the cent. Only ex-dates at or before `now` exist.
 */
function dividendsOfYear(path: PricePath, year: number): DividendEvent[] {
  let byYear = cache.get(path);
  if (byYear === undefined) {
    byYear = new Map();
    cache.set(path, byYear);
  }
  const cached = byYear.get(year);
  if (cached !== undefined) return cached;
  const { profile, schedule } = path;
  const out: DividendEvent[] = [];
  if (profile.dividendYield > 0) {
    const h = hashOf(profile.symbol, 'dividend');
    const firstMonth = 1 + (h % 3);
    const dayOfMonth = 5 + ((h >>> 4) % 15);
    for (let q = 0; q < 4; q++) {
      const month = firstMonth + 3 * q;
      const target = Date.UTC(year, month - 1, dayOfMonth);
      const session = schedule.between(target, target + 10 * 86_400_000).find((s) => s.open >= target);
      if (session === undefined || session.open < path.startsAt) continue;
      const previousClose = path.priceAt(schedule.previous(session).close);
      const amount = Math.max(0.01, Math.round((profile.dividendYield / 4) * previousClose * 100) / 100);
      out.push({ session, amount, previousClose });
    }
  }
  byYear.set(year, out);
  return out;
}

/** Dividends whose ex-date session opens in `[from, to)` and no later than `now`. */
export function dividendsBetween(path: PricePath, from: number, to: number, now: number): DividendEvent[] {
  const out: DividendEvent[] = [];
  const first = new Date(Math.max(from, path.startsAt)).getUTCFullYear();
  const last = new Date(Math.min(to, now)).getUTCFullYear();
  for (let y = first; y <= last; y++) {
    for (const d of dividendsOfYear(path, y)) {
      if (d.session.open >= from && d.session.open < to && d.session.open <= now) out.push(d);
    }
  }
  return out;
}

/** Splits whose ex-date session opens in `[from, to)` and no later than `now`. */
export function splitsBetween(path: PricePath, from: number, to: number, now: number): SplitOnSession[] {
  const out: SplitOnSession[] = [];
  for (const split of path.profile.splits) {
    const session = path.schedule.onDate(split.date);
    if (session !== null && session.open >= from && session.open < to && session.open <= now) {
      out.push({ ...split, session });
    }
  }
  return out;
}

/**
 * How many of today's shares one share was at instant `t`: the product of the ratios of the
 * splits after `t`. A raw (unadjusted) price is the split-adjusted price times this.
 */
export function splitFactorAt(path: PricePath, t: number, now: number): number {
  let f = 1;
  for (const s of splitsBetween(path, t, Number.POSITIVE_INFINITY, now)) {
    // A bar of the ex-date itself (stamped at its midnight or open) already trades split.
    if (s.session.midnight > t) f *= s.numerator / s.denominator;
  }
  return f;
}

/**
 * Multipliers that turn split-adjusted closes into split-and-dividend-adjusted ones (Yahoo's
 * `adjclose`), for bars stamped `times` in ascending order.
 */
export function dividendFactors(path: PricePath, times: readonly number[], now: number): number[] {
  if (times.length === 0) return [];
  const divs = dividendsBetween(path, (times[0] as number) - 86_400_000, now + 1, now);
  return times.map((t) => {
    let f = 1;
    for (const d of divs) if (d.session.midnight > t) f *= 1 - d.amount / d.previousClose;
    return f;
  });
}
