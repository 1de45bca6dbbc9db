export { type CivilDate, parseCivilDate, type Weekday } from './civil-date.js';
export * from './market-calendar.js';
export * from './market-session.js';
export * from './market-venue.js';
export {
  NEW_YORK_TIME_ZONE,
  type NewYorkWallClock,
  newYorkOffsetMs,
  newYorkTimeToEpoch,
  newYorkWallClock,
} from './new-york-time.js';
export * from './nyse-holidays.js';
