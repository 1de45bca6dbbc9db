import { ValidationError } from '../errors/errors.js';
import {
  formatDayNumber,
  MAX_CALENDAR_YEAR,
  MIN_CALENDAR_YEAR,
  MS_PER_DAY,
  parseCivilDate,
  type Weekday,
  weekdayOf,
} from './civil-date.js';

/** The IANA time zone US exchanges keep their hours in. */
export const NEW_YORK_TIME_ZONE = 'America/New_York';

/** Earliest instant the calendar accepts: 1000-01-01T00:00:00Z. */
export const MIN_CALENDAR_INSTANT = Date.UTC(MIN_CALENDAR_YEAR, 0, 1);

/** Latest instant the calendar accepts: the last millisecond of 9999 (UTC). */
export const MAX_CALENDAR_INSTANT = Date.UTC(MAX_CALENDAR_YEAR + 1, 0, 1) - 1;

// One formatter for the process: constructing an Intl.DateTimeFormat costs far more than using one.
const wallClockFormatter = new Intl.DateTimeFormat('en-US', {
  timeZone: NEW_YORK_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: 'numeric',
  second: 'numeric',
});

/** Asks ICU for New York's UTC offset at an instant; slow, so only used to build the tables below. */
function offsetFromIntl(at: number): number {
  // tzdb offsets are whole seconds; dropping the milliseconds keeps the difference exact.
  const whole = Math.floor(at / 1000) * 1000;
  let year = 0;
  let month = 0;
  let day = 0;
  let hour = 0;
  let minute = 0;
  let second = 0;
  for (const part of wallClockFormatter.formatToParts(whole)) {
    if (part.type === 'year') year = Number(part.value);
    else if (part.type === 'month') month = Number(part.value);
    else if (part.type === 'day') day = Number(part.value);
    else if (part.type === 'hour') hour = Number(part.value);
    else if (part.type === 'minute') minute = Number(part.value);
    else if (part.type === 'second') second = Number(part.value);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) - whole;
}

/** The offsets in force during one UTC year: the one at its start, then each change. */
interface OffsetYear {
  start: number;
  end: number;
  initial: number;
  changes: Array<{ at: number; offset: number }>;
}

const offsetYears = new Map<number, OffsetYear>();
let lastOffsetYear: OffsetYear | undefined;

const WEEK = 7 * MS_PER_DAY;

function buildOffsetYear(year: number): OffsetYear {
  const start = Date.UTC(year, 0, 1);
  const end = Date.UTC(year + 1, 0, 1);
  const initial = offsetFromIntl(start);
  const changes: OffsetYear['changes'] = [];
  // New York's offset never changes twice within a week, so weekly probes find every change and a
  // bisection to the second pins it; about a hundred ICU calls per year, once per process.
  let lo = start;
  let loOffset = initial;
  while (lo < end) {
    const hi = Math.min(lo + WEEK, end);
    const hiOffset = offsetFromIntl(hi);
    if (hiOffset !== loOffset) {
      let a = lo;
      let b = hi;
      while (b - a > 1000) {
        const mid = a + Math.floor((b - a) / 2000) * 1000;
        if (offsetFromIntl(mid) === loOffset) a = mid;
        else b = mid;
      }
      if (b < end) changes.push({ at: b, offset: hiOffset });
    }
    lo = hi;
    loOffset = hiOffset;
  }
  return { start, end, initial, changes };
}

/** The offset table of the UTC year holding `at`. */
function offsetYearOf(at: number): OffsetYear {
  const last = lastOffsetYear;
  if (last !== undefined && at >= last.start && at < last.end) return last;
  const year = new Date(at).getUTCFullYear();
  let entry = offsetYears.get(year);
  if (entry === undefined) {
    entry = buildOffsetYear(year);
    offsetYears.set(year, entry);
  }
  lastOffsetYear = entry;
  return entry;
}

/**
 * New York's offset from UTC at an instant, in milliseconds (`-18_000_000` in winter, EST;
 * `-14_400_000` in summer, EDT), from the runtime's time-zone database.
 *
 * The changes of each year are found once through `Intl` and kept, so a call is a table lookup.
 */
export function newYorkOffsetMs(at: number): number {
  const year = offsetYearOf(at);
  let offset = year.initial;
  for (const change of year.changes) {
    if (at < change.at) break;
    offset = change.offset;
  }
  return offset;
}

