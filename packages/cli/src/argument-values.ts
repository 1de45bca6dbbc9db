import { normalizeSymbol, StockadeError } from '@stockade/core';
import { UsageError } from './usage-error.js';

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Canonical symbols from positionals (`AAPL msft`, or `AAPL,MSFT`), duplicates dropped.
 *
 * @throws {UsageError} naming the first symbol that does not follow the symbol grammar.
 */
export function symbolsArgument(command: string, raw: readonly string[]): string[] {
  const out: string[] = [];
  for (const item of raw.flatMap((r) => r.split(','))) {
    if (item.trim() === '') continue;
    try {
      const symbol = normalizeSymbol(item.trim());
      if (!out.includes(symbol)) out.push(symbol);
    } catch (err) {
      throw new UsageError(err instanceof StockadeError ? err.message : `invalid symbol ${item}`, command, 'symbol');
    }
  }
  if (out.length === 0) throw new UsageError(`${command} needs at least one symbol, e.g. AAPL`, command, 'symbol');
  return out;
}

/**
 * A calendar date given as `YYYY-MM-DD`.
 *
 * @throws {UsageError} when it is not one (`2026-02-30` is not).
 */
export function dateArgument(command: string, flag: string, value: string): string {
  const m = DATE.exec(value);
  const valid =
    m !== null && new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))).toISOString().slice(0, 10) === value;
  if (!valid)
    throw new UsageError(`--${flag} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`, command, flag);
  return value;
}

/** The UTC date (`YYYY-MM-DD`) of an instant: what "today" means for default ranges. */
export function dateOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The date `days` calendar days before `date` (`YYYY-MM-DD`). */
export function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * One of `choices`.
 *
 * @throws {UsageError} listing the choices.
 */
export function choiceArgument<T extends string>(
  command: string,
  flag: string,
  value: string,
  choices: readonly T[],
): T {
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`, command, flag);
}

/** Limits of {@link numberArgument}. */
export interface NumberRule {
  /** Smallest accepted. @default -Infinity */
  min?: number;
  /** Largest accepted. @default Infinity */
  max?: number;
  /** Whole numbers only. @default false */
  integer?: boolean;
}

/**
 * A number within `rule`.
 *
 * @throws {UsageError} saying what was expected.
 */
export function numberArgument(command: string, flag: string, value: string, rule: NumberRule = {}): number {
  const n = value.trim() === '' ? Number.NaN : Number(value);
  const min = rule.min ?? Number.NEGATIVE_INFINITY;
  const max = rule.max ?? Number.POSITIVE_INFINITY;
  if (!Number.isFinite(n) || n < min || n > max || (rule.integer && !Number.isInteger(n))) {
    const kind = rule.integer ? 'a whole number' : 'a number';
    const range =
      Number.isFinite(min) && Number.isFinite(max)
        ? ` from ${min} to ${max}`
        : Number.isFinite(min)
          ? ` of at least ${min}`
          : Number.isFinite(max)
            ? ` of at most ${max}`
            : '';
    throw new UsageError(`--${flag} must be ${kind}${range}, got ${JSON.stringify(value)}`, command, flag);
  }
  return n;
}

/** A comma-separated list, trimmed, empty items dropped. */
export function listArgument(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
