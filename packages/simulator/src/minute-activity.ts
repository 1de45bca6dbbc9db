import type { SessionSchedule } from './sessions.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
/** Minutes in a UTC day. */
export const MINUTES = 1440;
// Relative activity (variance and volume share) of a minute by trading state.
const CLOSED_WEIGHT = 0.02;
const EXTENDED_WEIGHT = 0.12;
// The U shape adds about 54 minutes' worth of activity to a 390-minute session.
const U_SHAPE_EXTRA = 54;

/** Trading state of a minute: 0 closed, 1 extended hours, 2 regular session. */
export type MinuteState = 0 | 1 | 2;

/** How active an instrument's minutes are: the same for every symbol of a venue. */
export interface ActivityModel {
  /** Whether the regular session is U-shaped (busy after the open and before the close). */
  readonly shaped: boolean;
  /** Whether the instrument never closes (crypto). */
  readonly roundTheClock: boolean;
  /** The total activity of a typical trading day: the unit that volatility and volume are spread over. */
  readonly typicalWeight: number;
  /** Writes the state and activity of each minute of a UTC day. */
  layout(day: number, state: Uint8Array, weight: Float64Array): void;
  /** The total activity of a UTC day (cached; symbols of one venue share the cache). */
  dayWeight(day: number): number;
}

const uShapes = new Map<number, Float64Array>();
/** Activity across a regular session of `minutes`: busy after the open and before the close. */
function uShape(minutes: number): Float64Array {
  let shape = uShapes.get(minutes);
  if (shape === undefined) {
    shape = new Float64Array(minutes);
    for (let m = 0; m < minutes; m++) shape[m] = 1 + 1.2 * Math.exp(-m / 30) + 0.6 * Math.exp(-(minutes - 1 - m) / 30);
    uShapes.set(minutes, shape);
  }
  return shape;
}

const weightCaches = new WeakMap<SessionSchedule, Map<number, number>>();

/**
 * The activity model of a venue's schedule: crypto trades evenly round the clock; fx evenly while
 * open; equities and indices in a U-shaped regular session, quietly in extended hours and barely
 * when closed (so news can still move an opening price).
 */
export function activityModelOf(schedule: SessionSchedule): ActivityModel {
  const roundTheClock = schedule.venue === 'crypto';
  const shaped = !roundTheClock && schedule.venue !== 'fx';
  const typicalWeight = shaped
    ? 390 + U_SHAPE_EXTRA + (schedule.extendedHours ? 570 * EXTENDED_WEIGHT : 0) + 480 * CLOSED_WEIGHT
    : MINUTES;
  let cache = weightCaches.get(schedule);
  if (cache === undefined) {
    cache = new Map();
    weightCaches.set(schedule, cache);
  }
  const weights = cache;

  function computeDayWeight(day: number): number {
    if (roundTheClock) return MINUTES;
    const start = day * DAY_MS;
    const end = start + DAY_MS;
    let regular = 0;
    let extended = 0;
    for (const s of schedule.between(start, end)) {
      const reg = Math.max(0, Math.min(end, s.close) - Math.max(start, s.open)) / MINUTE_MS;
      const all = Math.max(0, Math.min(end, s.postClose) - Math.max(start, s.preOpen)) / MINUTE_MS;
      regular += reg;
      extended += all - reg;
    }
    const closed = MINUTES - regular - extended;
    return regular * (shaped ? 1 + U_SHAPE_EXTRA / 390 : 1) + extended * EXTENDED_WEIGHT + closed * CLOSED_WEIGHT;
  }

  return {
    shaped,
    roundTheClock,
    typicalWeight,
    layout(day, state, weight) {
      const start = day * DAY_MS;
      state.fill(0);
      weight.fill(roundTheClock ? 1 : CLOSED_WEIGHT);
      const minuteOf = (t: number) => Math.min(MINUTES, Math.max(0, Math.round((t - start) / MINUTE_MS)));
      for (const s of schedule.between(start, start + DAY_MS)) {
        for (let m = minuteOf(s.preOpen), end = minuteOf(s.postClose); m < end; m++) {
          state[m] = 1;
          weight[m] = EXTENDED_WEIGHT;
        }
        const shape = shaped ? uShape(Math.round((s.close - s.open) / MINUTE_MS)) : null;
        const offset = Math.round((s.open - start) / MINUTE_MS);
        for (let m = minuteOf(s.open), end = minuteOf(s.close); m < end; m++) {
          state[m] = 2;
          weight[m] = shape === null ? 1 : (shape[m - offset] as number);
        }
      }
    },
    dayWeight(day) {
      let w = weights.get(day);
      if (w === undefined) {
        w = computeDayWeight(day);
        weights.set(day, w);
      }
      return w;
    },
  };
}
