import { type ActivityModel, MINUTES } from './minute-activity.js';
import { HALF_NORMAL_TABLE, inverseNormal, NORMAL_TABLE } from './normal-table.js';
import { createRandom } from './prng.js';

/** One UTC day of minute points of a path. */
export interface MinuteBlock {
  /** 1441 points: the price at the start of each minute, and at the next midnight. */
  price: Float64Array;
  /** Factor from max(open, close) up to the minute's high. */
  hiExt: Float32Array;
  /** Factor from min(open, close) down to the minute's low. */
  loExt: Float32Array;
  /** Volume of each minute. */
  volume: Float32Array;
  /** Trading state of each minute (0 closed, 1 extended, 2 regular). */
  state: Uint8Array;
}

/** A new, empty block. */
export function emptyBlock(): MinuteBlock {
  return {
    price: new Float64Array(MINUTES + 1),
    hiExt: new Float32Array(MINUTES),
    loExt: new Float32Array(MINUTES),
    volume: new Float32Array(MINUTES),
    state: new Uint8Array(MINUTES),
  };
}

// Paths are generated one day at a time on one thread, so the working arrays can be shared.
const SCRATCH_WEIGHT = new Float64Array(MINUTES);
const SCRATCH_WALK = new Float64Array(MINUTES + 1);
const SCRATCH_CUM = new Float64Array(MINUTES + 1);
const LOGNORMAL = new Float64Array(1024);
for (let i = 0; i < LOGNORMAL.length; i++)
  LOGNORMAL[i] = Math.exp(0.45 * inverseNormal((i + 0.5) / LOGNORMAL.length) - 0.1);

/** What one day's generation needs. */
export interface BlockInput {
  /** Seed parts (simulator seed, symbol, day). */
  seedParts: ReadonlyArray<string | number>;
  /** UTC day. */
  day: number;
  /** Log price at the day's midnight and at the next. */
  from: number;
  to: number;
  /** Volatility regime multiplier. */
  regime: number;
  /** Variance of the log price per unit of activity. */
  varPerWeight: number;
  /** Volume of a typical trading day. */
  dailyVolume: number;
  /** The venue's activity model. */
  activity: ActivityModel;
}

/**
 * Generates a day of minutes into `into`: a random walk whose variance follows the activity of
 * each minute, bridged (on the activity clock) to end exactly on the next midnight's anchor, with
 * highs, lows and volumes. Draws come from 4096-entry quantile tables, two 32-bit draws a minute.
 */
export function generateBlock(input: BlockInput, into: MinuteBlock): MinuteBlock {
  const { state, price, hiExt, loExt, volume } = into;
  const weight = SCRATCH_WEIGHT;
  const walk = SCRATCH_WALK;
  const cumWeight = SCRATCH_CUM;
  input.activity.layout(input.day, state, weight);
  const bits = createRandom(...input.seedParts).uint32;
  const volumePerWeight = (input.dailyVolume / input.activity.typicalWeight) * Math.sqrt(input.regime);
  const sdPerRootWeight = Math.sqrt(input.varPerWeight) * input.regime;
  walk[0] = 0;
  cumWeight[0] = 0;
  for (let m = 0; m < MINUTES; m++) {
    const w = weight[m] as number;
    const sd = Math.sqrt(w) * sdPerRootWeight;
    walk[m + 1] = (walk[m] as number) + sd * (NORMAL_TABLE[bits() & 4095] as number);
    cumWeight[m + 1] = (cumWeight[m] as number) + w;
    // One 32-bit draw feeds the high, the low and the volume: ten bits each. The high and low
    // reach about half a minute's deviation beyond the open and close (1 + x ≈ e^x at this size).
    const r = bits();
    hiExt[m] = 1 + (HALF_NORMAL_TABLE[r & 1023] as number) * sd * 0.5;
    loExt[m] = 1 - (HALF_NORMAL_TABLE[(r >>> 10) & 1023] as number) * sd * 0.5;
    volume[m] = state[m] === 0 ? 0 : volumePerWeight * w * (LOGNORMAL[(r >>> 20) & 1023] as number);
  }
  // Brownian bridge on the activity clock: the day ends exactly on the next anchor.
  const totalWeight = cumWeight[MINUTES] as number;
  const gap = (walk[MINUTES] as number) - (input.to - input.from);
  for (let m = 0; m <= MINUTES; m++) {
    price[m] = Math.exp(input.from + (walk[m] as number) - ((cumWeight[m] as number) / totalWeight) * gap);
  }
  return into;
}
