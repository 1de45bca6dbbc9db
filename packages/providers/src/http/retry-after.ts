/**
 * Parses a `Retry-After` header — delta seconds (`120`) or an HTTP date
 * (`Wed, 21 Oct 2015 07:28:00 GMT`) — into milliseconds from `now`. Returns `undefined` when the
 * header is absent or unreadable; a date in the past gives `0`.
 *
 * @example
 * parseRetryAfter('30', Date.now()) // → 30_000
 */
export function parseRetryAfter(value: string | readonly string[] | undefined, now: number): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // A bare number with a sign or unit is not a valid delta, and Date.parse would misread it.
  if (/^[-+]?\d/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
