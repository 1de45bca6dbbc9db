import type { MinuteState, PricePath } from './price-path.js';
import type { TradingSession } from './sessions.js';

const MINUTE_MS = 60_000;

/** An OHLCV bar built from the minute path, before any provider's noise or rounding. */
export interface SimBar {
  /** Start of the bar, epoch ms. */
  t: number;
  /** First price. */
  o: number;
  /** Highest price. */
  h: number;
  /** Lowest price. */
  l: number;
  /** Last price. */
  c: number;
  /** Volume in shares or coins. */
  v: number;
  /** Volume-weighted average price. */
  vw: number;
  /** Number of trades. */
  n: number;
  /** Whether the bar is still forming at the view's "now". */
  partial: boolean;
}

/** Average trade size of an instrument, so that a bar can say how many trades made it. */
function tradeSizeOf(path: PricePath): number {
  return path.profile.assetClass === 'crypto' ? Math.max(path.profile.dailyVolume / 200_000, 1e-6) : 100;
}

/**
 * Aggregates the minutes of `[from, to)` that pass `include`, stopping at `now` (the minute that
 * contains `now` ends at the price of `now`). Returns null when no minute qualifies.
 */
export function aggregate(
  path: PricePath,
  from: number,
  to: number,
  include: (state: MinuteState) => boolean,
  now: number,
  transient = false,
): SimBar | null {
  let o = 0;
  let h = -Infinity;
  let l = Infinity;
  let c = 0;
  let v = 0;
  let pv = 0;
  let any = false;
  let partial = false;
  const end = Math.min(to, now);
  path.forEachMinute(
    from,
    end,
    (t, mo, mh, ml, mc, mv, state) => {
      if (!include(state)) return;
      if (t + MINUTE_MS > now) {
        // The minute in progress: its close is the price now, its volume what has traded so far.
        const fraction = (now - t) / MINUTE_MS;
        mc = path.priceAt(now);
        mh = Math.max(mo, mc);
        ml = Math.min(mo, mc);
        mv *= fraction;
        partial = true;
      }
      if (!any) o = mo;
      any = true;
      if (mh > h) h = mh;
      if (ml < l) l = ml;
      c = mc;
      v += mv;
      pv += mv * ((mh + ml + mc) / 3);
    },
    transient,
  );
  if (!any) return null;
  const n = v > 0 ? Math.max(1, Math.round(v / tradeSizeOf(path))) : 0;
  return { t: from, o, h, l, c, v, vw: v > 0 ? pv / v : (h + l + c) / 3, n, partial: partial || end < to };
}

/** Which minutes count: the regular session only, or extended hours too. */
export function sessionFilter(extended: boolean): (state: MinuteState) => boolean {
  return extended ? (s) => s !== 0 : (s) => s === 2;
}

/**
 * Intraday bars of `intervalMs` in `[from, to)`, buckets aligned on `align` (an instant every
 * bucket boundary is a whole number of intervals away from), skipping buckets with no trading.
 */
export function intradayBars(
  path: PricePath,
  opts: {
    from: number;
    to: number;
    intervalMs: number;
    align: (session: TradingSession) => number;
    extended: boolean;
    now: number;
    /** Stop after this many bars. @default Infinity */
    maxBars?: number;
  },
): SimBar[] {
  const { intervalMs, now } = opts;
  const maxBars = opts.maxBars ?? Number.POSITIVE_INFINITY;
  const include = sessionFilter(opts.extended);
  const out: SimBar[] = [];
  const end = Math.min(opts.to, now);
  for (const session of path.schedule.between(opts.from, end)) {
    // Walk only the trading sessions, not the nights and weekends between them.
    const align = opts.align(session);
    const sFrom = Math.max(opts.from, opts.extended ? session.preOpen : session.open);
    const sTo = Math.min(end, opts.extended ? session.postClose : session.close);
    let b = align + Math.floor((sFrom - align) / intervalMs) * intervalMs;
    if (b < opts.from) b += intervalMs;
    for (; b < sTo; b += intervalMs) {
      if (out.length > 0 && (out[out.length - 1] as SimBar).t >= b) continue;
      const bar = aggregate(path, b, b + intervalMs, include, now);
      if (bar !== null) out.push(bar);
      if (out.length >= maxBars) return out;
    }
  }
  return out;
}

const dailyCache = new WeakMap<PricePath, Map<string, SimBar>>();

/**
 * The regular-session bar of a trading session, `t` set to `stamp` (the session's midnight or open,
 * as the provider labels its days). Complete sessions are cached.
 */
export function sessionBar(
  path: PricePath,
  session: TradingSession,
  now: number,
  stamp: 'midnight' | 'open',
): SimBar | null {
  if (session.open >= now || session.close <= path.startsAt) return null;
  const complete = session.close <= now;
  let cache = dailyCache.get(path);
  if (cache === undefined) {
    cache = new Map();
    dailyCache.set(path, cache);
  }
  let bar = complete ? cache.get(session.date) : undefined;
  if (bar === undefined) {
    const made = aggregate(path, session.open, session.close, sessionFilter(false), now, complete);
    if (made === null) return null;
    bar = made;
    if (complete) {
      if (cache.size > 40_000) cache.clear();
      cache.set(session.date, bar);
    }
  }
  return { ...bar, t: session[stamp] };
}

/** Daily bars of the sessions that open in `[from, to)`, oldest first. */
export function dailyBars(
  path: PricePath,
  from: number,
  to: number,
  now: number,
  stamp: 'midnight' | 'open',
): SimBar[] {
  const out: SimBar[] = [];
  for (const s of path.schedule.between(from, Math.min(to, now))) {
    const t = s[stamp];
    if (t < from || t >= to) continue;
    const bar = sessionBar(path, s, now, stamp);
    if (bar !== null) out.push(bar);
  }
  return out;
}

/** Merges consecutive bars into one (open of the first, close of the last). */
export function mergeBars(bars: readonly SimBar[], t: number): SimBar {
  const first = bars[0] as SimBar;
  let h = -Infinity;
  let l = Infinity;
  let v = 0;
  let pv = 0;
  let n = 0;
  for (const b of bars) {
    h = Math.max(h, b.h);
    l = Math.min(l, b.l);
    v += b.v;
    pv += b.v * b.vw;
    n += b.n;
  }
  const last = bars[bars.length - 1] as SimBar;
  return { t, o: first.o, h, l, c: last.c, v, vw: v > 0 ? pv / v : last.c, n, partial: last.partial };
}

/** Groups daily bars into buckets keyed by `bucketOf(bar)`, each stamped with its key's instant. */
export function groupBars(bars: readonly SimBar[], bucketOf: (bar: SimBar) => number): SimBar[] {
  const out: SimBar[] = [];
  let current: SimBar[] = [];
  let key = Number.NaN;
  for (const bar of bars) {
    const k = bucketOf(bar);
    if (k !== key && current.length > 0) {
      out.push(mergeBars(current, key));
      current = [];
    }
    key = k;
    current.push(bar);
  }
  if (current.length > 0) out.push(mergeBars(current, key));
  return out;
}
