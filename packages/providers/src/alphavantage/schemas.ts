import { z } from 'zod';

// Alpha Vantage sends every number as a string ("112.1300", "-0.5852%"); these parse them.

/** A decimal string, e.g. `"112.1300"`, as a number. */
export const DecimalString = z
  .string()
  .trim()
  .regex(/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i, 'expected a decimal number as a string')
  .transform(Number);

/** `"--"` or `""` (no value) as `undefined`, else a decimal string. */
export const OptionalDecimalString = z
  .union([z.literal('--'), z.literal('-'), z.literal(''), DecimalString])
  .transform((v) => (typeof v === 'number' ? v : undefined));

/** `GLOBAL_QUOTE`'s `"Global Quote"` object, numbered keys and all. */
export const GlobalQuote = z.looseObject({
  '01. symbol': z.string(),
  '02. open': DecimalString,
  '03. high': DecimalString,
  '04. low': DecimalString,
  '05. price': DecimalString,
  '06. volume': OptionalDecimalString.optional(),
  '07. latest trading day': z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD'),
  '08. previous close': DecimalString,
});
/** See {@link GlobalQuote}. */
export type GlobalQuote = z.infer<typeof GlobalQuote>;

/** `GLOBAL_QUOTE` response; an unknown symbol answers `{"Global Quote": {}}`. */
export const GlobalQuoteResponse = z.looseObject({ 'Global Quote': z.record(z.string(), z.unknown()) });

/** `CURRENCY_EXCHANGE_RATE`'s `"Realtime Currency Exchange Rate"` object. */
export const ExchangeRate = z.looseObject({
  '1. From_Currency Code': z.string(),
  '3. To_Currency Code': z.string(),
  '5. Exchange Rate': DecimalString,
  '6. Last Refreshed': z.string(),
  '7. Time Zone': z.string().optional(),
  '8. Bid Price': OptionalDecimalString.optional(),
  '9. Ask Price': OptionalDecimalString.optional(),
});
/** See {@link ExchangeRate}. */
export type ExchangeRate = z.infer<typeof ExchangeRate>;

/** `CURRENCY_EXCHANGE_RATE` response. */
export const ExchangeRateResponse = z.looseObject({ 'Realtime Currency Exchange Rate': ExchangeRate });

/** `"Meta Data"` of every time series; the time-zone key's number differs per function. */
export const SeriesMeta = z.record(z.string(), z.string());

/**
 * One time-series entry. Equity series key prices `"1. open"`; `DIGITAL_CURRENCY_DAILY` used
 * `"1a. open (USD)"` before 2024 and `"1. open"` since, so both are read.
 */
export const SeriesEntry = z.record(z.string(), z.string());
