import type { ProviderErrorKind } from '@stockade/core';
import { dateInZone, wallTimeToEpoch } from '../time/time-zone.js';

/** What an HTTP-200 Alpha Vantage error body means. */
export interface AlphaVantageFailure {
  /** Error kind. */
  kind: ProviderErrorKind;
  /** Alpha Vantage's own words (the error redacts any key they echo). */
  detail: string;
  /** When to try again, ms. */
  retryAfterMs?: number;
}

const MINUTE = 60_000;

function untilNextNewYorkMidnight(now: number): number {
  const today = dateInZone(now, 'America/New_York');
  const next = new Date(`${today}T00:00:00Z`);
  next.setUTCDate(next.getUTCDate() + 1);
  const at = wallTimeToEpoch(next.toISOString().slice(0, 10), 'America/New_York') ?? now + 24 * 60 * MINUTE;
  return Math.max(MINUTE, at - now);
}

/**
 * Classifies Alpha Vantage's HTTP-200 error bodies by their key: `Note` and `Information` are
 * throttling (a daily quota hints a wait until the next New York midnight, a per-minute one a
 * minute), except `Information` about premium endpoints (`not_entitled`) or the demo key
 * (`auth`); `Error Message` is a bad request, or `auth` when it names the key. Returns
 * `undefined` for a body that is not an error.
 */
export function classifyAlphaVantageBody(body: unknown, now: number): AlphaVantageFailure | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  const b = body as Record<string, unknown>;
  const text = (key: string) => (typeof b[key] === 'string' ? (b[key] as string) : undefined);
  const errorMessage = text('Error Message');
  if (errorMessage !== undefined) {
    return { kind: /api ?key/i.test(errorMessage) ? 'auth' : 'bad_request', detail: errorMessage };
  }
  const note = text('Note');
  const information = text('Information');
  const words = note ?? information;
  if (words === undefined) return undefined;
  const throttled = /rate limit|per day|per minute|per second|call frequency|sparingly|burst|requests per/i.test(words);
  if (!throttled && information !== undefined) {
    if (/demo/i.test(information) && /api ?key/i.test(information)) return { kind: 'auth', detail: information };
    if (/premium/i.test(information)) return { kind: 'not_entitled', detail: information };
  }
  const daily = /per day|daily/i.test(words) && !/per minute|per second/i.test(words);
  return { kind: 'rate_limited', detail: words, retryAfterMs: daily ? untilNextNewYorkMidnight(now) : MINUTE };
}
