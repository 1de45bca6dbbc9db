import { type AssetClass, INTERVAL_MS, type Interval, type MarketCalendar, parseCivilDate } from '@stockade/core';

const DAY = 86_400_000;
// New York is at most five hours behind UTC: a New York day is over five hours after its UTC end.
const NEW_YORK_LAG_MS = 5 * 3_600_000;

/** A unit of bar storage: one session date (intraday) or one calendar month (daily and longer). */
export interface BarSpan {
  /** Its id in the key: `YYYY-MM-DD` or `YYYY-MM`. */
  id: string;
  /** First session date it covers, `YYYY-MM-DD`. */
  from: string;
  /** Last session date it covers, `YYYY-MM-DD`. */
  to: string;
}

/** A run of adjacent missing spans, loaded by one loader call. */
export interface SpanRun {
  /** First session date of the run. */
  from: string;
  /** Last session date of the run. */
  to: string;
  /** The spans it fills. */
  spans: BarSpan[];
}

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));
const isoDate = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Whether bars of this interval are stored per session date (intraday) rather than per month. */
export function isIntraday(interval: Interval): boolean {
  return INTERVAL_MS[interval] !== undefined;
}

/** The id of the span a bar with this session date belongs to. */
export function spanIdOf(sessionDate: string, interval: Interval): string {
  return isIntraday(interval) ? sessionDate : sessionDate.slice(0, 7);
}

/**
 * The spans covering `from`..`to` (session dates, inclusive), in order. Intraday: US equities,
 * ETFs and indices get one span per trading day; other markets one per calendar day (a day
 * without bars is a valid, empty span). Daily and longer: one span per calendar month, always
 * the whole month, so that a stored span is the same whatever range first asked for it.
 */
export function spansOf(
  range: { from: string; to: string },
  interval: Interval,
  assetClass: AssetClass | 'unknown',
  calendar: MarketCalendar,
): BarSpan[] {
  const from = parseCivilDate(range.from, 'from');
  const to = parseCivilDate(range.to, 'to');
  const spans: BarSpan[] = [];
  if (isIntraday(interval)) {
    const usHours = assetClass === 'equity' || assetClass === 'etf' || assetClass === 'index';
    const days = usHours ? calendar.tradingDays(range.from, range.to) : [];
    if (!usHours) for (let d = from.dayNumber; d <= to.dayNumber; d++) days.push(isoDate(d * DAY));
    for (const day of days) spans.push({ id: day, from: day, to: day });
    return spans;
  }
  let y = from.year;
  let m = from.month;
  while (y < to.year || (y === to.year && m <= to.month)) {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    spans.push({ id: `${y}-${pad(m)}`, from: `${y}-${pad(m)}-01`, to: `${y}-${pad(m)}-${pad(last)}` });
    if (m === 12) {
      y++;
      m = 1;
    } else m++;
  }
  return spans;
}

/** Groups missing spans (in order) into runs of neighbours. */
export function runsOf(all: readonly BarSpan[], missing: ReadonlySet<string>): SpanRun[] {
  const runs: SpanRun[] = [];
  let current: SpanRun | undefined;
  for (const span of all) {
    if (!missing.has(span.id)) {
      current = undefined;
      continue;
    }
    if (current === undefined) {
      current = { from: span.from, to: span.to, spans: [span] };
      runs.push(current);
    } else {
      current.to = span.to;
      current.spans.push(span);
    }
  }
  return runs;
}

/**
 * When a span's bars are final, epoch ms: after-hours end of the trading day for US markets
 * (or the last day of the month), else the end of the day in New York. A span is stored as
 * complete only once this instant (plus a settling delay) has passed.
 */
export function spanFinalAt(span: BarSpan, assetClass: AssetClass | 'unknown', calendar: MarketCalendar): number {
  const usHours = assetClass === 'equity' || assetClass === 'etf' || assetClass === 'index';
  const bounds = usHours ? calendar.sessionBounds(span.to) : null;
  if (bounds !== null) return bounds.postClose;
  return parseCivilDate(span.to).dayNumber * DAY + DAY + NEW_YORK_LAG_MS;
}
