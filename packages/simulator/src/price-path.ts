import type { MarketCalendar } from '@stockade/core';
import { createDailyAnchors } from './daily-anchors.js';
import { activityModelOf, type MinuteState } from './minute-activity.js';
import { emptyBlock, generateBlock, type MinuteBlock } from './minute-block.js';
import { type SessionSchedule, sessionScheduleOf } from './sessions.js';
import type { SymbolProfile } from './symbol-profiles.js';

export type { MinuteState } from './minute-activity.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** The simulated history starts on 2000-01-01 (or at the listing, if later). */
export const HISTORY_START_MS = Date.UTC(2000, 0, 1);
// Mean reversion per day of the log price towards its base, strong enough that the log price's
// stationary spread is about STATIONARY_SD whatever the volatility: decades of path stay within a
// plausible band around the profile's price (half-lives from months for bitcoin to years for fx).
const MIN_REVERSION = 1 / 500;
const STATIONARY_SD = 0.22;
// Long walks generate uncached days into this one block instead of new arrays.
const TRANSIENT_BLOCK = emptyBlock();

/** Receives one minute bar; `state` says whether the minute traded. */
export type MinuteVisitor = (
  t: number,
  o: number,
  h: number,
  l: number,
  c: number,
  v: number,
  state: MinuteState,
) => void;

/**
 * The simulated price path of one instrument: a minute-resolution geometric Brownian motion with
 * mean reversion, volatility regimes that switch day to day, intraday activity that follows the
 * trading sessions (U-shaped in the regular session, quiet in extended hours, nearly still when
 * closed) and volume. Deterministic from (seed, symbol) and evaluated lazily a UTC day at a time.
 */
export interface PricePath {
  /** The instrument. */
  readonly profile: SymbolProfile;
  /** Its trading days. */
  readonly schedule: SessionSchedule;
  /** First instant the path has data for, epoch ms. */
  readonly startsAt: number;
  /** The path's price at `at` (log-linear between minute points). */
  priceAt(at: number): number;
  /** The last traded price at `at`: for instruments with sessions, frozen at the last regular close. */
  lastPriceAt(at: number): number;
  /** The instant whose price {@link lastPriceAt} reports. */
  lastTradeInstant(at: number): number;
  /**
   * Visits every minute bar that starts in `[from, to)`, in order. `transient` (for one-off walks
   * such as complete sessions whose bar is cached elsewhere) keeps uncached days out of the cache.
   */
  forEachMinute(from: number, to: number, visit: MinuteVisitor, transient?: boolean): void;
  /** The regime multiplier of the volatility on the UTC day of `at` (0.6, 1 or 2). */
  regimeAt(at: number): number;
  /** The price at 00:00 UTC of a day (days since 1970-01-01): cheap, no minute block is built. */
  midnightPrice(dayNumber: number): number;
}

/** Options of {@link createPriceModel}. */
export interface PriceModelOptions {
  /** Seed of every path. @default 1 */
  seed?: number | string;
  /** Market calendar the sessions come from. */
  calendar: MarketCalendar;
  /** How many UTC-day minute blocks to keep across all paths. @default 600 */
  maxBlocks?: number;
}

/** Builds and caches the price paths of a simulator. */
export interface PriceModel {
  /** The path of an instrument (created on first use and kept). */
  path(profile: SymbolProfile): PricePath;
}

/** Creates the price model of one simulator: every path derives from `seed` and the symbol. */
export function createPriceModel(options: PriceModelOptions): PriceModel {
  const seed = options.seed ?? 1;
  const maxBlocks = options.maxBlocks ?? 600;
  const blocks = new Map<string, MinuteBlock>();
  const paths = new Map<string, PricePath>();
  const cacheBlock = (key: string, block: MinuteBlock) => {
    if (blocks.size >= maxBlocks) {
      const oldest = blocks.keys().next().value;
      if (oldest !== undefined) blocks.delete(oldest);
    }
    blocks.set(key, block);
  };
  const lookup = (key: string): MinuteBlock | undefined => {
    const block = blocks.get(key);
    if (block !== undefined) {
      blocks.delete(key); // most recently used goes last
      blocks.set(key, block);
    }
    return block;
  };
  return {
    path(profile) {
      let p = paths.get(profile.symbol);
      if (p === undefined) {
        p = buildPath(seed, profile, sessionScheduleOf(profile.symbol, options.calendar), lookup, cacheBlock);
        paths.set(profile.symbol, p);
      }
      return p;
    },
  };
}

