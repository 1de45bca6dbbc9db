import { describe, expect, it } from 'vitest';
import { dateInZone, toEpochMs, wallTimeToEpoch } from './time-zone.js';

describe('time zones', () => {
  it('gives the exchange-local date of an instant', () => {
    // 2023-02-22T06:00Z is 01:00 in New York, still the 22nd; 03:00Z on the 23rd is the 22nd there.
    expect(dateInZone(Date.parse('2023-02-22T06:00:00Z'), 'America/New_York')).toBe('2023-02-22');
    expect(dateInZone(Date.parse('2023-02-23T03:00:00Z'), 'America/New_York')).toBe('2023-02-22');
    expect(dateInZone(Date.parse('2023-08-03T22:30:00Z'), 'Europe/Berlin')).toBe('2023-08-04');
  });

  it('falls back to UTC for an unknown zone', () => {
    expect(dateInZone(Date.parse('2023-02-23T03:00:00Z'), 'Mars/Olympus')).toBe('2023-02-23');
  });

  it('turns a New York wall time into an instant on both sides of DST', () => {
    expect(wallTimeToEpoch('2017-08-11 16:00:00', 'US/Eastern')).toBe(Date.parse('2017-08-11T20:00:00Z'));
    expect(wallTimeToEpoch('2017-12-18 14:56:00', 'America/New_York')).toBe(Date.parse('2017-12-18T19:56:00Z'));
    expect(wallTimeToEpoch('2024-03-10 03:30', 'America/New_York')).toBe(Date.parse('2024-03-10T07:30:00Z'));
    expect(wallTimeToEpoch('2017-08-11', 'America/New_York')).toBe(Date.parse('2017-08-11T04:00:00Z'));
    expect(wallTimeToEpoch('not a date', 'UTC')).toBeUndefined();
  });

  it('reads seconds, ms, µs and ns timestamps as ms', () => {
    expect(toEpochMs(1651251948)).toBe(1651251948000);
    expect(toEpochMs(1651251948294)).toBe(1651251948294);
    expect(toEpochMs(1651251948294080)).toBe(1651251948294);
    // As JSON.parse reads Polygon's nanosecond stamps: beyond 2^53, so already rounded.
    expect(toEpochMs(Number('1651251948294080343'))).toBe(1651251948294);
  });
});
