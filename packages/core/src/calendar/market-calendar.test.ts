import { describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import { ValidationError } from '../errors/errors.js';
import { createMarketCalendar } from './market-calendar.js';

const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

// An independent reading of New York wall-clock time, to check bounds across DST changes.
const newYorkHHMM = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  hour: '2-digit',
  minute: '2-digit',
});

describe('US equity sessions', () => {
  const calendar = createMarketCalendar();

  it.each([
    ['03:59 New York', '2026-03-10T07:59:59.999Z', 'closed'],
    ['04:00 New York', '2026-03-10T08:00:00Z', 'pre'],
    ['08:00 New York', '2026-03-10T12:00:00Z', 'pre'],
    ['09:30 New York', '2026-03-10T13:30:00Z', 'regular'],
    ['10:00 New York', '2026-03-10T14:00:00Z', 'regular'],
    ['15:59 New York', '2026-03-10T19:59:59.999Z', 'regular'],
    ['16:00 New York', '2026-03-10T20:00:00Z', 'post'],
    ['17:00 New York', '2026-03-10T21:00:00Z', 'post'],
    ['20:00 New York', '2026-03-11T00:00:00Z', 'closed'],
    ['21:00 New York', '2026-03-11T01:00:00Z', 'closed'],
  ])('on a Tuesday in EDT, %s is %s', (_label, instant, session) => {
    expect(calendar.session('equity', at(instant))).toBe(session);
  });

  it('uses EST hours in winter', () => {
    expect(calendar.session('AAPL', at('2026-01-13T14:29:59Z'))).toBe('pre');
    expect(calendar.session('AAPL', at('2026-01-13T14:30:00Z'))).toBe('regular');
    expect(calendar.session('AAPL', at('2026-01-13T21:00:00Z'))).toBe('post');
  });

  it('treats a plain ticker, a share class and an ETF by US equity rules', () => {
    const tuesday10am = at('2026-03-10T14:00:00Z');
    const tuesday8am = at('2026-03-10T12:00:00Z');
    for (const symbol of ['AAPL', 'aapl', 'BRK.B', 'SPY', 'etf']) {
      expect(calendar.session(symbol, tuesday10am)).toBe('regular');
      expect(calendar.session(symbol, tuesday8am)).toBe('pre');
    }
  });

  it('is closed all Saturday, and the next open is Monday 09:30', () => {
    const saturdayNoon = at('2026-03-14T16:00:00Z');
    expect(calendar.session('AAPL', saturdayNoon)).toBe('closed');
    expect(iso(calendar.nextOpen('AAPL', saturdayNoon))).toBe('2026-03-16T13:30:00.000Z');
    expect(iso(calendar.nextClose('AAPL', saturdayNoon))).toBe('2026-03-16T20:00:00.000Z');
  });

  it('while open, nextOpen is the next session and nextClose is this one', () => {
    const tuesday10am = at('2026-03-10T14:00:00Z');
    expect(iso(calendar.nextOpen('AAPL', tuesday10am))).toBe('2026-03-11T13:30:00.000Z');
    expect(iso(calendar.nextClose('AAPL', tuesday10am))).toBe('2026-03-10T20:00:00.000Z');
    const theOpen = at('2026-03-10T13:30:00Z');
    expect(iso(calendar.nextOpen('AAPL', theOpen))).toBe('2026-03-11T13:30:00.000Z');
    expect(iso(calendar.nextOpen('AAPL', theOpen - 1))).toBe('2026-03-10T13:30:00.000Z');
  });

  it('after the close, nextClose is tomorrow’s', () => {
    expect(iso(calendar.nextClose('AAPL', at('2026-03-10T20:00:00Z')))).toBe('2026-03-11T20:00:00.000Z');
  });

  it('closes at 13:00 on 2026-11-27, with late trading until 17:00', () => {
    expect(calendar.session('AAPL', at('2026-11-27T17:59:59Z'))).toBe('regular');
    expect(calendar.session('AAPL', at('2026-11-27T18:00:00Z'))).toBe('post');
    expect(calendar.session('AAPL', at('2026-11-27T21:59:59Z'))).toBe('post');
    expect(calendar.session('AAPL', at('2026-11-27T22:00:00Z'))).toBe('closed');
    expect(iso(calendar.nextClose('AAPL', at('2026-11-27T15:00:00Z')))).toBe('2026-11-27T18:00:00.000Z');
    expect(calendar.sessionBounds('2026-11-27')).toEqual({
      preOpen: at('2026-11-27T09:00:00Z'),
      open: at('2026-11-27T14:30:00Z'),
      close: at('2026-11-27T18:00:00Z'),
      postClose: at('2026-11-27T22:00:00Z'),
    });
  });

  it('is closed on holidays, and skips them when looking for the next open', () => {
    expect(calendar.session('AAPL', at('2026-07-03T14:00:00Z'))).toBe('closed'); // Independence Day observed
    expect(calendar.session('AAPL', at('2026-07-03T12:00:00Z'))).toBe('closed'); // no pre-market either
    expect(iso(calendar.nextOpen('AAPL', at('2026-07-02T21:00:00Z')))).toBe('2026-07-06T13:30:00.000Z');
    expect(iso(calendar.nextClose('AAPL', at('2026-07-02T19:00:00Z')))).toBe('2026-07-02T20:00:00.000Z');
    expect(calendar.session('AAPL', at('2025-01-09T15:00:00Z'))).toBe('closed'); // President Carter
    expect(iso(calendar.nextOpen('AAPL', at('2025-01-08T22:00:00Z')))).toBe('2025-01-10T14:30:00.000Z');
  });

  it('gets the hours right around the March change (Sunday 2026-03-08)', () => {
    expect(calendar.session('AAPL', at('2026-03-06T14:29:59Z'))).toBe('pre'); // Friday 09:29 EST
    expect(calendar.session('AAPL', at('2026-03-06T14:30:00Z'))).toBe('regular');
    for (const hour of ['05', '07', '12', '15', '21']) {
      expect(calendar.session('AAPL', at(`2026-03-08T${hour}:00:00Z`))).toBe('closed');
    }
    expect(calendar.sessionDate(at('2026-03-08T04:59:59Z'))).toBe('2026-03-07');
    expect(calendar.sessionDate(at('2026-03-08T05:00:00Z'))).toBe('2026-03-08');
    expect(iso(calendar.nextOpen('AAPL', at('2026-03-08T16:00:00Z')))).toBe('2026-03-09T13:30:00.000Z');
    expect(calendar.session('AAPL', at('2026-03-09T13:29:59Z'))).toBe('pre'); // Monday 09:29 EDT
    expect(calendar.session('AAPL', at('2026-03-09T13:30:00Z'))).toBe('regular');
  });

  it('gets the hours right around the November change (Sunday 2026-11-01)', () => {
    expect(calendar.session('AAPL', at('2026-10-30T13:30:00Z'))).toBe('regular'); // Friday 09:30 EDT
    for (const hour of ['04', '05', '06', '07', '12', '22']) {
      expect(calendar.session('AAPL', at(`2026-11-01T${hour}:30:00Z`))).toBe('closed');
    }
    expect(calendar.sessionDate(at('2026-11-01T03:59:59Z'))).toBe('2026-10-31');
    expect(calendar.sessionDate(at('2026-11-01T04:00:00Z'))).toBe('2026-11-01');
    expect(calendar.sessionDate(at('2026-11-02T04:59:59Z'))).toBe('2026-11-01');
    expect(iso(calendar.nextOpen('AAPL', at('2026-11-01T16:00:00Z')))).toBe('2026-11-02T14:30:00.000Z');
    expect(calendar.session('AAPL', at('2026-11-02T14:29:59Z'))).toBe('pre'); // Monday 09:29 EST
    expect(calendar.session('AAPL', at('2026-11-02T14:30:00Z'))).toBe('regular');
  });

  it('opens at 09:30 and closes at 16:00 or 13:00 New York on every trading day from 2000 to 2030', () => {
    const wrong: string[] = [];
    for (const date of calendar.tradingDays('2000-01-01', '2030-12-31')) {
      const b = calendar.sessionBounds(date);
      const close = calendar.isEarlyClose(date) ? '13:00' : '16:00';
      const post = calendar.isEarlyClose(date) ? '17:00' : '20:00';
      const read = b && [b.preOpen, b.open, b.close, b.postClose].map((t) => newYorkHHMM.format(t)).join(' ');
      if (read !== `04:00 09:30 ${close} ${post}`) wrong.push(`${date}: ${read}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('indices, crypto, fx and exchanges the calendar does not model', () => {
  const calendar = createMarketCalendar();

  it('gives indices the regular session only', () => {
    expect(calendar.session('^GSPC', at('2026-03-10T12:00:00Z'))).toBe('closed'); // 08:00
    expect(calendar.session('^GSPC', at('2026-03-10T14:00:00Z'))).toBe('regular');
    expect(calendar.session('index', at('2026-03-10T21:00:00Z'))).toBe('closed'); // 17:00
    expect(iso(calendar.nextOpen('^GSPC', at('2026-03-10T21:00:00Z')))).toBe('2026-03-11T13:30:00.000Z');
  });

  it('keeps crypto open round the clock: nextOpen is now, nextClose never', () => {
    const saturday3am = at('2026-03-14T07:00:00Z');
    expect(calendar.session('BTC-USD', saturday3am)).toBe('regular');
    expect(calendar.session('crypto', at('2026-12-25T15:00:00Z'))).toBe('regular');
    expect(calendar.nextOpen('BTC-USD', saturday3am)).toBe(saturday3am);
    expect(calendar.nextClose('BTC-USD', saturday3am)).toBeNull();
  });

  it('trades fx from Sunday 17:00 to Friday 17:00 New York', () => {
    expect(calendar.session('EURUSD=X', at('2026-03-14T16:00:00Z'))).toBe('closed'); // Saturday noon
    expect(calendar.session('fx', at('2026-03-13T20:59:59Z'))).toBe('regular'); // Friday 16:59 EDT
    expect(calendar.session('fx', at('2026-03-13T21:00:00Z'))).toBe('closed');
    expect(calendar.session('fx', at('2026-03-11T07:00:00Z'))).toBe('regular'); // Wednesday 03:00
    expect(calendar.session('fx', at('2026-12-25T15:00:00Z'))).toBe('regular'); // holidays are not modelled for fx
    expect(iso(calendar.nextOpen('fx', at('2026-03-14T16:00:00Z')))).toBe('2026-03-15T21:00:00.000Z');
    expect(iso(calendar.nextOpen('fx', at('2026-03-11T07:00:00Z')))).toBe('2026-03-15T21:00:00.000Z');
    expect(iso(calendar.nextClose('fx', at('2026-03-11T07:00:00Z')))).toBe('2026-03-13T21:00:00.000Z');
    expect(iso(calendar.nextClose('fx', at('2026-03-14T16:00:00Z')))).toBe('2026-03-20T21:00:00.000Z');
  });

  it('opens fx at 17:00 local on the Sundays the clocks change', () => {
    expect(calendar.session('fx', at('2026-03-08T20:59:59Z'))).toBe('closed');
    expect(calendar.session('fx', at('2026-03-08T21:00:00Z'))).toBe('regular'); // 17:00 EDT
    expect(calendar.session('fx', at('2026-11-01T21:59:59Z'))).toBe('closed');
    expect(calendar.session('fx', at('2026-11-01T22:00:00Z'))).toBe('regular'); // 17:00 EST
    expect(iso(calendar.nextOpen('fx', at('2026-11-01T12:00:00Z')))).toBe('2026-11-01T22:00:00.000Z');
  });

  it('reports symbols listed abroad as unknown, with no open or close', () => {
    const tuesday10am = at('2026-03-10T14:00:00Z');
    expect(calendar.session('WSU.DE', tuesday10am)).toBe('unknown');
    expect(calendar.session('VOD.L', at('2026-03-14T16:00:00Z'))).toBe('unknown');
    expect(calendar.nextOpen('WSU.DE', tuesday10am)).toBeNull();
    expect(calendar.nextClose('WSU.DE', tuesday10am)).toBeNull();
  });
});

describe('trading days and dates', () => {
  const calendar = createMarketCalendar();

  it('answers isTradingDay, isHoliday and isEarlyClose by date', () => {
    expect(calendar.isTradingDay('2026-03-10')).toBe(true);
    expect(calendar.isTradingDay('2026-03-14')).toBe(false); // Saturday
    expect(calendar.isTradingDay('2026-07-03')).toBe(false);
    expect(calendar.isHoliday('2026-07-03')).toBe(true);
    expect(calendar.isHoliday('2026-07-04')).toBe(false); // a Saturday, not a weekday closure
    expect(calendar.isHoliday('2025-01-09')).toBe(true);
    expect(calendar.isTradingDay('2021-12-31')).toBe(true);
    expect(calendar.isEarlyClose('2026-11-27')).toBe(true);
    expect(calendar.isEarlyClose('2026-07-02')).toBe(false);
    expect(calendar.isTradingDay('2026-11-27')).toBe(true);
    expect(calendar.sessionBounds('2026-07-03')).toBeNull();
    expect(calendar.sessionBounds('2026-03-14')).toBeNull();
  });

  it('lists trading days inclusively, skipping weekends and holidays', () => {
    expect(calendar.tradingDays('2026-06-29', '2026-07-07')).toEqual([
      '2026-06-29',
      '2026-06-30',
      '2026-07-01',
      '2026-07-02',
      '2026-07-06',
      '2026-07-07',
    ]);
    expect(calendar.tradingDays('2026-07-03', '2026-07-03')).toEqual([]);
    expect(calendar.tradingDays('2026-03-10', '2026-03-10')).toEqual(['2026-03-10']);
  });

  it('counts 250 trading days in 2025 and 251 in 2026', () => {
    expect(calendar.tradingDays('2025-01-01', '2025-12-31')).toHaveLength(250);
    expect(calendar.tradingDays('2026-01-01', '2026-12-31')).toHaveLength(251);
  });

  it('returns the year tables of the exchange', () => {
    expect(calendar.holidays(2026).map((h) => h.date)).toContain('2026-07-03');
    expect(calendar.earlyCloses(2026)).toEqual([
      { date: '2026-11-27', name: 'Day after Thanksgiving', closeTime: '13:00' },
      { date: '2026-12-24', name: 'Christmas Eve', closeTime: '13:00' },
    ]);
  });

  it('gives the New York date of an instant, not the UTC one', () => {
    expect(calendar.sessionDate(at('2026-03-11T01:00:00Z'))).toBe('2026-03-10');
    expect(calendar.sessionDate(at('2026-01-14T04:59:59Z'))).toBe('2026-01-13');
    expect(calendar.sessionDate(at('2026-01-14T05:00:00Z'))).toBe('2026-01-14');
  });
});

describe('options', () => {
  it('reads the injected clock when no instant is given', () => {
    const clock = manualClock(at('2026-03-10T14:00:00Z'));
    const calendar = createMarketCalendar({ clock });
    expect(calendar.session('AAPL')).toBe('regular');
    expect(calendar.sessionDate()).toBe('2026-03-10');
    expect(iso(calendar.nextClose('AAPL'))).toBe('2026-03-10T20:00:00.000Z');
    clock.advance(7 * 3_600_000); // 17:00
    expect(calendar.session('AAPL')).toBe('post');
    expect(iso(calendar.nextOpen('AAPL'))).toBe('2026-03-11T13:30:00.000Z');
  });

  it('adds special closures, which override an early close and leave other calendars alone', () => {
    const calendar = createMarketCalendar({
      specialClosures: ['2026-03-11', { date: '2026-11-27', name: 'Snow' }, '2026-03-14'],
    });
    expect(calendar.session('AAPL', at('2026-03-11T14:00:00Z'))).toBe('closed');
    expect(iso(calendar.nextOpen('AAPL', at('2026-03-10T21:00:00Z')))).toBe('2026-03-12T13:30:00.000Z');
    expect(calendar.holidays(2026)).toEqual(
      expect.arrayContaining([
        { date: '2026-03-11', name: 'Special closure' },
        { date: '2026-11-27', name: 'Snow' },
      ]),
    );
    expect(calendar.holidays(2026).map((h) => h.date)).not.toContain('2026-03-14'); // a Saturday
    expect(calendar.holidays(2026)).toHaveLength(12);
    expect(calendar.isEarlyClose('2026-11-27')).toBe(false);
    expect(calendar.earlyCloses(2026).map((e) => e.date)).toEqual(['2026-12-24']);
    expect(createMarketCalendar().isTradingDay('2026-03-11')).toBe(true);
  });

  it('rejects malformed options with a ValidationError naming the field', () => {
    expect(() => createMarketCalendar({ specialClosures: ['2026-3-11'] })).toThrow(
      /specialClosures\[0\] must be a calendar date in the form YYYY-MM-DD.*"2026-3-11"/,
    );
    expect(() => createMarketCalendar({ specialClosures: [{ date: '2026-02-30', name: 'x' }] })).toThrow(
      ValidationError,
    );
    expect(() => createMarketCalendar({ clock: {} as never })).toThrow(/clock: expected a Clock/);
    expect(() => createMarketCalendar({ clocks: 1 } as never)).toThrow(ValidationError);
  });
});

describe('bad arguments', () => {
  const calendar = createMarketCalendar();

  it('throws a ValidationError naming the value and the expected form', () => {
    expect(() => calendar.session('AAPL', Number.NaN)).toThrow(/at must be an instant in epoch milliseconds.*got NaN/);
    expect(() => calendar.session('no such symbol!')).toThrow(ValidationError);
    expect(() => calendar.isTradingDay('2026/03/10')).toThrow(
      /date must be a calendar date in the form YYYY-MM-DD.*"2026\/03\/10"/,
    );
    expect(() => calendar.isHoliday('2026-02-29')).toThrow(ValidationError);
    expect(() => calendar.sessionBounds('tomorrow')).toThrow(ValidationError);
    expect(() => calendar.holidays(26)).toThrow(/year must be an integer year from 1000 to 9999.*got 26/);
    expect(() => calendar.tradingDays('2026-03-10', '2026-03-01')).toThrow(
      /fromDate 2026-03-10 is after toDate 2026-03-01/,
    );
    expect(() => calendar.tradingDays('2026-03-10', 'x')).toThrow(/toDate must be a calendar date/);
    const broken = createMarketCalendar({ clock: { now: () => Number.NaN } });
    expect(() => broken.session('AAPL')).toThrow(ValidationError);
  });
});
