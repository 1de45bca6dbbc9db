const dateFormats = new Map<string, Intl.DateTimeFormat>();
const wallFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dateFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormats.set(timeZone, f);
  }
  return f;
}

function wallFormat(timeZone: string): Intl.DateTimeFormat {
  let f = wallFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormats.set(timeZone, f);
  }
  return f;
}

/** Whether `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  try {
    dateFormat(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Largest instant a `Date` can hold, ms either side of the epoch. */
const MAX_INSTANT_MS = 8.64e15;

/**
 * The calendar date (`YYYY-MM-DD`) of instant `t` in `timeZone` (unknown zones fall back to UTC).
 * An instant no `Date` can hold (a provider's `-1e308` stamp) has no date: `''`, which core's
 * schemas reject, so the answer becomes a `bad_response` rather than a RangeError.
 */
export function dateInZone(t: number, timeZone: string): string {
  if (!Number.isFinite(t) || Math.abs(t) > MAX_INSTANT_MS) return '';
  const zone = isKnownTimeZone(timeZone) ? timeZone : 'UTC';
  return dateFormat(zone).format(t);
}

function offsetAt(t: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of wallFormat(timeZone).formatToParts(t)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const wall = Date.UTC(
    parts.year ?? 0,
    (parts.month ?? 1) - 1,
    parts.day ?? 1,
    parts.hour ?? 0,
    parts.minute ?? 0,
    parts.second ?? 0,
  );
  return wall - Math.floor(t / 1000) * 1000;
}

/**
 * The instant at which the wall clock in `timeZone` reads `YYYY-MM-DD[ HH:MM[:SS]]`, epoch ms.
 * Returns `undefined` for text that is not such a date-time.
 */
export function wallTimeToEpoch(text: string, timeZone: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0'] = m;
  const asUtc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(asUtc)) return undefined;
  const zone = isKnownTimeZone(timeZone) ? timeZone : 'UTC';
  // Two passes settle the offset on both sides of a DST change.
  let t = asUtc - offsetAt(asUtc, zone);
  t = asUtc - offsetAt(t, zone);
  return t;
}

/** Converts a provider timestamp of unknown unit (s, ms, µs or ns) to epoch ms. */
export function toEpochMs(value: number): number {
  const abs = Math.abs(value);
  if (abs >= 1e17) return Math.floor(value / 1e6);
  if (abs >= 1e14) return Math.floor(value / 1e3);
  if (abs >= 1e11) return Math.floor(value);
  return Math.floor(value * 1000);
}
