import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.js';
import { newYorkOffsetMs, newYorkTimeToEpoch, newYorkWallClock } from './new-york-time.js';

const HOUR = 3_600_000;
const EST = -5 * HOUR;
const EDT = -4 * HOUR;

// An independent reading of the tz database, to check the cached tables against.
const reference = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/New_York',
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
function readInNewYork(at: number): { date: string; time: string } {
  const p = Object.fromEntries(reference.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}:${p.second}` };
}
function timeOf(msOfDay: number): string {
  const s = Math.floor(msOfDay / 1000);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}`;
}

describe('New York offsets', () => {
  it('is EST in winter and EDT in summer', () => {
    expect(newYorkOffsetMs(Date.parse('2026-01-15T12:00:00Z'))).toBe(EST);
    expect(newYorkOffsetMs(Date.parse('2026-07-15T12:00:00Z'))).toBe(EDT);
  });

  it('changes at 02:00 local on the second Sunday of March and the first Sunday of November', () => {
    expect(newYorkOffsetMs(Date.parse('2026-03-08T06:59:59.999Z'))).toBe(EST);
    expect(newYorkOffsetMs(Date.parse('2026-03-08T07:00:00.000Z'))).toBe(EDT);
    expect(newYorkOffsetMs(Date.parse('2026-11-01T05:59:59.999Z'))).toBe(EDT);
    expect(newYorkOffsetMs(Date.parse('2026-11-01T06:00:00.000Z'))).toBe(EST);
  });

  it('follows the old US rules too (2006: first Sunday of April to last Sunday of October)', () => {
    expect(newYorkOffsetMs(Date.parse('2006-04-02T06:59:59Z'))).toBe(EST);
    expect(newYorkOffsetMs(Date.parse('2006-04-02T07:00:00Z'))).toBe(EDT);
    expect(newYorkOffsetMs(Date.parse('2006-10-29T05:59:59Z'))).toBe(EDT);
    expect(newYorkOffsetMs(Date.parse('2006-10-29T06:00:00Z'))).toBe(EST);
  });

  it('reads every instant from 1900 to 2100 as the time-zone database does', () => {
    const from = Date.UTC(1900, 0, 1);
    const to = Date.UTC(2100, 0, 1);
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), (at) => {
        const wall = newYorkWallClock(at);
        const expected = readInNewYork(at);
        expect(wall.date).toBe(expected.date);
        expect(timeOf(wall.msOfDay)).toBe(expected.time);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads instants before standard time in local mean time, as the database does', () => {
    const at = Date.UTC(1850, 5, 1, 12);
    expect(newYorkOffsetMs(at)).toBe(-(4 * 3600 + 56 * 60 + 2) * 1000);
    expect(timeOf(newYorkWallClock(at).msOfDay)).toBe(readInNewYork(at).time);
  });
});

describe('newYorkWallClock', () => {
  it('gives the New York date, weekday and time of day', () => {
    expect(newYorkWallClock(Date.parse('2026-03-10T14:00:00Z'))).toEqual({
      date: '2026-03-10',
      dayNumber: 20_522,
      weekday: 2,
      msOfDay: 10 * HOUR,
      offsetMs: EDT,
    });
  });

  it('puts late evening New York time on the New York date, not the UTC one', () => {
    const wall = newYorkWallClock(Date.parse('2026-01-14T03:30:00Z'));
    expect(wall.date).toBe('2026-01-13');
    expect(wall.msOfDay).toBe(22.5 * HOUR);
  });

  it('rejects instants that are not finite epoch milliseconds', () => {
    expect(() => newYorkWallClock(Number.NaN)).toThrow(ValidationError);
    expect(() => newYorkWallClock(Number.POSITIVE_INFINITY)).toThrow(
      /at must be an instant in epoch milliseconds.*got Infinity/,
    );
    expect(() => newYorkWallClock('2026-01-01' as unknown as number)).toThrow(/got a value of type string/);
    expect(() => newYorkWallClock(8.64e15)).toThrow(ValidationError);
  });
});

describe('newYorkTimeToEpoch', () => {
  it('converts wall-clock times in EST and EDT', () => {
    expect(newYorkTimeToEpoch('2026-01-13', 9, 30)).toBe(Date.parse('2026-01-13T14:30:00Z'));
    expect(newYorkTimeToEpoch('2026-07-02', 9, 30)).toBe(Date.parse('2026-07-02T13:30:00Z'));
    expect(newYorkTimeToEpoch('2026-07-02', 0)).toBe(Date.parse('2026-07-02T04:00:00Z'));
    expect(newYorkTimeToEpoch('2026-12-31', 23, 59)).toBe(Date.parse('2027-01-01T04:59:00Z'));
  });

  it('converts times on both sides of the change on DST days', () => {
    expect(newYorkTimeToEpoch('2026-03-08', 1, 59)).toBe(Date.parse('2026-03-08T06:59:00Z'));
    expect(newYorkTimeToEpoch('2026-03-08', 3, 0)).toBe(Date.parse('2026-03-08T07:00:00Z'));
    expect(newYorkTimeToEpoch('2026-03-08', 17, 0)).toBe(Date.parse('2026-03-08T21:00:00Z'));
    expect(newYorkTimeToEpoch('2026-11-01', 0, 30)).toBe(Date.parse('2026-11-01T04:30:00Z'));
    expect(newYorkTimeToEpoch('2026-11-01', 2, 0)).toBe(Date.parse('2026-11-01T07:00:00Z'));
    expect(newYorkTimeToEpoch('2026-11-01', 17, 0)).toBe(Date.parse('2026-11-01T22:00:00Z'));
  });

  it('moves a time the spring change skips forward by the gap', () => {
    // 02:30 does not exist on 2026-03-08; like Temporal's 'compatible', it becomes 03:30 EDT.
    expect(newYorkTimeToEpoch('2026-03-08', 2, 30)).toBe(Date.parse('2026-03-08T07:30:00Z'));
  });

  it('takes the first of the two readings of a time the autumn change repeats', () => {
    // 01:30 happens twice on 2026-11-01: 05:30Z (EDT) and 06:30Z (EST).
    expect(newYorkTimeToEpoch('2026-11-01', 1, 30)).toBe(Date.parse('2026-11-01T05:30:00Z'));
  });

  it('reads back as the same wall-clock time for any date and time outside the spring gap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 365 * 80 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        (offsetDays, hour, minute) => {
          const date = new Date(Date.UTC(1990, 0, 1) + offsetDays * 86_400_000).toISOString().slice(0, 10);
          const at = newYorkTimeToEpoch(date, hour, minute);
          const read = readInNewYork(at);
          if (hour === 2 && read.time.startsWith('03:')) return; // a skipped time, moved forward
          expect(read).toEqual({
            date,
            time: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`,
          });
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('rejects bad dates and out-of-range times', () => {
    expect(() => newYorkTimeToEpoch('2026-02-30', 9, 30)).toThrow(ValidationError);
    expect(() => newYorkTimeToEpoch('2026-02-03', 24, 0)).toThrow(/hour 0–23 and a minute 0–59, got 24:0/);
    expect(() => newYorkTimeToEpoch('2026-02-03', 9, 60)).toThrow(ValidationError);
    expect(() => newYorkTimeToEpoch('2026-02-03', 9.5)).toThrow(ValidationError);
  });
});
