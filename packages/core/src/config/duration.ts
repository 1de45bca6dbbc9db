import { z } from 'zod';
import { ValidationError } from '../errors/index.js';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/** What {@link parseDuration} accepts, in words; used in error hints. */
export const DURATION_HINT =
  "use a number of milliseconds (5000) or a string with a unit: '250ms', '5s', '2m', '1h', '1d'";

/**
 * Reads a duration written as milliseconds (`5000`, `'5000'`) or as a number and a unit
 * (`'250ms'`, `'5s'`, `'2m'`, `'1h'`, `'1d'`; decimals such as `'1.5s'` allowed) and returns
 * whole milliseconds. Negative, non-finite and unit-less fractional inputs are rejected.
 *
 * @throws {ValidationError} when the input is not a duration.
 * @example
 * parseDuration('2m') // → 120_000
 * parseDuration(250)  // → 250
 */
export function parseDuration(input: number | string): number {
  const ms = tryParseDuration(input);
  if (ms === undefined) {
    const found = typeof input === 'number' ? String(input) : JSON.stringify(input.slice(0, 40));
    throw new ValidationError(`Not a duration: ${found}; ${DURATION_HINT}`, [
      { path: '', message: `expected a non-negative duration; ${DURATION_HINT}` },
    ]);
  }
  return ms;
}

function tryParseDuration(input: unknown): number | undefined {
  if (typeof input === 'number') {
    return Number.isFinite(input) && input >= 0 ? Math.round(input) : undefined;
  }
  if (typeof input !== 'string') return undefined;
  if (/^\s*\d+\s*$/.test(input)) return Number(input);
  const match = DURATION_PATTERN.exec(input);
  if (match === null) return undefined;
  const unit = UNIT_MS[match[2] as string] as number;
  return Math.round(Number(match[1]) * unit);
}

/**
 * A zod schema for a duration: a non-negative number of milliseconds or a string such as
 * `'5s'`; parses to milliseconds. Config fields ending in `Ms` use it, so a file may say
 * `"timeoutMs": "5s"`.
 *
 * @example
 * Duration.parse('1h') // → 3_600_000
 */
export const Duration = z.union([z.number(), z.string()]).transform((value, ctx): number => {
  const ms = tryParseDuration(value);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message:
        typeof value === 'number' ? 'must be a non-negative, finite number of milliseconds' : 'is not a duration',
      params: { duration: true },
    });
    return z.NEVER;
  }
  return ms;
});

/** A {@link Duration} that must be greater than zero (timeouts, windows). */
export const PositiveDuration = Duration.refine((ms) => ms > 0, {
  message: 'must be greater than zero',
  params: { duration: true },
});
