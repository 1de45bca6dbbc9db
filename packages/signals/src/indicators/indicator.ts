import { ValidationError } from '@stockade/core';

/**
 * A streaming indicator: one `update()` per input, O(1) work and no allocation per update.
 *
 * Conventions follow TA-Lib's defaults ("classic" compatibility): `update()` returns `null` until
 * exactly `lookback` inputs have been seen before the current one, i.e. the first non-null output
 * is at input index `lookback` (0-based), the same index as TA-Lib's `TA_*_Lookback()`.
 *
 * Indicators with several outputs (MACD, Bollinger bands, stochastics, Donchian channel) return
 * one result object that belongs to the indicator and is overwritten by the next `update()`: copy
 * the fields you want to keep. Single-output indicators also expose `current`: the value as a plain
 * number (`NaN` before `isReady`), which never allocates, whereas V8 may box the `number | null`
 * that `update()` returns when the caller keeps it.
 */
export interface Indicator<Input, Output> {
  /** Index (0-based) of the first input that produces an output: TA-Lib's `*_Lookback`. */
  readonly lookback: number;
  /** Whether the last `update()` produced a value. */
  readonly isReady: boolean;
  /** The current value, or `null` before `isReady`. */
  readonly value: Output | null;
  /** Inputs seen since construction or the last `reset()`. */
  readonly count: number;
  /** Feeds one input; returns the new value, or `null` during warm-up. */
  update(input: Input): Output | null;
  /** Forgets every input, keeping the parameters and the buffers. */
  reset(): void;
}

/**
 * The fields of a bar that the high/low/close indicators read. Stockade's `Bar` (from
 * `@stockade/core`) fits it, and so does any `{ h, l, c }` object.
 */
export interface HighLowClose {
  /** High. */
  h: number;
  /** Low. */
  l: number;
  /** Close. */
  c: number;
}

/** A bar with volume, as OBV and VWAP read it; a missing volume counts as 0. */
export interface HighLowCloseVolume extends HighLowClose {
  /** Volume. */
  v?: number;
}

/**
 * Throws a `ValidationError` unless `period` is an integer of at least `min`.
 * Indicators validate their parameters once, at construction; never in `update()`.
 */
export function checkPeriod(indicator: string, name: string, period: number, min = 1): void {
  if (!Number.isInteger(period) || period < min || period > 1_000_000) {
    throw new ValidationError(
      `${indicator}: ${name} must be an integer from ${min} to 1000000, got ${String(period)}`,
      [{ path: name, message: `expected an integer ≥ ${min}` }],
    );
  }
}

/** Throws a `ValidationError` unless `value` is a finite number above 0. */
export function checkPositive(indicator: string, name: string, value: number): void {
  if (!(value > 0 && Number.isFinite(value))) {
    throw new ValidationError(`${indicator}: ${name} must be a positive finite number, got ${String(value)}`, [
      { path: name, message: 'expected a positive finite number' },
    ]);
  }
}

/**
 * Throws a `ValidationError` for a NaN or infinite input. A single NaN would otherwise
 * poison a running sum or an EMA for every later update, silently.
 */
export function rejectNonFinite(indicator: string, field: string, value: number): never {
  throw new ValidationError(
    `${indicator}: ${field} must be a finite number, got ${String(value)} — drop or repair the bar before feeding it`,
    [{ path: field, message: 'expected a finite number' }],
  );
}
