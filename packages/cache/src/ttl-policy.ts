import {
  AssetClass,
  assetClassOf,
  ConfigError,
  type ConfigIssue,
  Duration,
  INTERVAL_MS,
  type Interval,
  type MarketCalendar,
} from '@stockade/core';
import type { TtlSpec } from './entry.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The adaptive TTL table. Every field can be overridden; durations accept `10000` or `'10s'`.
 * The names match `cache.ttl` of core's config (plus `cache.maxStaleMs`), so the config section
 * can be passed as overrides as it is.
 */
export interface TtlTable {
  /** Quotes during the regular session, and for venues the calendar does not model (`unknown`). @default 10_000 */
  quoteRegularMs: number;
  /** Quotes in pre-market and after-hours. @default 30_000 */
  quoteExtendedMs: number;
  /** Cap of a quote's (and intraday bars') "until the next open" TTL while closed; a long weekend is the longest gap. @default 4 days */
  quoteClosedMaxMs: number;
  /** Crypto quotes, at any hour. @default 10_000 */
  cryptoMs: number;
  /** Cap of daily bars' "until the session's close" TTL. @default 4 days */
  barsMaxMs: number;
  /** Cap of the stale-while-revalidate grace, which is otherwise as long as the fresh TTL. @default 60_000 */
  maxGraceMs: number;
  /** How long after it stops being fresh a value is still served as last known good on a failed load. @default 3 days */
  maxStaleMs: number;
  /** TTL of a remembered `not_found` (negative caching). @default 60_000 */
  negativeMs: number;
  /**
   * While closed, whether quotes are kept until the regular open (`'open'`, 09:30 New York) or until
   * pre-market opens (`'preOpen'`, 04:00) for equities and ETFs. @default 'open'
   */
  closedUntil: 'open' | 'preOpen';
  /** A last move of at least this many percent (absolute) shortens fresh TTLs; `null` turns it off. @default null */
  fastMovePct: number | null;
  /** Factor applied to the fresh TTL after a fast move. @default 0.5 */
  fastMoveFactor: number;
}

/** The default {@link TtlTable}. */
export const defaultTtlTable: Readonly<TtlTable> = Object.freeze({
  quoteRegularMs: 10_000,
  quoteExtendedMs: 30_000,
  quoteClosedMaxMs: 4 * DAY,
  cryptoMs: 10_000,
  barsMaxMs: 4 * DAY,
  maxGraceMs: 60_000,
  maxStaleMs: 3 * DAY,
  negativeMs: 60_000,
  closedUntil: 'open',
  fastMovePct: null,
  fastMoveFactor: 0.5,
});

/** Overrides of the {@link TtlTable}: durations as ms or strings such as `'30s'`. */
export type TtlOverrides = {
  [K in keyof TtlTable]?: TtlTable[K] extends number ? number | string : TtlTable[K];
};

/** What a TTL is asked for. */
export interface TtlQuery {
  /** A quote, or a run of bars. */
  kind: 'quote' | 'bars';
  /** Canonical symbol (`AAPL`, `BTC-USD`, `^GSPC`, `WSU.DE`) or an asset class (`equity`, `crypto`, …). */
  symbol: string;
  /** Bar interval; required for `bars`. */
  interval?: Interval;
  /** The instant the value is stored, epoch ms. */
  at: number;
  /** The instrument's last move in percent (1.5 = +1.5 %), when known. */
  lastMovePct?: number | null;
}

/** Options of {@link createTtlPolicy}. */
export interface TtlPolicyOptions {
  /** Exchange sessions, holidays and early closes (`createMarketCalendar()` from `@stockade/core`). */
  calendar: MarketCalendar;
  /** Entries of the TTL table to replace. @default {} */
  overrides?: TtlOverrides;
}

/** Decides how long a value stays fresh, stale-servable and last-known-good. */
export interface TtlPolicy {
  /** The table in force (defaults merged with overrides). */
  readonly table: Readonly<TtlTable>;
  /** The TTLs of a quote or bars stored at `query.at`. */
  ttlFor(query: TtlQuery): TtlSpec;
  /** The TTLs of a remembered `not_found`: fresh for `negativeMs`, never served stale. */
  notFound(): TtlSpec;
}

const ASSET_CLASSES: ReadonlySet<string> = new Set(AssetClass.options);
const NUMERIC_FIELDS = Object.keys(defaultTtlTable).filter(
  (k) => typeof defaultTtlTable[k as keyof TtlTable] === 'number',
) as Array<keyof TtlTable>;

