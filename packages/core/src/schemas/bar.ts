import { z } from 'zod';
import { SymbolSchema } from './symbol.js';

/** Bar intervals Stockade understands. Providers state which of them they serve. */
export const Interval = z.enum(['1m', '5m', '15m', '30m', '1h', '1d', '1w', '1mo']);
/** See {@link Interval}. */
export type Interval = z.infer<typeof Interval>;

/** Length of an intraday interval in ms; daily and longer have no fixed length. */
export const INTERVAL_MS: Readonly<Partial<Record<Interval, number>>> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
};

/**
 * How a series' prices were adjusted. Stated by the provider adapter, never guessed, so that one
 * answer never mixes adjustments.
 * - `raw`: as traded.
 * - `split`: adjusted for splits only.
 * - `split_dividend`: adjusted for splits and dividends.
 */
export const Adjustment = z.enum(['raw', 'split', 'split_dividend']);
/** See {@link Adjustment}. */
export type Adjustment = z.infer<typeof Adjustment>;

const price = z.number().finite().nonnegative();
const DateString = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** One OHLC bar. */
export const Bar = z
  .object({
    /** Interval start, epoch ms UTC. */
    t: z.number().int(),
    /** The trading session the bar belongs to, `YYYY-MM-DD` in the exchange's time zone (UTC for crypto). */
    sessionDate: DateString,
    /** Open. */
    o: price,
    /** High. */
    h: price,
    /** Low. */
    l: price,
    /** Close. */
    c: price,
    /** Volume; absent for indices. Fractional for crypto. */
    v: z.number().finite().nonnegative().optional(),
    /** Volume-weighted average price, when the provider sends it. */
    vwap: price.optional(),
    /** Number of trades, when the provider sends it. */
    trades: z.number().int().nonnegative().optional(),
    /** Close adjusted for splits and dividends (Yahoo's `adjclose`), alongside the series' own adjustment. */
    adjClose: price.optional(),
  })
  .refine((b) => b.h >= b.l, { message: 'high must be at least low', path: ['h'] });
/** See {@link Bar}. */
export type Bar = z.infer<typeof Bar>;

/** A stock split, e.g. 4-for-1 is `{ numerator: 4, denominator: 1 }`. */
export const Split = z.object({
  /** Effective date, epoch ms UTC. */
  t: z.number().int(),
  /** New shares. */
  numerator: z.number().positive(),
  /** Old shares. */
  denominator: z.number().positive(),
});
/** See {@link Split}. */
export type Split = z.infer<typeof Split>;

/** A cash dividend. */
export const Dividend = z.object({
  /** Ex-date, epoch ms UTC. */
  t: z.number().int(),
  /** Amount per share. */
  amount: z.number().finite().nonnegative(),
  /** Currency, when known. */
  currency: z.string().optional(),
});
/** See {@link Dividend}. */
export type Dividend = z.infer<typeof Dividend>;

/** A run of bars of one symbol and interval, from one provider, with one adjustment. */
export const BarSeries = z.object({
  /** Canonical symbol. */
  symbol: SymbolSchema,
  /** Bar interval. */
  interval: Interval,
  /** Bars in ascending `t`, no duplicates. */
  bars: z.array(Bar),
  /** Provider that served it. */
  provider: z.string().min(1),
  /** How prices are adjusted. */
  adjustment: Adjustment,
  /** Splits inside the range. */
  splits: z.array(Split),
  /** Dividends inside the range. */
  dividends: z.array(Dividend),
  /** A provider's page cap cut the series short: never cache it as complete. */
  truncated: z.boolean(),
  /** The provider's plan delays this data. */
  delayed: z.boolean().optional(),
  /** Currency of the prices, when known. */
  currency: z.string().optional(),
});
/** See {@link BarSeries}. */
export type BarSeries = z.infer<typeof BarSeries>;