function buildPath(
  seed: number | string,
  profile: SymbolProfile,
  schedule: SessionSchedule,
  lookup: (key: string) => MinuteBlock | undefined,
  store: (key: string, block: MinuteBlock) => void,
): PricePath {
  const symbol = profile.symbol;
  const startsAt = Math.max(HISTORY_START_MS, profile.firstTradeDate * 1000);
  const startDay = Math.floor(startsAt / DAY_MS);
  const activity = activityModelOf(schedule);
  const daysPerYear = activity.roundTheClock ? 365 : profile.assetClass === 'fx' ? 260 : 252;
  const varPerWeight = (profile.annualVol * profile.annualVol) / (daysPerYear * activity.typicalWeight);
  const dailySd = profile.annualVol / Math.sqrt(daysPerYear);
  const days = createDailyAnchors({
    seedParts: [seed, symbol],
    startDay,
    mu: Math.log(profile.basePrice),
    reversion: Math.max(MIN_REVERSION, (dailySd * dailySd) / (2 * STATIONARY_SD * STATIONARY_SD)),
    startSd: 0.5 * STATIONARY_SD,
    // A weekend or holiday moves a stock's price little: the day's variance follows its activity.
    daySd: (day) => Math.sqrt(activity.dayWeight(day) * varPerWeight),
  });

  /** Generates a day's minutes into `into` (reused scratch), or into new arrays. */
  function generate(day: number, into: MinuteBlock = emptyBlock()): MinuteBlock {
    const input = {
      seedParts: [seed, symbol, 'minutes', day],
      day,
      from: days.anchor(day),
      to: days.anchor(day + 1),
      regime: days.regime(day),
      varPerWeight,
      dailyVolume: profile.dailyVolume,
      activity,
    };
    return generateBlock(input, into);
  }

  /**
   * The minutes of a day. Long walks (years of daily bars) pass `transient`: a day not cached is
   * then generated into one reused block instead of new arrays, which keeps the cache and the
   * garbage collector out of it.
   */
  function blockOf(day: number, transient = false): MinuteBlock {
    const key = `${symbol}|${day}`;
    let block = lookup(key);
    if (block === undefined) {
      if (transient) return generate(day, TRANSIENT_BLOCK);
      block = generate(day);
      store(key, block);
    }
    return block;
  }

  function priceAt(at: number): number {
    const t = Math.max(at, startsAt);
    const day = Math.floor(t / DAY_MS);
    const block = blockOf(day);
    const offset = (t - day * DAY_MS) / MINUTE_MS;
    const m = Math.floor(offset);
    const a = block.price[m] as number;
    const b = block.price[m + 1] as number;
    return a + (b - a) * (offset - m);
  }

  function lastTradeInstant(at: number): number {
    if (activity.roundTheClock) return at;
    const s = schedule.latest(at);
    if (s === null) return at;
    if (at >= s.open) return Math.min(at, s.close);
    return schedule.previous(s).close;
  }

  return {
    profile,
    schedule,
    startsAt,
    priceAt,
    lastTradeInstant,
    lastPriceAt: (at) => priceAt(lastTradeInstant(at)),
    regimeAt: (at) => days.regime(Math.floor(at / DAY_MS)),
    midnightPrice: (dayNumber) => Math.exp(days.anchor(dayNumber)),
    forEachMinute(from, to, visit, transient = false) {
      let t = Math.max(Math.ceil(from / MINUTE_MS), Math.ceil(startsAt / MINUTE_MS)) * MINUTE_MS;
      while (t < to) {
        const day = Math.floor(t / DAY_MS);
        const block = blockOf(day, transient);
        const dayEnd = Math.min(to, (day + 1) * DAY_MS);
        for (let m = (t - day * DAY_MS) / MINUTE_MS; t < dayEnd; m++, t += MINUTE_MS) {
          const o = block.price[m] as number;
          const c = block.price[m + 1] as number;
          const h = Math.max(o, c) * (block.hiExt[m] as number);
          const l = Math.min(o, c) * (block.loExt[m] as number);
          visit(t, o, h, l, c, block.volume[m] as number, block.state[m] as MinuteState);
        }
      }
    },
  };
}
