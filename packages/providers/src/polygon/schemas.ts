import { z } from 'zod';

// Loose objects: Massive adds fields (`dv`, `ds`, `dav`, `decimal_size`) and both add more over
// time; only the fields read are checked.

/** One aggregate bar. Index bars have no `v`, `vw` or `n`; crypto `v` is fractional. */
export const Agg = z.looseObject({
  o: z.number(),
  h: z.number(),
  l: z.number(),
  c: z.number(),
  t: z.number(),
  v: z.number().optional(),
  vw: z.number().optional(),
  n: z.number().optional(),
});
/** See {@link Agg}. */
export type Agg = z.infer<typeof Agg>;

/** `GET /v2/aggs/ticker/{ticker}/range/…` and `/prev`. `results` may be missing, `null` or `[]`. */
export const AggsResponse = z.looseObject({
  status: z.string().optional(),
  request_id: z.string().optional(),
  adjusted: z.boolean().optional(),
  results: z.array(Agg).nullable().optional(),
  next_url: z.string().optional(),
});

const DayAgg = z.looseObject({
  o: z.number().optional(),
  h: z.number().optional(),
  l: z.number().optional(),
  c: z.number().optional(),
  v: z.number().optional(),
});

/** One ticker of a v2 snapshot (stocks, crypto or forex). */
export const SnapshotTicker = z.looseObject({
  ticker: z.string(),
  day: DayAgg.optional(),
  min: DayAgg.extend({ t: z.number().optional() }).optional(),
  prevDay: DayAgg.optional(),
  // Stocks quote with p/P (bid/ask price) and s/S (sizes); forex with b/a.
  lastQuote: z
    .looseObject({
      p: z.number().optional(),
      P: z.number().optional(),
      s: z.number().optional(),
      S: z.number().optional(),
      b: z.number().optional(),
      a: z.number().optional(),
      t: z.number().optional(),
    })
    .optional(),
  lastTrade: z.looseObject({ p: z.number(), s: z.number().optional(), t: z.number().optional() }).optional(),
  updated: z.number().optional(),
});
/** See {@link SnapshotTicker}. */
export type SnapshotTicker = z.infer<typeof SnapshotTicker>;

/** `GET /v2/snapshot/locale/…/tickers?tickers=…`: items are validated one by one. */
export const SnapshotTickersResponse = z.looseObject({
  status: z.string().optional(),
  tickers: z
    .array(z.looseObject({ ticker: z.string() }))
    .nullable()
    .optional(),
});

/** `GET /v2/snapshot/locale/…/tickers/{ticker}`. */
export const SnapshotTickerResponse = z.looseObject({
  status: z.string().optional(),
  ticker: z.looseObject({ ticker: z.string() }),
});

/** One result of `GET /v3/snapshot/indices`. */
export const IndexSnapshot = z.looseObject({
  ticker: z.string(),
  value: z.number(),
  last_updated: z.number().optional(),
  timeframe: z.string().optional(),
  session: z
    .looseObject({
      open: z.number().optional(),
      high: z.number().optional(),
      low: z.number().optional(),
      previous_close: z.number().optional(),
    })
    .optional(),
});
/** See {@link IndexSnapshot}. */
export type IndexSnapshot = z.infer<typeof IndexSnapshot>;

/** `GET /v3/snapshot/indices?ticker.any_of=…`; an unknown ticker comes back with `error`/`message` and no value. */
export const IndexSnapshotResponse = z.looseObject({
  status: z.string().optional(),
  results: z
    .array(z.looseObject({ ticker: z.string() }))
    .nullable()
    .optional(),
});

/** Polygon's error body: the text is in `error` (401, 429) or `message` (403 NOT_AUTHORIZED). */
export const ErrorBody = z.looseObject({
  status: z.string().optional(),
  request_id: z.string().optional(),
  error: z.string().optional(),
  message: z.string().optional(),
});
