import {
  type MarketCalendar,
  type MarketVenue,
  marketVenueOf,
  newYorkOffsetMs,
  newYorkTimeToEpoch,
} from '@stockade/core';

const DAY_MS = 86_400_000;

/** One trading day of an instrument, its instants in epoch ms. */
export interface TradingSession {
  /** The trading date, `YYYY-MM-DD` (New York for US listings, UTC for crypto, the fx value date). */
  date: string;
  /** Midnight that starts the date: New York for US listings (Polygon's daily `t`), UTC otherwise. */
  midnight: number;
  /** Extended trading opens (equal to `open` where there is none). */
  preOpen: number;
  /** Regular session opens (Yahoo's daily timestamp for US listings). */
  open: number;
  /** Regular session closes. */
  close: number;
  /** Extended trading ends (equal to `close` where there is none). */
  postClose: number;
}

/** The trading days of one instrument, as the market calendar has them. */
export interface SessionSchedule {
  /** The venue whose hours these are. */
  readonly venue: MarketVenue;
  /** Whether the instrument trades outside the regular session (US equities and ETFs). */
  readonly extendedHours: boolean;
  /** The session of `date`, or null when the instrument does not trade that day. */
  onDate(date: string): TradingSession | null;
  /** Sessions whose `[preOpen, postClose)` meets `[from, to)`, oldest first. */
  between(from: number, to: number): TradingSession[];
  /** The last session whose extended or regular trading began at or before `at`. */
  latest(at: number): TradingSession | null;
  /** The session before `session`. */
  previous(session: TradingSession): TradingSession;
}

type DayRule = (dayNumber: number) => TradingSession | null;

function dateOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

function usRule(calendar: MarketCalendar, extended: boolean): DayRule {
  return (day) => {
    const date = dateOf(day);
    const b = calendar.sessionBounds(date);
    if (b === null) return null;
    const midnight = newYorkTimeToEpoch(date, 0, 0);
    return extended
      ? { date, midnight, preOpen: b.preOpen, open: b.open, close: b.close, postClose: b.postClose }
      : { date, midnight, preOpen: b.open, open: b.open, close: b.close, postClose: b.close };
  };
}

const cryptoRule: DayRule = (day) => {
  const start = day * DAY_MS;
  return {
    date: dateOf(day),
    midnight: start,
    preOpen: start,
    open: start,
    close: start + DAY_MS,
    postClose: start + DAY_MS,
  };
};

// An fx value date runs from 17:00 New York the evening before to 17:00 New York, Monday to Friday,
// which is exactly when the core calendar has fx open.
const fxRule: DayRule = (day) => {
  const weekday = (((day + 4) % 7) + 7) % 7;
  if (weekday === 0 || weekday === 6) return null;
  const date = dateOf(day);
  const open = newYorkTimeToEpoch(dateOf(day - 1), 17, 0);
  const close = newYorkTimeToEpoch(date, 17, 0);
  return { date, midnight: day * DAY_MS, preOpen: open, open, close, postClose: close };
};

// The calendar does not model exchanges abroad; the simulator gives them weekday hours of
// 08:00–16:30 UTC (roughly XETRA's) and no holidays, and says so in its README.
const abroadRule: DayRule = (day) => {
  const weekday = (((day + 4) % 7) + 7) % 7;
  if (weekday === 0 || weekday === 6) return null;
  const midnight = day * DAY_MS;
  const open = midnight + 8 * 3_600_000;
  const close = midnight + 16.5 * 3_600_000;
  return { date: dateOf(day), midnight, preOpen: open, open, close, postClose: close };
};

/** The day number whose session could contain `at` for a venue's day rule. */
function dayOfInstant(at: number, newYorkDays: boolean): number {
  return Math.floor((newYorkDays ? at + newYorkOffsetMs(at) : at) / DAY_MS);
}

const schedules = new WeakMap<MarketCalendar, Map<string, SessionSchedule>>();

/**
 * The session schedule of a canonical symbol from the core market calendar: NYSE days with
 * extended hours for US equities and ETFs, regular hours only for indices, every UTC day for crypto,
 * Sunday 17:00 to Friday 17:00 New York for fx. Symbols of one venue share one schedule.
 */
export function sessionScheduleOf(symbol: string, calendar: MarketCalendar): SessionSchedule {
  const venue = marketVenueOf(symbol);
  let byVenue = schedules.get(calendar);
  if (byVenue === undefined) {
    byVenue = new Map();
    schedules.set(calendar, byVenue);
  }
  let schedule = byVenue.get(venue);
  if (schedule === undefined) {
    schedule = createSchedule(venue, calendar);
    byVenue.set(venue, schedule);
  }
  return schedule;
}

function createSchedule(venue: MarketVenue, calendar: MarketCalendar): SessionSchedule {
  const rule: DayRule =
    venue === 'us-equity'
      ? usRule(calendar, true)
      : venue === 'us-index'
        ? usRule(calendar, false)
        : venue === 'crypto'
          ? cryptoRule
          : venue === 'fx'
            ? fxRule
            : abroadRule;
  const newYorkDays = venue === 'us-equity' || venue === 'us-index';
  // fx sessions end at 17:00 New York, so the session of an evening instant is tomorrow's.
  const lookahead = venue === 'fx' ? 1 : 0;
  const cache = new Map<number, TradingSession | null>();
  const sessionOfDay = (day: number): TradingSession | null => {
    let s = cache.get(day);
    if (s === undefined) {
      s = rule(day);
      if (cache.size > 50_000) cache.clear();
      cache.set(day, s === null ? null : Object.freeze(s));
    }
    return s;
  };
  const dayOfDate = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

  return {
    venue,
    extendedHours: venue === 'us-equity',
    onDate: (date) => sessionOfDay(dayOfDate(date)),
    between(from, to) {
      const out: TradingSession[] = [];
      const last = dayOfInstant(to, newYorkDays) + lookahead;
      for (let day = dayOfInstant(from, newYorkDays) - 1; day <= last; day++) {
        const s = sessionOfDay(day);
        if (s !== null && s.postClose > from && s.preOpen < to) out.push(s);
      }
      return out;
    },
    latest(at) {
      // No venue closes for more than a few weeks in a row; 40 days back is ample.
      const start = dayOfInstant(at, newYorkDays) + lookahead;
      for (let day = start; day > start - 40; day--) {
        const s = sessionOfDay(day);
        if (s !== null && s.preOpen <= at) return s;
      }
      return null;
    },
    previous(session) {
      for (let day = dayOfDate(session.date) - 1; ; day--) {
        const s = sessionOfDay(day);
        if (s !== null) return s;
      }
    },
  };
}
