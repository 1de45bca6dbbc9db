import { checkCalendarYear, dayNumberOf, formatDayNumber, weekdayOf } from './civil-date.js';

/** A full-day market closure on a weekday. */
export interface MarketHoliday {
  /** The date, `YYYY-MM-DD` (New York). */
  date: string;
  /** Its name as the exchange publishes it, with `(observed)` when moved off a weekend. */
  name: string;
}

/** A trading day on which the regular session ends early. */
export interface EarlyClose {
  /** The date, `YYYY-MM-DD` (New York). */
  date: string;
  /** Why the market closes early. */
  name: string;
  /** When the regular session ends, New York time; late trading then runs until 17:00. */
  closeTime: '13:00';
}

/**
 * NYSE closures that no holiday rule yields: days of mourning and emergencies. Extra ones can be
 * passed to `createMarketCalendar({ specialClosures })`.
 */
export const NYSE_SPECIAL_CLOSURES: readonly MarketHoliday[] = Object.freeze([
  { date: '1985-09-27', name: 'Hurricane Gloria' },
  { date: '1994-04-27', name: 'National Day of Mourning for President Richard Nixon' },
  { date: '2001-09-11', name: 'September 11 attacks' },
  { date: '2001-09-12', name: 'September 11 attacks' },
  { date: '2001-09-13', name: 'September 11 attacks' },
  { date: '2001-09-14', name: 'September 11 attacks' },
  { date: '2004-06-11', name: 'National Day of Mourning for President Ronald Reagan' },
  { date: '2007-01-02', name: 'National Day of Mourning for President Gerald Ford' },
  { date: '2012-10-29', name: 'Hurricane Sandy' },
  { date: '2012-10-30', name: 'Hurricane Sandy' },
  { date: '2018-12-05', name: 'National Day of Mourning for President George H. W. Bush' },
  { date: '2025-01-09', name: 'National Day of Mourning for President Jimmy Carter' },
]);

const SATURDAY = 6;
const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;

/**
 * Easter Sunday of a Gregorian year, by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).
 *
 * @returns the date as `YYYY-MM-DD`.
 * @throws {ValidationError} unless `year` is an integer from 1000 to 9999.
 * @example
 * easterSunday(2026) // → '2026-04-05'
 */
export function easterSunday(year: number): string {
  checkCalendarYear(year);
  return formatDayNumber(easterDayNumber(year));
}

function easterDayNumber(year: number): number {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayNumberOf(year, month, day);
}

