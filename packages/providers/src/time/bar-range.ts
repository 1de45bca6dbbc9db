import { ProviderError } from '@stockade/core';
import type { DateBound } from '../provider.js';

const MS_PER_DAY = 86_400_000;

/** A bar request's range, resolved. */
export interface BarRange {
  /** First instant, epoch ms (a date starts at 00:00 UTC). */
  fromMs: number;
  /** End of the range, exclusive, epoch ms (a date ends at the next 00:00 UTC). */
  toMs: number;
  /** `from` as `YYYY-MM-DD` (UTC) or epoch ms, the way providers that take either want it. */
  from: string | number;
  /** `to` likewise. */
  to: string | number;
}

function dateMs(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const t = Date.parse(`${text}T00:00:00Z`);
  // Date.parse rolls 2023-02-30 over; a date that does not round-trip is not a date.
  return Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== text ? undefined : t;
}

function bound(value: DateBound, name: string, provider: string): { ms: number; isDate: boolean } {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0)
    return { ms: Math.floor(value), isDate: false };
  if (typeof value === 'string') {
    const ms = dateMs(value);
    if (ms !== undefined) return { ms, isDate: true };
  }
  throw new ProviderError(
    `bars: ${name} must be epoch milliseconds or a 'YYYY-MM-DD' date, got ${JSON.stringify(value)}`,
    {
      provider,
      kind: 'bad_request',
      operation: 'bars',
    },
  );
}

/**
 * Resolves the `from`/`to` of a bar request. Dates are whole UTC days, `to` included.
 *
 * @throws {ProviderError} kind `bad_request` when a bound is malformed or `from` is after `to`.
 */
export function resolveBarRange(from: DateBound, to: DateBound, provider: string): BarRange {
  const f = bound(from, 'from', provider);
  const t = bound(to, 'to', provider);
  const toMs = t.isDate ? t.ms + MS_PER_DAY : t.ms + 1;
  if (f.ms >= toMs) {
    throw new ProviderError(`bars: from (${String(from)}) is after to (${String(to)})`, {
      provider,
      kind: 'bad_request',
      operation: 'bars',
    });
  }
  return { fromMs: f.ms, toMs, from: f.isDate ? (from as string) : f.ms, to: t.isDate ? (to as string) : t.ms };
}
