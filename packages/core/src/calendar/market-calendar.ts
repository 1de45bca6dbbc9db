import { z } from 'zod';
import { type Clock, systemClock } from '../clock.js';
import { ValidationError } from '../errors/errors.js';
import {
  checkCalendarYear,
  civilDateOf,
  formatDayNumber,
  MS_PER_DAY,
  parseCivilDate,
  weekdayOf,
} from './civil-date.js';
import type { MarketSession } from './market-session.js';
import { type MarketVenue, marketVenueOf } from './market-venue.js';
import { checkInstant, newYorkDayTimeToEpoch, newYorkOffsetMs } from './new-york-time.js';
import { type EarlyClose, type MarketHoliday, nyseEarlyCloses, nyseHolidays } from './nyse-holidays.js';

/** Options of {@link createMarketCalendar}. */
export interface MarketCalendarOptions {
  /** Source of "now" for every method whose `at` is omitted. @default systemClock */
  clock?: Clock;
  /**
   * Full-day closures beyond the NYSE rules and `NYSE_SPECIAL_CLOSURES` (a newly announced day of
   * mourning, say), as `'YYYY-MM-DD'` or `{ date, name }`; weekend dates change nothing. @default []
   */
  specialClosures?: ReadonlyArray<string | MarketHoliday>;
}

/** The instants that bound a US equity trading day, epoch ms. */
export interface SessionBounds {
  /** Pre-market opens: 04:00 New York. */
  preOpen: number;
  /** Regular session opens: 09:30 New York. */
  open: number;
  /** Regular session closes: 16:00 New York, or 13:00 on an early close. */
  close: number;
  /** After-hours trading ends: 20:00 New York, or 17:00 after an early close. */
  postClose: number;
}

/**
 * Exchange hours, holidays and early closes. US equities and ETFs follow the NYSE; indices follow
 * its regular session only; crypto never closes; fx trades from Sunday 17:00 to Friday 17:00 New
 * York; listings abroad (a symbol with an exchange suffix) are `unknown`.
 *
 * Methods taking `symbolOrAssetClass` accept an asset class written exactly as `'equity'`, `'etf'`,
 * `'index'`, `'crypto'` or `'fx'` (lower case), or else any symbol `parseSymbol` accepts.
 * Intervals are half-open: at 09:30:00.000 the regular session has begun, at 16:00:00.000 it has ended.
 */
export interface MarketCalendar {
  /**
   * The session in force at `at` (default: the clock's now). Indices have no extended hours, so
   * they are `closed` outside the regular session; fx ignores exchange holidays.
   *
   * @throws {ValidationError} for an invalid symbol or a non-finite `at`.
   */
  session(symbolOrAssetClass: string, at?: number): MarketSession;
  /**
   * The first regular-session open strictly after `at`: while the market is open, that is the next
   * session's open, not the current one's. Crypto, always open, returns `at` itself; `unknown`
   * venues return `null`.
   */
  nextOpen(symbolOrAssetClass: string, at?: number): number | null;
  /**
   * The first regular-session close strictly after `at`: the end of the current session while the
   * market is open, else the end of the next session; early closes end at 13:00. Crypto never
   * closes and `unknown` venues are not modelled: both return `null`.
   */
  nextClose(symbolOrAssetClass: string, at?: number): number | null;
  /** Whether US equities trade on `date` (`YYYY-MM-DD`): a weekday that is no closure. */
  isTradingDay(date: string): boolean;
  /** Whether `date` is a weekday on which the NYSE is closed (rule holiday or special closure). */
  isHoliday(date: string): boolean;
  /** Whether the regular session ends at 13:00 on `date`. */
  isEarlyClose(date: string): boolean;
  /** Weekday closures of `year`, rules and special closures together, sorted by date. */
  holidays(year: number): readonly MarketHoliday[];
  /** Early closes of `year`, sorted by date. */
  earlyCloses(year: number): readonly EarlyClose[];
  /** The New York calendar date of `at` (default: now), `YYYY-MM-DD`. */
  sessionDate(at?: number): string;
  /** Every trading day from `fromDate` to `toDate`, both included, in order. */
  tradingDays(fromDate: string, toDate: string): string[];
  /** The session bounds of `date`, or `null` when it is not a trading day. */
  sessionBounds(date: string): Readonly<SessionBounds> | null;
}

