import { createBarStore, type TieredCache } from '@stockade/cache';
import {
  type Adjustment,
  AllProvidersFailedError,
  type BarSeries,
  type Clock,
  type Dividend,
  type Interval,
  isAbortError,
  type MarketCalendar,
  type ProviderAttempt,
  ProviderError,
  type Split,
  StockadeError,
  ValidationError,
} from '@stockade/core';
import type { ManagerMetrics } from './metrics/manager-metrics.js';
import type { ProviderRuntime } from './routing/provider-runtime.js';

/** Options of `manager.bars()`. */
export interface BarsOptions {
  /** Bar interval. @default '1d' */
  interval?: Interval;
  /** First session: `YYYY-MM-DD` or epoch ms. */
  from: string | number;
  /** Last session: `YYYY-MM-DD` or epoch ms. @default today */
  to?: string | number;
  /** The adjustment wanted. @default the best-ranked provider's natural adjustment */
  adjustment?: Adjustment;
  /** Also accept these other adjustments from a provider further down the list. @default [] (never mix) */
  acceptAdjustments?: readonly Adjustment[];
  /** Restrict to these providers, in this order. @default every capable provider by priority */
  providers?: readonly string[];
  /** Aborts the request. @default undefined */
  signal?: AbortSignal;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Bars through the cache's span stitching, with failover only to providers giving the same adjustment. */
export function createBarsService(parts: {
  runtimes: readonly ProviderRuntime[];
  cache: TieredCache;
  calendar: MarketCalendar;
  clock: Clock;
  metrics: ManagerMetrics;
}) {
  const store = createBarStore(parts.cache, { calendar: parts.calendar, clock: parts.clock });

  function toDate(bound: string | number, field: string): string {
    if (typeof bound === 'number' && Number.isFinite(bound)) return parts.calendar.sessionDate(bound);
    if (typeof bound === 'string' && DATE.test(bound)) return bound;
    throw new ValidationError(
      `bars(): ${field} must be a date as YYYY-MM-DD or epoch milliseconds, got ${JSON.stringify(bound)}`,
      [{ path: field, message: 'expected YYYY-MM-DD or epoch ms' }],
    );
  }

  return {
    async bars(symbol: string, options: BarsOptions): Promise<BarSeries> {
      const interval = options.interval ?? '1d';
      const from = toDate(options.from, 'from');
      const to = toDate(options.to ?? parts.clock.now(), 'to');
      if (from > to)
        throw new ValidationError(`bars(): from ${from} is after to ${to}`, [{ path: 'from', message: 'after to' }]);
      const capable = parts.runtimes
        .filter(
          (r) => (options.providers === undefined || options.providers.includes(r.name)) && r.provider.supports(symbol),
        )
        .filter((r) => r.provider.capabilities.intervals.includes(interval));
      if (options.providers !== undefined)
        capable.sort(
          (a, b) => (options.providers as string[]).indexOf(a.name) - (options.providers as string[]).indexOf(b.name),
        );
      const adjustment = options.adjustment ?? capable[0]?.provider.capabilities.adjustments[0];
      if (adjustment === undefined) throw new AllProvidersFailedError([symbol], []);
      const accepted = new Set<Adjustment>([adjustment, ...(options.acceptAdjustments ?? [])]);
      const order = capable.filter((r) => r.provider.capabilities.adjustments.some((a) => accepted.has(a)));
      const attempts: ProviderAttempt[] = [];
      let servedAdjustment: Adjustment = adjustment;
      const sources = new Set<string>();
      const loadedSplits: Split[] = [];
      const loadedDividends: Dividend[] = [];
      const range = await store.getRange(
        { provider: 'best', symbol, interval, adjustment },
        { from, to },
        async (span, { signal }) => {
          for (const r of order) {
            const want = r.provider.capabilities.adjustments.includes(adjustment)
              ? adjustment
              : (r.provider.capabilities.adjustments.find((a) => accepted.has(a)) as Adjustment);
            const started = parts.clock.now();
            try {
              const series = await r.pipeline.execute(
                ({ signal: s }) =>
                  r.provider.bars(symbol, { interval, from: span.from, to: span.to, adjustment: want, signal: s }),
                { signal: signal ?? options.signal, operation: 'bars' },
              );
              parts.metrics.recordProviderRequest(r.name, 'bars', 'ok', parts.clock.now() - started);
              servedAdjustment = series.adjustment;
              sources.add(r.name);
              loadedSplits.push(...series.splits);
              loadedDividends.push(...series.dividends);
              return { bars: series.bars, truncated: series.truncated, source: r.name };
            } catch (err) {
              if (isAbortError(err) && (signal?.aborted || options.signal?.aborted)) throw err;
              const error =
                err instanceof StockadeError
                  ? err
                  : new ProviderError('unexpected failure', { provider: r.name, kind: 'transient', cause: err });
              parts.metrics.recordProviderRequest(
                r.name,
                'bars',
                (error as ProviderError).kind ?? error.code,
                parts.clock.now() - started,
              );
              attempts.push({ provider: r.name, error, durationMs: parts.clock.now() - started });
            }
          }
          throw new AllProvidersFailedError([symbol], attempts);
        },
        options.signal === undefined ? {} : { signal: options.signal },
      );
      const actions = await corporateActions(
        symbol,
        servedAdjustment,
        loadedSplits,
        loadedDividends,
        from,
        to,
        options.signal,
      );
      return {
        symbol,
        interval,
        bars: range.bars,
        provider: sources.size === 1 ? ([...sources][0] as string) : 'best',
        adjustment: servedAdjustment,
        splits: actions.splits,
        dividends: actions.dividends,
        truncated: range.truncated,
      };
    },
  };

  /**
   * Splits and dividends of a symbol, kept beside its cached bar spans: the spans hold only bars,
   * so the events each loaded span brought are merged into one cached record per symbol and
   * adjustment, and the answer gets those inside its range.
   */
  async function corporateActions(
    symbol: string,
    adjustment: Adjustment,
    splits: readonly Split[],
    dividends: readonly Dividend[],
    from: string,
    to: string,
    signal: AbortSignal | undefined,
  ): Promise<{ splits: Split[]; dividends: Dividend[] }> {
    const key = parts.cache.keys.entry('actions', `${symbol}:${adjustment}`);
    const known = await parts.cache.get<{ splits: Split[]; dividends: Dividend[] }>(key, {
      accept: 'lastKnownGood',
      ...(signal === undefined ? {} : { signal }),
    });
    const held = known?.found ? known.value : { splits: [], dividends: [] };
    const merged = {
      splits: mergeByTime(held.splits, splits),
      dividends: mergeByTime(held.dividends, dividends),
    };
    if (splits.length > 0 || dividends.length > 0) {
      await parts.cache.set(key, merged, {
        source: 'best',
        policy: { freshMs: ACTIONS_TTL_MS, staleMs: 0, maxStaleMs: ACTIONS_TTL_MS },
        ...(signal === undefined ? {} : { signal }),
      });
    }
    const inRange = (t: number) => {
      const day = parts.calendar.sessionDate(t);
      return day >= from && day <= to;
    };
    return {
      splits: merged.splits.filter((x) => inRange(x.t)),
      dividends: merged.dividends.filter((x) => inRange(x.t)),
    };
  }
}

/** How long merged splits and dividends are kept: as long as the complete bar spans they go with. */
const ACTIONS_TTL_MS = 30 * 86_400_000;

function mergeByTime<T extends { t: number }>(a: readonly T[], b: readonly T[]): T[] {
  const byTime = new Map<number, T>();
  for (const x of a) byTime.set(x.t, x);
  for (const x of b) byTime.set(x.t, x);
  return [...byTime.values()].sort((x, y) => x.t - y.t);
}
