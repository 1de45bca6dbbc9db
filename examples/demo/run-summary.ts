import { type HealthReport, metricNames } from '@stockade/core';
import type { ManagerMetrics } from '@stockade/market-data';
import type { ProviderStats } from '@stockade/simulator';
import type { AlertLine } from './demo-state.js';

/** What the run collected, for the summary. */
export interface RunRecord {
  /** `simulator` or `live`. */
  mode: 'simulator' | 'live';
  /** Cycles run. */
  cycles: number;
  /** Real time the cycles took, ms. */
  realMs: number;
  /** Simulated time they covered, ms. */
  simulatedMs: number;
  /** Real duration of each cycle's `quotes()`, ms. */
  cycleMs: number[];
  /** Answers given, ok, served stale, and fetched upstream (a new `receivedAt`). */
  answers: { total: number; ok: number; stale: number; fetched: number };
  /** HTTP requests the simulator received, per provider (simulator mode). */
  upstream?: Record<string, ProviderStats>;
  /** Health at the end. */
  health: HealthReport;
  /** Provider attempts already in the health window when the cycles began (the warm-up's). */
  attemptsBefore: number;
  /** The manager's metrics. */
  metrics: ManagerMetrics;
  /** Alert log. */
  alerts: readonly AlertLine[];
  /** BUY/SELL signals emitted, or null when the panel was left out. */
  signals: number | null;
  /** Events the streamed-prices column read, by type, and the symbols it streamed. */
  streamed?: { counts: Readonly<Record<string, number>>; symbols: number };
}

/** `q`-quantile of `values` (nearest rank). */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number;
}

function percent(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

/** The cache's own hit rate and where it was read from: the manager's lookup counter, else the L1's. */
export function cacheHitRate(metrics: ManagerMetrics, health: HealthReport): { rate: number | null; source: string } {
  metrics.snapshot(); // runs the collect hooks, which bring the cache's counters into the metrics
  const hits = metrics.value(metricNames.cacheLookups, { result: 'hit' });
  const lookups = metrics.value(metricNames.cacheLookups);
  if (lookups > 0) return { rate: hits / lookups, source: metricNames.cacheLookups };
  return { rate: health.cache.l1.hitRate, source: `health().cache.l1.hitRate (${metricNames.cacheLookups} stayed 0)` };
}

/** The summary lines printed when the run ends. */
export function summaryLines(r: RunRecord): string[] {
  const lines: string[] = [];
  const row = (label: string, value: string) => lines.push(`  ${label.padEnd(26)} ${value}`);
  lines.push(
    `Summary: ${r.cycles} cycles in ${(r.realMs / 1_000).toFixed(1)} s real, ${(r.simulatedMs / 1_000).toFixed(0)} s simulated`,
  );
  const attempts = Object.values(r.health.providers).reduce((n, h) => n + h.requests, 0) - r.attemptsBefore;
  if (r.upstream !== undefined) {
    const total = Object.values(r.upstream).reduce((n, s) => n + s.requests, 0);
    const by = Object.entries(r.upstream)
      .map(([p, s]) => `${p} ${s.requests}`)
      .join(', ');
    row(
      'upstream calls per cycle',
      `${(total / r.cycles).toFixed(2)} (${total} HTTP requests to the simulator: ${by})`,
    );
  } else {
    row('upstream calls per cycle', `${(attempts / r.cycles).toFixed(2)} (${attempts} provider attempts, from health)`);
  }
  row('provider attempts', `${attempts} through the resilience pipeline, retries included`);
  const served = r.answers.ok - r.answers.fetched;
  const l1 = cacheHitRate(r.metrics, r.health);
  row(
    'cache hit rate',
    `${r.answers.ok === 0 ? '—' : percent(served / r.answers.ok)} of quotes needed no upstream fetch (${served} of ${r.answers.ok}); ` +
      `${l1.source}: ${l1.rate === null ? '—' : percent(l1.rate)} (warm-up and probe lookups included)`,
  );
  row(
    'quote cycle p95',
    `${quantile(r.cycleMs, 0.95).toFixed(1)} ms (p50 ${quantile(r.cycleMs, 0.5).toFixed(1)} ms, max ${Math.max(0, ...r.cycleMs).toFixed(1)} ms, real time)`,
  );
  row(
    'answers',
    `${r.answers.ok} of ${r.answers.total} quotes, ${r.answers.total - r.answers.ok} errors; ${r.answers.stale} marked stale (past their TTL: served while a refresh ran, or last known good)`,
  );
  const raised = r.alerts.filter((a) => a.kind === 'raised');
  const cleared = r.alerts.filter((a) => a.kind === 'cleared');
  const ids = (list: readonly AlertLine[]) => (list.length === 0 ? '' : `: ${list.map((a) => a.id).join(', ')}`);
  row('alerts raised', `${raised.length}${ids(raised)}`);
  row('alerts cleared', `${cleared.length}${ids(cleared)}`);
  const active = raised.filter((a) => !cleared.some((c) => c.id === a.id && c.at >= a.at));
  if (active.length > 0) row('alerts still active', `${active.length}${ids(active)}`);
  const p95s = Object.entries(r.health.providers)
    .map(([p, h]) => `${p} ${h.latencyMs.p95 === null ? '—' : `${Math.round(h.latencyMs.p95)} ms`}`)
    .join(', ');
  row('provider p95', `${p95s} (last 5 minutes${r.mode === 'simulator' ? ', simulated ms' : ''})`);
  if (r.signals !== null) row('signals emitted', String(r.signals));
  if (r.streamed !== undefined) {
    const s = r.health.stream;
    const by = Object.entries(r.streamed.counts)
      .map(([type, n]) => `${type} ${n}`)
      .join(', ');
    row(
      'streamed events',
      `${by} for ${r.streamed.symbols} symbols` +
        (s === undefined
          ? ''
          : `; ${s.reconnects} reconnects, ${s.conflated} conflated, ${s.messages} messages upstream`),
    );
  }
  return lines;
}