const HolidayInput = z.union([z.string(), z.strictObject({ date: z.string(), name: z.string().min(1) })]);
const OptionsSchema = z.strictObject({
  clock: z
    .custom<Clock>((v) => typeof v === 'object' && v !== null && typeof (v as { now?: unknown }).now === 'function', {
      message: 'expected a Clock: an object with a now() method returning epoch milliseconds',
    })
    .optional(),
  specialClosures: z.array(HolidayInput).optional(),
});

function parseOptions(options: unknown): { clock: Clock; extras: MarketHoliday[] } {
  const parsed = OptionsSchema.safeParse(options ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
    const list = issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ');
    throw new ValidationError(`Invalid market calendar options: ${list}`, issues);
  }
  const extras = (parsed.data.specialClosures ?? []).map((entry, i) => {
    const item = typeof entry === 'string' ? { date: entry, name: 'Special closure' } : entry;
    parseCivilDate(item.date, `specialClosures[${i}]`);
    return Object.freeze({ date: item.date, name: item.name });
  });
  return { clock: parsed.data.clock ?? systemClock, extras };
}

interface YearTable {
  holidays: readonly MarketHoliday[];
  earlyCloses: readonly EarlyClose[];
  closed: ReadonlySet<string>;
  early: ReadonlySet<string>;
}

// Enough for decades of days; a long-running process touches one a day, so clearing is rare.
const MAX_CACHED_DAYS = 20_000;
const FX_ROLL_HOUR = 17;

/**
 * Creates a {@link MarketCalendar}. Holiday tables are built once per year and session bounds
 * once per day, then kept: `session()` is a clock read, an offset lookup and a map read.
 *
 * @throws {ValidationError} when an option is malformed (a bad date in `specialClosures`, a clock without `now()`).
 * @example
 * const calendar = createMarketCalendar();
 * calendar.session('AAPL');                                    // 'regular' on a weekday at 10:00 New York
 * calendar.session('BTC-USD');                                 // 'regular', always
 * calendar.isEarlyClose('2026-11-27');                         // true: the day after Thanksgiving
 * new Date(calendar.nextOpen('equity', Date.parse('2026-07-03T16:00:00Z')) ?? 0).toISOString();
 * // → '2026-07-06T13:30:00.000Z' (Independence Day observed Friday, so Monday 09:30 EDT)
 */