/** Where an instant falls on New York's wall clock. */
export interface NewYorkWallClock {
  /** The New York calendar date, `YYYY-MM-DD`. */
  date: string;
  /** That date as days since 1970-01-01. */
  dayNumber: number;
  /** Day of the week, `0` = Sunday. */
  weekday: Weekday;
  /** Milliseconds since New York midnight of that date, as the wall clock reads them. */
  msOfDay: number;
  /** Offset from UTC in force, ms. */
  offsetMs: number;
}

/**
 * Checks that `at` is an epoch-millisecond instant the calendar can place.
 *
 * @throws {ValidationError} naming the value and the expected form.
 */
export function checkInstant(at: unknown, label = 'at'): number {
  if (typeof at !== 'number' || !Number.isFinite(at) || at < MIN_CALENDAR_INSTANT || at > MAX_CALENDAR_INSTANT) {
    const got = typeof at === 'number' ? String(at) : at === null ? 'null' : `a value of type ${typeof at}`;
    const message = `${label} must be an instant in epoch milliseconds between the years ${MIN_CALENDAR_YEAR} and ${MAX_CALENDAR_YEAR} (e.g. Date.now()), got ${got}`;
    throw new ValidationError(message, [{ path: label, message: 'expected epoch milliseconds' }]);
  }
  return at;
}

/**
 * Reads an instant on New York's wall clock.
 *
 * @throws {ValidationError} when `at` is not a finite epoch-millisecond instant in a four-digit year.
 * @example
 * newYorkWallClock(Date.parse('2026-03-10T14:00:00Z')) // → { date: '2026-03-10', weekday: 2, msOfDay: 36_000_000, … } (10:00 EDT)
 */
export function newYorkWallClock(at: number): NewYorkWallClock {
  checkInstant(at);
  const offsetMs = newYorkOffsetMs(at);
  const local = at + offsetMs;
  const dayNumber = Math.floor(local / MS_PER_DAY);
  return {
    date: formatDayNumber(dayNumber),
    dayNumber,
    weekday: weekdayOf(dayNumber),
    msOfDay: local - dayNumber * MS_PER_DAY,
    offsetMs,
  };
}

/**
 * The instant at which New York's wall clock reads `hour:minute` on a day given as a day number
 * (days since 1970-01-01). See {@link newYorkTimeToEpoch} for how skipped and repeated times resolve.
 */
export function newYorkDayTimeToEpoch(dayNumber: number, hour: number, minute = 0): number {
  const local = dayNumber * MS_PER_DAY + hour * 3_600_000 + minute * 60_000;
  // Offsets a day either side bracket any change on this day; try both and keep what reads back right.
  const before = newYorkOffsetMs(local - MS_PER_DAY);
  const after = newYorkOffsetMs(local + MS_PER_DAY);
  const early = local - before;
  const late = local - after;
  const earlyFits = early + newYorkOffsetMs(early) === local;
  const lateFits = late + newYorkOffsetMs(late) === local;
  if (earlyFits && lateFits) return Math.min(early, late);
  if (lateFits) return late;
  // Only the offset before the change fits, or none does (a time the spring change skips): reading
  // it with the offset before the change lands after the gap, as Temporal's 'compatible' does.
  return early;
}

/**
 * The instant at which New York's wall clock reads `hour:minute` on `date`.
 *
 * DST-change days resolve like Temporal's `'compatible'` disambiguation: a time the spring change
 * skips (02:30 on 2026-03-08) moves forward by the gap (03:30 EDT); a time the autumn change repeats
 * (01:30 on 2026-11-01) is the first of the two (01:30 EDT).
 *
 * @throws {ValidationError} for a malformed date or an hour/minute out of range.
 * @example
 * newYorkTimeToEpoch('2026-07-02', 9, 30) // → Date.parse('2026-07-02T13:30:00Z')
 */
export function newYorkTimeToEpoch(date: string, hour: number, minute = 0): number {
  const { dayNumber } = parseCivilDate(date);
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59) {
    const message = `New York wall-clock time must be an hour 0–23 and a minute 0–59, got ${String(hour)}:${String(minute)}`;
    throw new ValidationError(message, [{ path: 'hour', message: 'expected hour 0–23 and minute 0–59' }]);
  }
  return newYorkDayTimeToEpoch(dayNumber, hour, minute);
}
