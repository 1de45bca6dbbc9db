import { ValidationError } from '../errors/errors.js';

/** Milliseconds in a civil day (ECMAScript time has no leap seconds). */
export const MS_PER_DAY = 86_400_000;

/** Earliest year the calendar accepts: four-digit years only, so every date prints as `YYYY-MM-DD`. */
export const MIN_CALENDAR_YEAR = 1000;

/** Latest year the calendar accepts. */
export const MAX_CALENDAR_YEAR = 9999;

/** Day of the week as JavaScript numbers it: `0` is Sunday, `6` is Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/**
 * A calendar date with no time of day and no time zone: the form in which an exchange publishes
 * its holidays. `dayNumber` counts days since 1970-01-01, which makes "the next day" an addition.
 */
export interface CivilDate {
  /** Four-digit year. */
  year: number;
  /** Month, 1–12. */
  month: number;
  /** Day of the month, 1–31. */
  day: number;
  /** Days since 1970-01-01 (negative before it). */
  dayNumber: number;
  /** Day of the week, `0` = Sunday. */
  weekday: Weekday;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The day number of a year, month (1–12) and day; out-of-range parts roll over like `Date.UTC`. */
export function dayNumberOf(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

/** The day of the week of a day number (1970-01-01 was a Thursday). */
export function weekdayOf(dayNumber: number): Weekday {
  return ((((dayNumber + 4) % 7) + 7) % 7) as Weekday;
}

/** The civil date of a day number. */
export function civilDateOf(dayNumber: number): CivilDate {
  const d = new Date(dayNumber * MS_PER_DAY);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    dayNumber,
    weekday: weekdayOf(dayNumber),
  };
}

/** Formats a day number as `YYYY-MM-DD`. */
export function formatDayNumber(dayNumber: number): string {
  const { year, month, day } = civilDateOf(dayNumber);
  return `${year}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  return typeof value === 'number' ? String(value) : `a value of type ${typeof value}`;
}

/**
 * Parses a `YYYY-MM-DD` date, checking that the day exists (no `2026-02-30`).
 *
 * @param label - What the value is, for the error message (`'fromDate'`).
 * @throws {ValidationError} naming the value and the expected form.
 * @example
 * parseCivilDate('2026-11-27') // → { year: 2026, month: 11, day: 27, dayNumber: 20784, weekday: 5 }
 */
export function parseCivilDate(value: unknown, label = 'date'): CivilDate {
  const m = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (m === null) {
    const message = `${label} must be a calendar date in the form YYYY-MM-DD (e.g. 2026-11-27), got ${describe(value)}`;
    throw new ValidationError(message, [{ path: label, message: 'expected YYYY-MM-DD' }]);
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const dayNumber = dayNumberOf(year, month, day);
  const date = civilDateOf(dayNumber);
  if (date.year !== year || date.month !== month || date.day !== day) {
    const message = `${label} ${describe(value)} is not a day of the calendar; expected a real date in the form YYYY-MM-DD`;
    throw new ValidationError(message, [{ path: label, message: 'no such day' }]);
  }
  if (year < MIN_CALENDAR_YEAR) {
    const message = `${label} ${describe(value)} is before the year ${MIN_CALENDAR_YEAR}, the earliest the calendar models`;
    throw new ValidationError(message, [{ path: label, message: `expected a year from ${MIN_CALENDAR_YEAR}` }]);
  }
  return date;
}

/**
 * Checks a calendar year.
 *
 * @throws {ValidationError} unless it is an integer from {@link MIN_CALENDAR_YEAR} to {@link MAX_CALENDAR_YEAR}.
 */
export function checkCalendarYear(value: unknown, label = 'year'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_CALENDAR_YEAR || value > MAX_CALENDAR_YEAR) {
    const expected = `an integer year from ${MIN_CALENDAR_YEAR} to ${MAX_CALENDAR_YEAR}`;
    throw new ValidationError(`${label} must be ${expected} (e.g. 2026), got ${describe(value)}`, [
      { path: label, message: `expected ${expected}` },
    ]);
  }
  return value;
}