/** The `n`th `weekday` of a month (1-based month). */
function nthWeekday(year: number, month: number, weekday: number, n: number): number {
  const first = dayNumberOf(year, month, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (n - 1);
}

/** The last `weekday` of a month. */
function lastWeekday(year: number, month: number, weekday: number): number {
  const last = dayNumberOf(year, month + 1, 0);
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

/**
 * Adds a fixed-date holiday, moved off a weekend as NYSE Rule 7.2 says: Saturday → the Friday
 * before, Sunday → the Monday after.
 */
function addObserved(out: Array<[number, string]>, day: number, name: string): void {
  const weekday = weekdayOf(day);
  if (weekday === SATURDAY) out.push([day - 1, `${name} (observed)`]);
  else if (weekday === SUNDAY) out.push([day + 1, `${name} (observed)`]);
  else out.push([day, name]);
}

function ruleHolidays(year: number): Array<[number, string]> {
  const out: Array<[number, string]> = [];
  const newYear = dayNumberOf(year, 1, 1);
  // Rule 7.2's exception: a Saturday New Year's Day is not made up on Friday December 31, because
  // that Friday ends the accounting year; so 2022-01-01 (a Saturday) closed no trading day.
  if (weekdayOf(newYear) !== SATURDAY) addObserved(out, newYear, "New Year's Day");
  // NYSE first closed for Martin Luther King, Jr. Day in 1998.
  if (year >= 1998) out.push([nthWeekday(year, 1, MONDAY, 3), 'Martin Luther King, Jr. Day']);
  out.push([nthWeekday(year, 2, MONDAY, 3), "Washington's Birthday"]);
  out.push([easterDayNumber(year) - 2, 'Good Friday']);
  out.push([lastWeekday(year, 5, MONDAY), 'Memorial Day']);
  // Juneteenth became a federal holiday in 2021; NYSE first closed for it in 2022.
  if (year >= 2022) addObserved(out, dayNumberOf(year, 6, 19), 'Juneteenth National Independence Day');
  addObserved(out, dayNumberOf(year, 7, 4), 'Independence Day');
  out.push([nthWeekday(year, 9, MONDAY, 1), 'Labor Day']);
  out.push([nthWeekday(year, 11, THURSDAY, 4), 'Thanksgiving Day']);
  addObserved(out, dayNumberOf(year, 12, 25), 'Christmas Day');
  return out;
}

function byDate(a: { date: string }, b: { date: string }): number {
  return a.date < b.date ? -1 : a.date > b.date ? 1 : 0;
}

const holidayCache = new Map<number, readonly MarketHoliday[]>();
const earlyCloseCache = new Map<number, readonly EarlyClose[]>();

/**
 * The NYSE's full-day closures in a year: the holidays its rules yield plus
 * {@link NYSE_SPECIAL_CLOSURES}, sorted by date. Computed once per year and kept.
 *
 * The rules are today's, applied to every year (with Martin Luther King, Jr. Day from 1998 and
 * Juneteenth from 2022); closures before 1971, when Washington's Birthday and Memorial Day had
 * fixed dates and the exchange closed on election days, are not modelled.
 *
 * @throws {ValidationError} unless `year` is an integer from 1000 to 9999.
 * @example
 * nyseHolidays(2026).map((h) => h.date)
 * // → ['2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19',
 * //    '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25']
 */
export function nyseHolidays(year: number): readonly MarketHoliday[] {
  checkCalendarYear(year);
  const cached = holidayCache.get(year);
  if (cached !== undefined) return cached;
  const byDay = new Map<string, MarketHoliday>();
  for (const [day, name] of ruleHolidays(year)) {
    const date = formatDayNumber(day);
    byDay.set(date, Object.freeze({ date, name }));
  }
  const prefix = `${year}-`;
  for (const closure of NYSE_SPECIAL_CLOSURES) {
    if (closure.date.startsWith(prefix) && !byDay.has(closure.date))
      byDay.set(closure.date, Object.freeze({ ...closure }));
  }
  const list = Object.freeze([...byDay.values()].sort(byDate));
  holidayCache.set(year, list);
  return list;
}

/**
 * The NYSE's 13:00 early closes in a year, sorted by date:
 *
 * - the day before Independence Day, July 3, when it is a weekday and not itself the observed
 *   holiday — that is, when July 4 falls Tuesday to Friday. When July 4 is a Saturday, July 3 is
 *   the holiday and Thursday July 2 is a full day; when July 4 is a Sunday or Monday, the Friday
 *   before is a full day (NYSE practice in 2010, 2015, 2016, 2020, 2021, 2022, 2026);
 * - the day after Thanksgiving;
 * - Christmas Eve, when it is a weekday and not itself the observed Christmas holiday.
 *
 * A day in {@link NYSE_SPECIAL_CLOSURES} is a closure, not an early close. Computed once per year.
 *
 * @throws {ValidationError} unless `year` is an integer from 1000 to 9999.
 * @example
 * nyseEarlyCloses(2025).map((e) => e.date) // → ['2025-07-03', '2025-11-28', '2025-12-24']
 */
export function nyseEarlyCloses(year: number): readonly EarlyClose[] {
  checkCalendarYear(year);
  const cached = earlyCloseCache.get(year);
  if (cached !== undefined) return cached;
  const closed = new Set(nyseHolidays(year).map((h) => h.date));
  const candidates: Array<[number, string]> = [
    [dayNumberOf(year, 7, 3), 'Day before Independence Day'],
    [nthWeekday(year, 11, THURSDAY, 4) + 1, 'Day after Thanksgiving'],
    [dayNumberOf(year, 12, 24), 'Christmas Eve'],
  ];
  const list: EarlyClose[] = [];
  for (const [day, name] of candidates) {
    const weekday = weekdayOf(day);
    const date = formatDayNumber(day);
    if (weekday !== SATURDAY && weekday !== SUNDAY && !closed.has(date)) {
      list.push(Object.freeze({ date, name, closeTime: '13:00' as const }));
    }
  }
  const frozen = Object.freeze(list);
  earlyCloseCache.set(year, frozen);
  return frozen;
}
