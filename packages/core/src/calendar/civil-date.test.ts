import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.js';
import {
  checkCalendarYear,
  civilDateOf,
  dayNumberOf,
  formatDayNumber,
  parseCivilDate,
  weekdayOf,
} from './civil-date.js';

describe('civil dates', () => {
  it('parses YYYY-MM-DD into its parts, day number and weekday', () => {
    expect(parseCivilDate('2026-11-27')).toEqual({ year: 2026, month: 11, day: 27, dayNumber: 20_784, weekday: 5 });
    expect(parseCivilDate('1970-01-01')).toEqual({ year: 1970, month: 1, day: 1, dayNumber: 0, weekday: 4 });
    expect(parseCivilDate('1969-12-31').dayNumber).toBe(-1);
    expect(parseCivilDate('2024-02-29').weekday).toBe(4);
  });

  it('round-trips every day from 1899 to 2101 through its day number', () => {
    const wrong: string[] = [];
    for (let day = dayNumberOf(1899, 1, 1); day <= dayNumberOf(2101, 12, 31); day++) {
      const text = formatDayNumber(day);
      const parsed = parseCivilDate(text);
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (text !== iso || parsed.dayNumber !== day || parsed.weekday !== new Date(day * 86_400_000).getUTCDay()) {
        wrong.push(text);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('numbers weekdays from Sunday = 0 on both sides of the epoch', () => {
    expect(weekdayOf(dayNumberOf(2026, 3, 8))).toBe(0);
    expect(weekdayOf(dayNumberOf(2026, 3, 14))).toBe(6);
    expect(weekdayOf(dayNumberOf(1969, 12, 28))).toBe(0);
    expect(civilDateOf(dayNumberOf(1900, 1, 1))).toMatchObject({ year: 1900, month: 1, day: 1, weekday: 1 });
  });

  it.each([['2026/01/02'], ['2026-1-2'], ['20260102'], [' 2026-01-02'], ['2026-01-02T00:00:00Z'], ['']])(
    'rejects %j with a ValidationError naming it and the expected form',
    (input) => {
      expect(() => parseCivilDate(input)).toThrow(ValidationError);
      expect(() => parseCivilDate(input)).toThrow(/YYYY-MM-DD/);
      expect(() => parseCivilDate(input)).toThrow(JSON.stringify(input));
    },
  );

  it('rejects days that do not exist', () => {
    expect(() => parseCivilDate('2026-02-29')).toThrow(/"2026-02-29" is not a day of the calendar/);
    expect(() => parseCivilDate('2026-13-01')).toThrow(ValidationError);
    expect(() => parseCivilDate('2026-04-31')).toThrow(ValidationError);
    expect(() => parseCivilDate('2026-00-10')).toThrow(ValidationError);
  });

  it('rejects non-strings and years before 1000, naming the label', () => {
    expect(() => parseCivilDate(20260102, 'fromDate')).toThrow(/fromDate must be a calendar date.*got 20260102/);
    expect(() => parseCivilDate(null)).toThrow(/got null/);
    expect(() => parseCivilDate('0999-12-31')).toThrow(/before the year 1000/);
  });

  it('accepts integer years from 1000 to 9999 only', () => {
    expect(checkCalendarYear(2026)).toBe(2026);
    expect(() => checkCalendarYear(2026.5)).toThrow(/year must be an integer year from 1000 to 9999.*got 2026.5/);
    expect(() => checkCalendarYear('2026')).toThrow(ValidationError);
    expect(() => checkCalendarYear(10_000)).toThrow(ValidationError);
  });
});