function parseOverrides(overrides: unknown): TtlTable {
  const table: Record<string, unknown> = { ...defaultTtlTable };
  const issues: ConfigIssue[] = [];
  const path = (k: string) => `cache.ttl.${k}`;
  if (overrides === undefined || overrides === null) return table as unknown as TtlTable;
  if (typeof overrides !== 'object') {
    throw new ConfigError([{ path: 'cache.ttl', message: 'expected an object of TTL overrides' }]);
  }
  for (const [key, value] of Object.entries(overrides)) {
    if (value === undefined) continue;
    if (!(key in defaultTtlTable)) {
      issues.push({
        path: path(key),
        message: 'unknown TTL field',
        hint: `known fields: ${Object.keys(defaultTtlTable).join(', ')}`,
      });
    } else if (key === 'closedUntil') {
      if (value === 'open' || value === 'preOpen') table[key] = value;
      else issues.push({ path: path(key), message: "expected 'open' or 'preOpen'", found: JSON.stringify(value) });
    } else if (key === 'fastMovePct') {
      if (value === null || (typeof value === 'number' && value > 0 && Number.isFinite(value))) table[key] = value;
      else issues.push({ path: path(key), message: 'expected a positive percentage or null', found: String(value) });
    } else if (key === 'fastMoveFactor') {
      if (typeof value === 'number' && value > 0 && value <= 1) table[key] = value;
      else issues.push({ path: path(key), message: 'expected a factor in (0, 1]', found: String(value) });
    } else if (NUMERIC_FIELDS.includes(key as keyof TtlTable)) {
      const parsed = Duration.safeParse(value);
      if (parsed.success) table[key] = parsed.data;
      else
        issues.push({
          path: path(key),
          message: 'is not a duration',
          found: JSON.stringify(value),
          hint: "use ms (10000) or '10s', '5m', '1h'",
        });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return table as unknown as TtlTable;
}

/**
 * Creates the adaptive {@link TtlPolicy}: TTLs follow the market calendar (see the README table).
 *
 * @throws {ConfigError} when an override is unknown or not a duration.
 * @example
 * const policy = createTtlPolicy({ calendar: createMarketCalendar(), overrides: { quoteRegularMs: '5s' } });
 * policy.ttlFor({ kind: 'quote', symbol: 'AAPL', at: Date.now() }); // → { freshMs: 5000, staleMs: 5000, maxStaleMs: 86400000 }
 */
export function createTtlPolicy(options: TtlPolicyOptions): TtlPolicy {
  const { calendar } = options;
  const table: Readonly<TtlTable> = Object.freeze(parseOverrides(options.overrides));
  const classes = new Map<string, AssetClass>();

  const assetClass = (symbol: string): AssetClass => {
    if (ASSET_CLASSES.has(symbol)) return symbol as AssetClass;
    let cls = classes.get(symbol);
    if (cls === undefined) {
      cls = assetClassOf(symbol);
      if (classes.size > 10_000) classes.clear();
      classes.set(symbol, cls);
    }
    return cls;
  };

  const clamp = (ms: number, max: number) => Math.min(Math.max(0, ms), max);

  function untilNextOpen(symbol: string, cls: AssetClass, at: number): number {
    const open = calendar.nextOpen(symbol, at);
    if (open === null) return table.quoteRegularMs;
    let until = open;
    if (table.closedUntil === 'preOpen' && (cls === 'equity' || cls === 'etf')) {
      const bounds = calendar.sessionBounds(calendar.sessionDate(open));
      if (bounds !== null && bounds.preOpen > at) until = bounds.preOpen;
    }
    return clamp(until - at, table.quoteClosedMaxMs);
  }

  function quoteFreshMs(symbol: string, cls: AssetClass, at: number): number {
    if (cls === 'crypto') return table.cryptoMs;
    switch (calendar.session(symbol, at)) {
      case 'pre':
      case 'post':
        return table.quoteExtendedMs;
      case 'closed':
        return untilNextOpen(symbol, cls, at);
      default:
        // 'regular', and 'unknown' venues, which may well be open right now.
        return table.quoteRegularMs;
    }
  }

  function barsFreshMs(symbol: string, cls: AssetClass, interval: Interval, at: number): number {
    const step = INTERVAL_MS[interval];
    const session = calendar.session(symbol, at);
    if (step !== undefined) {
      // Intraday: a new bar per interval while anything trades; nothing new until the next open.
      return session === 'closed' ? untilNextOpen(symbol, cls, at) : step;
    }
    if (session === 'unknown') return table.quoteRegularMs;
    if (cls === 'crypto' || cls === 'fx') {
      // Their daily bars are cut at UTC midnight.
      return clamp(DAY - (at % DAY), table.barsMaxMs);
    }
    const close = calendar.nextClose(symbol, at);
    return close === null ? table.quoteRegularMs : clamp(close - at, table.barsMaxMs);
  }

  return {
    table,
    ttlFor(query) {
      const cls = assetClass(query.symbol);
      let freshMs: number;
      if (query.kind === 'quote') freshMs = quoteFreshMs(query.symbol, cls, query.at);
      else freshMs = barsFreshMs(query.symbol, cls, query.interval ?? '1d', query.at);
      const move = query.lastMovePct;
      if (table.fastMovePct !== null && typeof move === 'number' && Math.abs(move) >= table.fastMovePct) {
        if (calendar.session(query.symbol, query.at) !== 'closed') freshMs = Math.round(freshMs * table.fastMoveFactor);
      }
      return { freshMs, staleMs: Math.min(freshMs, table.maxGraceMs), maxStaleMs: table.maxStaleMs };
    },
    notFound: () => ({ freshMs: table.negativeMs, staleMs: 0, maxStaleMs: 0 }),
  };
}
