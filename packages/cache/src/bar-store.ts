import {
  type Adjustment,
  type AssetClass,
  assetClassOf,
  type Bar,
  type Clock,
  type Interval,
  type MarketCalendar,
  parseCivilDate,
  ValidationError,
} from '@stockade/core';
import { type BarSpan, runsOf, type SpanRun, spanFinalAt, spanIdOf, spansOf } from './bar-spans.js';
import type { SetManyItem, TieredCache } from './tiered-cache.js';

/** Which series: every part of the storage key. */
export interface BarSeriesKey {
  /** Provider whose bars these are (series never mix providers). */
  provider: string;
  /** Canonical symbol. */
  symbol: string;
  /** Bar interval. */
  interval: Interval;
  /** Price adjustment (series never mix adjustments). */
  adjustment: Adjustment;
}

/** Session dates, `YYYY-MM-DD`, both included. */
export interface SessionRange {
  /** First session date. */
  from: string;
  /** Last session date. */
  to: string;
}

/** What a span loader returns for one run of missing session dates. */
export interface LoadedBars {
  /** The bars, in any order; each must carry its `sessionDate`. */
  bars: Bar[];
  /** A page cap cut the answer short: nothing of it is cached. */
  truncated: boolean;
  /** Provider that answered. */
  source: string;
}

/** Loads the bars of `range` (a run of missing spans) from upstream. */
export type SpanLoader = (range: SessionRange, context: { signal?: AbortSignal }) => Promise<LoadedBars>;

/** The stitched answer of {@link BarStore.getRange}. */
export interface BarRange {
  /** Bars in the range, ascending `t`, no duplicates. */
  bars: Bar[];
  /** Some loaded part was truncated: the answer may lack bars. */
  truncated: boolean;
  /** Spans served from the cache and spans loaded. */
  spans: { cached: number; loaded: number };
}

/** Options of {@link createBarStore}. */
export interface BarStoreOptions {
  /** The market calendar (trading days, session bounds). */
  calendar: MarketCalendar;
  /** Source of "now" for completeness. @default the cache's clock */
  clock?: Clock;
  /** Delay after a span's end before its bars count as final (providers publish late corrections). @default 900_000 */
  settleMs?: number;
  /** How long a complete span is kept; adjusted series change on each split or dividend. @default 86_400_000 */
  completeTtlMs?: number;
}

/** Per-span storage of bar series, so a range whose parts are cached only loads what is missing. */
export interface BarStore {
  /**
   * The bars of `series` over `range`: cached spans are read in one round trip, each run of
   * adjacent missing spans is loaded by one `loadSpan` call (runs in parallel), and everything is
   * merged by `t`. Spans still in progress are cached only for the adaptive bars TTL; a truncated
   * answer is not cached at all.
   */
  getRange(
    series: BarSeriesKey,
    range: SessionRange,
    loadSpan: SpanLoader,
    options?: { signal?: AbortSignal },
  ): Promise<BarRange>;
}

/** What one span key holds. */
interface StoredSpan {
  bars: Bar[];
  complete: boolean;
}

/**
 * Creates a {@link BarStore} on top of a tiered cache. Intraday bars are stored per session
 * date, daily and longer per calendar month.
 *
 * @example
 * const store = createBarStore(cache, { calendar: createMarketCalendar() });
 * const { bars } = await store.getRange(
 *   { provider: 'polygon', symbol: 'AAPL', interval: '5m', adjustment: 'split' },
 *   { from: '2026-03-02', to: '2026-03-06' },
 *   async (range, { signal }) => polygon.bars('AAPL', { interval: '5m', ...range, signal }),
 * );
 */
