import { z } from 'zod';

// Loose objects throughout: Yahoo adds fields often, and an added field must never break parsing
// (yahoo-finance2's most common complaint). Only the fields read are checked, strictly.

const nullableNumbers = z.array(z.number().nullable());

const TradingPeriod = z.looseObject({ start: z.number(), end: z.number() });

/** `chart.result[].meta`: the fields bars and quotes read. */
export const ChartMeta = z.looseObject({
  symbol: z.string(),
  currency: z.string().nullable().optional(),
  exchangeName: z.string().optional(),
  instrumentType: z.string().optional(),
  exchangeTimezoneName: z.string().optional(),
  regularMarketPrice: z.number().optional(),
  regularMarketTime: z.number().optional(),
  regularMarketDayHigh: z.number().optional(),
  regularMarketDayLow: z.number().optional(),
  regularMarketVolume: z.number().optional(),
  chartPreviousClose: z.number().optional(),
  previousClose: z.number().optional(),
  currentTradingPeriod: z
    .looseObject({ pre: TradingPeriod.optional(), regular: TradingPeriod.optional(), post: TradingPeriod.optional() })
    .optional(),
});
/** See {@link ChartMeta}. */
export type ChartMeta = z.infer<typeof ChartMeta>;

/** The meta fields a quote cannot do without. */
export const ChartQuoteMeta = ChartMeta.extend({ regularMarketPrice: z.number(), regularMarketTime: z.number() });

/**
 * One `chart.result[]` entry. An empty range has no `timestamp` and `indicators.quote: [{}]`;
 * otherwise every OHLC array must be there, one entry per stamp (entries may be `null`), so that a
 * renamed array is a schema error rather than a silently empty series.
 */
export const ChartResult = z
  .looseObject({
    meta: ChartMeta,
    timestamp: z.array(z.number()).optional(),
    events: z
      .looseObject({
        splits: z
          .record(z.string(), z.looseObject({ date: z.number(), numerator: z.number(), denominator: z.number() }))
          .optional(),
        dividends: z.record(z.string(), z.looseObject({ date: z.number(), amount: z.number() })).optional(),
      })
      .optional(),
    indicators: z.looseObject({
      quote: z.array(
        z.looseObject({
          open: nullableNumbers.optional(),
          high: nullableNumbers.optional(),
          low: nullableNumbers.optional(),
          close: nullableNumbers.optional(),
          volume: nullableNumbers.optional(),
        }),
      ),
      adjclose: z.array(z.looseObject({ adjclose: nullableNumbers.optional() })).optional(),
    }),
  })
  .superRefine((result, ctx) => {
    const stamps = result.timestamp?.length ?? 0;
    if (stamps === 0) return;
    const quote = result.indicators.quote[0];
    for (const field of ['open', 'high', 'low', 'close'] as const) {
      const values = quote?.[field];
      if (values === undefined || values.length !== stamps) {
        ctx.addIssue({
          code: 'custom',
          path: ['indicators', 'quote', 0, field],
          message:
            values === undefined
              ? `missing, while there are ${stamps} timestamps`
              : `has ${values.length} entries for ${stamps} timestamps`,
        });
      }
    }
  });
/** See {@link ChartResult}. */
export type ChartResult = z.infer<typeof ChartResult>;

/** Yahoo's error object, in whichever envelope it comes. */
export const YahooErrorObject = z.looseObject({ code: z.string().optional(), description: z.string().optional() });

/** `GET /v8/finance/chart/{symbol}`. */
export const ChartResponse = z.looseObject({
  chart: z.looseObject({
    result: z.array(ChartResult).nullable().optional(),
    error: YahooErrorObject.nullable().optional(),
  }),
});

/** One `quoteResponse.result[]` entry of `GET /v7/finance/quote`. */
export const QuoteItem = z.looseObject({
  symbol: z.string(),
  regularMarketPrice: z.number(),
  regularMarketTime: z.number(),
  currency: z.string().optional(),
  exchange: z.string().optional(),
  marketState: z.string().optional(),
  bid: z.number().optional(),
  ask: z.number().optional(),
  bidSize: z.number().optional(),
  askSize: z.number().optional(),
  regularMarketOpen: z.number().optional(),
  regularMarketDayHigh: z.number().optional(),
  regularMarketDayLow: z.number().optional(),
  regularMarketVolume: z.number().optional(),
  regularMarketPreviousClose: z.number().optional(),
  exchangeDataDelayedBy: z.number().optional(),
});
/** See {@link QuoteItem}. */
export type QuoteItem = z.infer<typeof QuoteItem>;

/** `GET /v7/finance/quote`: items are validated one by one, so one odd symbol fails alone. */
export const QuoteResponse = z.looseObject({
  quoteResponse: z.looseObject({
    result: z.array(z.looseObject({ symbol: z.string() })).nullable(),
    error: YahooErrorObject.nullable().optional(),
  }),
});
