import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.js';
import { easterSunday, NYSE_SPECIAL_CLOSURES, nyseEarlyCloses, nyseHolidays } from './nyse-holidays.js';

const datesOf = (list: readonly { date: string }[]) => list.map((x) => x.date);

describe('NYSE holidays and early closes, checked against the exchange’s published lists', () => {
  it('2025: eleven closures including the day of mourning for President Carter', () => {
    expect(nyseHolidays(2025)).toEqual([
      { date: '2025-01-01', name: "New Year's Day" },
      { date: '2025-01-09', name: 'National Day of Mourning for President Jimmy Carter' },
      { date: '2025-01-20', name: 'Martin Luther King, Jr. Day' },
      { date: '2025-02-17', name: "Washington's Birthday" },
      { date: '2025-04-18', name: 'Good Friday' },
      { date: '2025-05-26', name: 'Memorial Day' },
      { date: '2025-06-19', name: 'Juneteenth National Independence Day' },
      { date: '2025-07-04', name: 'Independence Day' },
      { date: '2025-09-01', name: 'Labor Day' },
      { date: '2025-11-27', name: 'Thanksgiving Day' },
      { date: '2025-12-25', name: 'Christmas Day' },
    ]);
  });

  it('2025: early closes on July 3, the day after Thanksgiving and Christmas Eve, all at 13:00', () => {
    expect(nyseEarlyCloses(2025)).toEqual([
      { date: '2025-07-03', name: 'Day before Independence Day', closeTime: '13:00' },
      { date: '2025-11-28', name: 'Day after Thanksgiving', closeTime: '13:00' },
      { date: '2025-12-24', name: 'Christmas Eve', closeTime: '13:00' },
    ]);
  });

  it('2026: ten holidays, Independence Day observed on Friday July 3', () => {
    expect(datesOf(nyseHolidays(2026))).toEqual([
      '2026-01-01',
      '2026-01-19',
      '2026-02-16',
      '2026-04-03',
      '2026-05-25',
      '2026-06-19',
      '2026-07-03',
      '2026-09-07',
      '2026-11-26',
      '2026-12-25',
    ]);
    expect(nyseHolidays(2026).find((h) => h.date === '2026-07-03')?.name).toBe('Independence Day (observed)');
  });

  it('2026: early closes on November 27 and December 24 only, no July early close', () => {
    expect(datesOf(nyseEarlyCloses(2026))).toEqual(['2026-11-27', '2026-12-24']);
  });

  it('2027: New Year’s Day on a Friday, Christmas on a Saturday observed Friday December 24', () => {
    const holidays = nyseHolidays(2027);
    expect(holidays[0]).toEqual({ date: '2027-01-01', name: "New Year's Day" });
    expect(holidays.at(-1)).toEqual({ date: '2027-12-24', name: 'Christmas Day (observed)' });
    expect(datesOf(holidays)).toEqual([
      '2027-01-01',
      '2027-01-18',
      '2027-02-15',
      '2027-03-26',
      '2027-05-31',
      '2027-06-18',
      '2027-07-05',
      '2027-09-06',
      '2027-11-25',
      '2027-12-24',
    ]);
    // Christmas Eve is the holiday itself, and July 3 is a Saturday: only Thanksgiving Friday is short.
    expect(datesOf(nyseEarlyCloses(2027))).toEqual(['2027-11-26']);
  });

  it('does not close Friday December 31 for a New Year’s Day that falls on Saturday', () => {
    // 2022-01-01 was a Saturday; the NYSE traded a full day on Friday 2021-12-31.
    expect(datesOf(nyseHolidays(2021))).not.toContain('2021-12-31');
    expect(datesOf(nyseHolidays(2022))).not.toContain('2021-12-31');
    expect(datesOf(nyseHolidays(2022)).filter((d) => d.startsWith('2022-01'))).toEqual(['2022-01-17']);
    // 2028-01-01 is a Saturday too: Friday 2027-12-31 trades.
    expect(datesOf(nyseHolidays(2027))).not.toContain('2027-12-31');
  });

  it('moves a Sunday New Year’s Day to Monday January 2', () => {
    expect(nyseHolidays(2023)[0]).toEqual({ date: '2023-01-02', name: "New Year's Day (observed)" });
  });

  it('observes Juneteenth from 2022 only, moved off weekends', () => {
    expect(datesOf(nyseHolidays(2021)).some((d) => d.startsWith('2021-06'))).toBe(false);
    expect(nyseHolidays(2022).find((h) => h.date.startsWith('2022-06'))).toEqual({
      date: '2022-06-20',
      name: 'Juneteenth National Independence Day (observed)',
    });
    expect(datesOf(nyseHolidays(2027))).toContain('2027-06-18');
  });

  it('closes for Martin Luther King, Jr. Day from 1998, when the NYSE first did', () => {
    expect(datesOf(nyseHolidays(1997)).some((d) => d.startsWith('1997-01-2'))).toBe(false);
    expect(datesOf(nyseHolidays(1998))).toContain('1998-01-19');
  });

  it.each([
    [2010, ['2010-11-26']],
    [2011, ['2011-11-25']],
    [2012, ['2012-07-03', '2012-11-23', '2012-12-24']],
    [2013, ['2013-07-03', '2013-11-29', '2013-12-24']],
    [2014, ['2014-07-03', '2014-11-28', '2014-12-24']],
    [2015, ['2015-11-27', '2015-12-24']],
    [2016, ['2016-11-25']],
    [2017, ['2017-07-03', '2017-11-24']],
    [2018, ['2018-07-03', '2018-11-23', '2018-12-24']],
    [2019, ['2019-07-03', '2019-11-29', '2019-12-24']],
    [2020, ['2020-11-27', '2020-12-24']],
    [2021, ['2021-11-26']],
    [2022, ['2022-11-25']],
    [2023, ['2023-07-03', '2023-11-24']],
    [2024, ['2024-07-03', '2024-11-29', '2024-12-24']],
  ])('%i: early closes match NYSE practice for every weekday July 4 and Christmas fall on', (year, expected) => {
    expect(datesOf(nyseEarlyCloses(year))).toEqual(expected);
  });

  it('includes the historical special closures of their years', () => {
    expect(datesOf(nyseHolidays(2001))).toEqual(
      expect.arrayContaining(['2001-09-11', '2001-09-12', '2001-09-13', '2001-09-14']),
    );
    expect(datesOf(nyseHolidays(2012))).toEqual(expect.arrayContaining(['2012-10-29', '2012-10-30']));
    expect(datesOf(nyseHolidays(2018))).toContain('2018-12-05');
    expect(datesOf(nyseHolidays(2004))).toContain('2004-06-11');
    expect(datesOf(nyseHolidays(2007))).toEqual(['2007-01-01', '2007-01-02', ...datesOf(nyseHolidays(2007)).slice(2)]);
    expect(NYSE_SPECIAL_CLOSURES.find((c) => c.date === '2025-01-09')?.name).toMatch(/Carter/);
  });

  it('yields nine rule closures a year, plus Juneteenth from 2022, less a Saturday New Year, plus special closures', () => {
    for (let year = 1998; year <= 2100; year++) {
      const dates = datesOf(nyseHolidays(year));
      const saturdayNewYear = new Date(Date.UTC(year, 0, 1)).getUTCDay() === 6 ? 1 : 0;
      const specials = NYSE_SPECIAL_CLOSURES.filter((c) => c.date.startsWith(`${year}-`)).length;
      expect(dates.length).toBe(9 + (year >= 2022 ? 1 : 0) - saturdayNewYear + specials);
      expect([...dates].sort()).toEqual(dates);
      expect(new Set(dates).size).toBe(dates.length);
      expect(dates.filter((d) => !d.startsWith(`${year}-`))).toEqual([]);
      for (const date of dates) expect([0, 6]).not.toContain(new Date(`${date}T12:00:00Z`).getUTCDay());
      for (const early of datesOf(nyseEarlyCloses(year))) expect(dates).not.toContain(early);
    }
  });

  it('computes each year once and hands out the same frozen list', () => {
    expect(nyseHolidays(2031)).toBe(nyseHolidays(2031));
    expect(Object.isFrozen(nyseHolidays(2031))).toBe(true);
    expect(Object.isFrozen(nyseEarlyCloses(2031))).toBe(true);
  });

  it('rejects a year that is not an integer from 1000 to 9999', () => {
    expect(() => nyseHolidays(2026.5)).toThrow(ValidationError);
    expect(() => nyseEarlyCloses('2026' as unknown as number)).toThrow(/year must be an integer year/);
  });
});

describe('easterSunday', () => {
  it.each([
    [2024, '2024-03-31'],
    [2025, '2025-04-20'],
    [2026, '2026-04-05'],
    [2027, '2027-03-28'],
    [2000, '2000-04-23'],
    [1818, '1818-03-22'],
    [2285, '2285-03-22'],
    [1943, '1943-04-25'],
    [2038, '2038-04-25'],
  ])('%i → %s', (year, date) => {
    expect(easterSunday(year)).toBe(date);
  });

  it('puts Good Friday two days before it', () => {
    expect(datesOf(nyseHolidays(2027))).toContain('2027-03-26');
    expect(nyseHolidays(2038).find((h) => h.name === 'Good Friday')?.date).toBe('2038-04-23');
  });
});
