import { normalOf } from './normal-table.js';
import { createRandom } from './prng.js';

const REGIME_VOL = [0.6, 1, 2] as const;
const REGIME_SWITCH = 0.05;

/** The log price at each UTC midnight of a path, and the volatility regime of each day. */
export interface DailyAnchors {
  /** Log price at 00:00 UTC of `day` (days since 1970-01-01, not before the start day). */
  anchor(day: number): number;
  /** The volatility multiplier of `day`: 0.6 (calm), 1 (normal) or 2 (turbulent). */
  regime(day: number): number;
}

/** Parameters of {@link createDailyAnchors}. */
export interface DailyAnchorOptions {
  /** Seed parts of the walk (simulator seed and symbol). */
  seedParts: ReadonlyArray<string | number>;
  /** First day of the walk. */
  startDay: number;
  /** Log of the price the walk reverts to. */
  mu: number;
  /** Reversion per day towards `mu`. */
  reversion: number;
  /** Standard deviation of the first anchor around `mu`. */
  startSd: number;
  /** Standard deviation of the log move over `day` in the normal regime. */
  daySd(day: number): number;
}

/**
 * An Ornstein–Uhlenbeck walk of the log price from midnight to midnight, with a Markov chain of
 * volatility regimes (5 % chance a day of switching). One generator walks the days in order from
 * the start, so day n is the same whichever day is asked for first; arrays grow as days are asked.
 */
export function createDailyAnchors(opts: DailyAnchorOptions): DailyAnchors {
  const { startDay, mu, reversion } = opts;
  const random = createRandom(...opts.seedParts, 'days');
  let anchors = new Float64Array(4096);
  let regimes = new Uint8Array(4096);
  anchors[0] = mu + opts.startSd * normalOf(random.next());
  regimes[0] = 1;
  let known = 1;

  function ensure(day: number): void {
    const need = day - startDay + 2;
    if (need <= known) return;
    if (need > anchors.length) {
      const size = Math.max(need, anchors.length * 2);
      const a = new Float64Array(size);
      a.set(anchors);
      anchors = a;
      const r = new Uint8Array(size);
      r.set(regimes);
      regimes = r;
    }
    for (let i = known; i < need; i++) {
      const prev = anchors[i - 1] as number;
      const regime = regimes[i - 1] as 0 | 1 | 2;
      const sd = opts.daySd(startDay + i - 1) * REGIME_VOL[regime];
      anchors[i] = prev - reversion * (prev - mu) + sd * normalOf(random.next());
      const u = random.next();
      regimes[i] = u < REGIME_SWITCH ? (regime + 1 + (u < REGIME_SWITCH / 2 ? 0 : 1)) % 3 : regime;
    }
    known = need;
  }

  return {
    anchor(day) {
      const d = Math.max(day, startDay);
      ensure(d);
      return anchors[d - startDay] as number;
    },
    regime(day) {
      if (day < startDay) return 1;
      ensure(day);
      return REGIME_VOL[regimes[day - startDay] as 0 | 1 | 2];
    },
  };
}