export function createBarStore(cache: TieredCache, options: BarStoreOptions): BarStore {
  const { calendar } = options;
  const clock = options.clock ?? cache.clock;
  const settleMs = options.settleMs ?? 900_000;
  const completeTtlMs = options.completeTtlMs ?? 86_400_000;

  const classOf = (symbol: string): AssetClass | 'unknown' =>
    calendar.session(symbol) === 'unknown' ? 'unknown' : assetClassOf(symbol);

  return {
    async getRange(series, range, loadSpan, opts = {}) {
      const { signal } = opts;
      signal?.throwIfAborted();
      if (parseCivilDate(range.from, 'from').dayNumber > parseCivilDate(range.to, 'to').dayNumber) {
        throw new ValidationError(`Bar range from ${range.from} is after to ${range.to}; pass the earlier date first`, [
          { path: 'from', message: 'expected from <= to' },
        ]);
      }
      const cls = classOf(series.symbol);
      const spans = spansOf(range, series.interval, cls, calendar);
      const keyOf = (span: BarSpan) =>
        cache.keys.bars(series.provider, series.symbol, series.interval, series.adjustment, span.id);
      const held = await cache.getMany<StoredSpan>(spans.map(keyOf), { accept: 'fresh', signal });

      const collected: Bar[][] = [];
      const missing = new Set<string>();
      for (const span of spans) {
        const entry = held.get(keyOf(span));
        if (entry?.found) collected.push(entry.value.bars);
        else missing.add(span.id);
      }
      const storeItems = (run: SpanRun, loaded: LoadedBars): SetManyItem<StoredSpan>[] => {
        const bySpan = new Map<string, Bar[]>(run.spans.map((s) => [s.id, []]));
        for (const bar of loaded.bars) bySpan.get(spanIdOf(bar.sessionDate, series.interval))?.push(bar);
        const now = clock.now();
        return run.spans.map((span) => {
          const bars = (bySpan.get(span.id) ?? []).sort((a, b) => a.t - b.t);
          const complete = now >= spanFinalAt(span, cls, calendar) + settleMs;
          const freshMs = complete
            ? completeTtlMs
            : cache.ttlPolicy.ttlFor({ kind: 'bars', symbol: series.symbol, interval: series.interval, at: now })
                .freshMs;
          return {
            key: keyOf(span),
            value: { bars, complete },
            source: loaded.source,
            policy: { freshMs, staleMs: 0, maxStaleMs: 0 },
          };
        });
      };

      const runs = runsOf(spans, missing);
      let truncated = false;
      const loadRun = async (run: SpanRun) => {
        const loaded = await loadSpan({ from: run.from, to: run.to }, { signal });
        checkLoaded(loaded, run);
        collected.push(loaded.bars);
        if (loaded.truncated) truncated = true;
        else await cache.setMany(storeItems(run, loaded), { signal });
      };

      await Promise.all(runs.map(loadRun));
      return {
        bars: stitch(collected, range),
        truncated,
        spans: { cached: spans.length - missing.size, loaded: missing.size },
      };
    },
  };
}

function checkLoaded(loaded: LoadedBars, run: SpanRun): void {
  const bad =
    !Array.isArray(loaded?.bars) ||
    loaded.bars.some((b) => typeof b?.sessionDate !== 'string' || !Number.isFinite(b.t));
  if (bad || typeof loaded.source !== 'string') {
    const message = `The span loader for ${run.from}..${run.to} must return { bars: Bar[] (each with t and sessionDate), truncated, source }`;
    throw new ValidationError(message, [{ path: 'loadSpan', message: 'expected a bar series' }]);
  }
}

/** Merges bar lists by `t`, keeping one bar per instant and only session dates inside `range`. */
function stitch(lists: readonly Bar[][], range: SessionRange): Bar[] {
  const byTime = new Map<number, Bar>();
  for (const list of lists) {
    for (const bar of list) {
      if (bar.sessionDate < range.from || bar.sessionDate > range.to) continue;
      if (!byTime.has(bar.t)) byTime.set(bar.t, bar);
    }
  }
  return [...byTime.values()].sort((a, b) => a.t - b.t);
}