export function createMarketCalendar(options: MarketCalendarOptions = {}): MarketCalendar {
  const { clock, extras } = parseOptions(options);
  const yearTables = new Map<number, YearTable>();
  const dayBounds = new Map<number, Readonly<SessionBounds> | null>();

  function yearTable(year: number): YearTable {
    let table = yearTables.get(year);
    if (table !== undefined) return table;
    const prefix = `${year}-`;
    const byDate = new Map(nyseHolidays(year).map((h) => [h.date, h] as const));
    for (const extra of extras) {
      if (!extra.date.startsWith(prefix) || byDate.has(extra.date)) continue;
      const weekday = weekdayOf(parseCivilDate(extra.date).dayNumber);
      if (weekday !== 0 && weekday !== 6) byDate.set(extra.date, extra);
    }
    const holidays = Object.freeze([...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : 1)));
    const earlyCloses = Object.freeze(nyseEarlyCloses(year).filter((e) => !byDate.has(e.date)));
    table = { holidays, earlyCloses, closed: new Set(byDate.keys()), early: new Set(earlyCloses.map((e) => e.date)) };
    yearTables.set(year, table);
    return table;
  }

  function isTradingDayNumber(dayNumber: number): boolean {
    const date = civilDateOf(dayNumber);
    if (date.weekday === 0 || date.weekday === 6) return false;
    return !yearTable(date.year).closed.has(formatDayNumber(dayNumber));
  }

  function boundsOfDay(dayNumber: number): Readonly<SessionBounds> | null {
    const cached = dayBounds.get(dayNumber);
    if (cached !== undefined) return cached;
    let bounds: Readonly<SessionBounds> | null = null;
    if (isTradingDayNumber(dayNumber)) {
      const date = civilDateOf(dayNumber);
      const early = yearTable(date.year).early.has(formatDayNumber(dayNumber));
      bounds = Object.freeze({
        preOpen: newYorkDayTimeToEpoch(dayNumber, 4),
        open: newYorkDayTimeToEpoch(dayNumber, 9, 30),
        close: newYorkDayTimeToEpoch(dayNumber, early ? 13 : 16),
        // The exchange ends late trading at 17:00 on early-close days rather than at 20:00.
        postClose: newYorkDayTimeToEpoch(dayNumber, early ? 17 : 20),
      });
    }
    if (dayBounds.size >= MAX_CACHED_DAYS) dayBounds.clear();
    dayBounds.set(dayNumber, bounds);
    return bounds;
  }

  const instant = (at: number | undefined): number => checkInstant(at === undefined ? clock.now() : at);
  const newYorkDayOf = (at: number): number => Math.floor((at + newYorkOffsetMs(at)) / MS_PER_DAY);

  function equitySession(at: number, extendedHours: boolean): MarketSession {
    const b = boundsOfDay(newYorkDayOf(at));
    if (b === null || at < b.preOpen || at >= b.postClose) return 'closed';
    if (at >= b.open && at < b.close) return 'regular';
    return extendedHours ? (at < b.open ? 'pre' : 'post') : 'closed';
  }

  function fxOpen(at: number): boolean {
    const local = at + newYorkOffsetMs(at);
    const day = Math.floor(local / MS_PER_DAY);
    const hour = (local - day * MS_PER_DAY) / 3_600_000;
    const weekday = weekdayOf(day);
    if (weekday === 6) return false;
    if (weekday === 5) return hour < FX_ROLL_HOUR;
    if (weekday === 0) return hour >= FX_ROLL_HOUR;
    return true;
  }

  /** The first 17:00 New York on `weekday` strictly after `at`. */
  function nextFxRoll(at: number, weekday: number): number {
    const today = newYorkDayOf(at);
    const day = today + ((weekday - weekdayOf(today) + 7) % 7);
    const roll = newYorkDayTimeToEpoch(day, FX_ROLL_HOUR);
    return roll > at ? roll : newYorkDayTimeToEpoch(day + 7, FX_ROLL_HOUR);
  }

  function nextEquity(at: number, edge: 'open' | 'close'): number {
    // Terminates: rule holidays never close more than a few days in a row and extras are finite.
    for (let day = newYorkDayOf(at); ; day++) {
      const b = boundsOfDay(day);
      if (b !== null && b[edge] > at) return b[edge];
    }
  }

  function next(venue: MarketVenue, at: number, edge: 'open' | 'close'): number | null {
    switch (venue) {
      case 'crypto':
        return edge === 'open' ? at : null;
      case 'unknown':
        return null;
      case 'fx':
        return nextFxRoll(at, edge === 'open' ? 0 : 5);
      default:
        return nextEquity(at, edge);
    }
  }

  return {
    session(symbolOrAssetClass, at) {
      const venue = marketVenueOf(symbolOrAssetClass);
      const t = instant(at);
      switch (venue) {
        case 'crypto':
          return 'regular';
        case 'unknown':
          return 'unknown';
        case 'fx':
          return fxOpen(t) ? 'regular' : 'closed';
        case 'us-index':
          return equitySession(t, false);
        default:
          return equitySession(t, true);
      }
    },
    nextOpen: (symbolOrAssetClass, at) => next(marketVenueOf(symbolOrAssetClass), instant(at), 'open'),
    nextClose: (symbolOrAssetClass, at) => next(marketVenueOf(symbolOrAssetClass), instant(at), 'close'),
    isTradingDay: (date) => isTradingDayNumber(parseCivilDate(date).dayNumber),
    isHoliday(date) {
      const d = parseCivilDate(date);
      return yearTable(d.year).closed.has(date);
    },
    isEarlyClose(date) {
      const d = parseCivilDate(date);
      return yearTable(d.year).early.has(date);
    },
    holidays: (year) => yearTable(checkCalendarYear(year)).holidays,
    earlyCloses: (year) => yearTable(checkCalendarYear(year)).earlyCloses,
    sessionDate: (at) => formatDayNumber(newYorkDayOf(instant(at))),
    tradingDays(fromDate, toDate) {
      const from = parseCivilDate(fromDate, 'fromDate');
      const to = parseCivilDate(toDate, 'toDate');
      if (from.dayNumber > to.dayNumber) {
        const message = `fromDate ${fromDate} is after toDate ${toDate}; pass the earlier date first`;
        throw new ValidationError(message, [{ path: 'fromDate', message: 'expected fromDate <= toDate' }]);
      }
      const days: string[] = [];
      for (let day = from.dayNumber; day <= to.dayNumber; day++) {
        if (isTradingDayNumber(day)) days.push(formatDayNumber(day));
      }
      return days;
    },
    sessionBounds: (date) => boundsOfDay(parseCivilDate(date).dayNumber),
  };
}
