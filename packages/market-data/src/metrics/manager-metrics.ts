import type { AlertType, BreakerState, HealthStatus, MetricName } from '@stockade/core';
import { AlertType as AlertTypeSchema, ValidationError } from '@stockade/core';
import type * as PromClient from 'prom-client';
import { defaultLatencyBuckets, type MetricKey, metricDefinitions } from './metric-definitions.js';
import {
  type HistogramPoint,
  type HistogramSeries,
  histogramSeries,
  type SeriesPoint,
  type ValueSeries,
  valueSeries,
} from './metric-series.js';
import { registerWithPrometheus } from './prometheus-bridge.js';

/** Options of {@link createManagerMetrics}. */
export interface ManagerMetricsOptions {
  /** Upper bounds of the latency histograms' buckets, seconds, ascending. @default prom-client's: 0.005 … 10 */
  latencyBuckets?: readonly number[];
}

/** Options of {@link ManagerMetrics.register}. */
export interface RegisterMetricsOptions {
  /** The prom-client module, when you would rather pass it than have it imported. @default `await import('prom-client')` */
  promClient?: typeof PromClient;
  /** Abandons the registration (it only waits for the import). */
  signal?: AbortSignal;
}

/** Every series of every metric, by metric name. */
export type MetricsSnapshot = Record<MetricName, ReadonlyArray<SeriesPoint | HistogramPoint>>;

/** Connections of one provider's HTTP pool. */
export interface PoolConnections {
  /** Open sockets. */
  connected: number;
  /** Requests waiting for a socket. */
  pending: number;
  /** Requests in flight. */
  running: number;
}

/**
 * The manager's metrics, kept as plain numbers; see {@link createManagerMetrics}. Recording never
 * touches prom-client.
 */
export interface ManagerMetrics {
  /** One provider call: counts it by outcome (`ok` or an error kind) and observes its latency. */
  recordProviderRequest(provider: string, endpoint: string, outcome: string, latencyMs: number): void;
  /** One manager call (`quotes`, `bars`…): counts it by outcome and observes its latency. */
  recordManagerRequest(method: string, outcome: string, latencyMs: number): void;
  /** Cache lookups by tier and result. */
  recordCacheLookup(tier: 'l1' | 'l2', result: 'hit' | 'miss' | 'stale', count?: number): void;
  /** Bytes the L1 cache holds now. */
  setCacheBytes(bytes: number): void;
  /** A breaker's state now. */
  setBreakerState(provider: string, state: BreakerState): void;
  /** A token bucket's waiting callers and tokens left now. */
  setBucket(provider: string, bucket: string, state: { queued: number; tokens: number }): void;
  /** Adds upstream cost, in the configured unit. */
  addUpstreamCost(provider: string, amount: number): void;
  /** The projected monthly upstream cost now. */
  setProjectedMonthlyCost(provider: string, amount: number): void;
  /** A provider's HTTP pool now. */
  setPoolConnections(provider: string, pool: PoolConnections): void;
  /** One retry scheduled. */
  recordRetry(provider: string): void;
  /** One hedge fired. */
  recordHedge(provider: string): void;
  /** A provider's health now. */
  setProviderHealth(provider: string, status: HealthStatus): void;
  /** Active alerts per type now (types not listed are set to 0; an `AlertCenter.activeByType()` fits). */
  setAlertsActive(counts: Partial<Record<AlertType, number>>): void;
  /** One signal generated. */
  recordSignal(agent: string, action: string): void;
  /** Stream messages received. */
  recordStreamMessage(provider: string, channel: string, count?: number): void;
  /** Stream events dropped for a newer one. */
  recordStreamConflated(channel: string, count?: number): void;
  /** One stream reconnect. */
  recordStreamReconnect(provider: string): void;
  /** Whether a provider's stream socket is open, and its lag (ms, or null when unknown). */
  setStreamConnection(provider: string, state: { connected: boolean; lagMs: number | null }): void;
  /** Whether polling stands in for streaming. */
  setStreamFallback(active: boolean): void;
  /**
   * Runs `hook` once before each scrape (and each `snapshot()`), to refresh gauges that are read
   * rather than pushed: queue lengths, pool stats, projected cost.
   */
  onCollect(hook: () => void): { dispose(): void };
  /**
   * Exposes every metric in a prom-client `Registry`: counters and gauges as prom-client metrics
   * whose `collect()` copies the plain numbers, histograms as collectors of the same shape.
   * Registering the same registry twice is a no-op.
   */
  register(registry: PromClient.Registry, options?: RegisterMetricsOptions): Promise<void>;
  /** Every series now, as plain numbers. */
  snapshot(): MetricsSnapshot;
  /**
   * Sum of the series of `name` whose labels include `labels` (a histogram counts observations);
   * 0 when none match.
   */
  value(name: MetricName, labels?: Readonly<Record<string, string>>): number;
}

/**
 * The plain series of every metric, by key; shared with the Prometheus bridge.
 * @internal
 */
export type MetricStore = Record<MetricKey, ValueSeries | HistogramSeries>;

const breakerValue: Record<BreakerState, number> = { closed: 0, half_open: 1, open: 2, isolated: 3 };
const healthValue: Record<HealthStatus, number> = { healthy: 0, degraded: 1, unhealthy: 2 };

/**
 * Creates the manager's {@link ManagerMetrics}. Everything is recorded into plain JS numbers, so
 * the hot path costs a map lookup and works without prom-client installed; `register(registry)`
 * exposes them to Prometheus on demand. Names come from core's `metricNames` only.
 *
 * @example
 * import { Registry } from 'prom-client';
 * const metrics = createManagerMetrics();
 * const registry = new Registry();
 * await metrics.register(registry);
 * metrics.recordProviderRequest('polygon', 'quotes', 'ok', 84);
 * await registry.metrics(); // … stockade_provider_requests_total{provider="polygon",endpoint="quotes",outcome="ok"} 1
 */
export function createManagerMetrics(options: ManagerMetricsOptions = {}): ManagerMetrics {
  const bounds = options.latencyBuckets ?? defaultLatencyBuckets;
  if (!bounds.every((b, i) => Number.isFinite(b) && (i === 0 || b > (bounds[i - 1] as number)))) {
    throw new ValidationError('createManagerMetrics: latencyBuckets must be finite numbers in ascending order', [
      { path: 'latencyBuckets', message: 'expected ascending finite numbers (seconds)' },
    ]);
  }
  const store = {} as MetricStore;
  for (const [key, d] of Object.entries(metricDefinitions) as Array<
    [MetricKey, (typeof metricDefinitions)[MetricKey]]
  >) {
    store[key] = d.kind === 'histogram' ? histogramSeries(d.labels, bounds) : valueSeries(d.labels);
  }
  const values = (key: MetricKey) => store[key] as ValueSeries;
  const histogram = (key: MetricKey) => store[key] as HistogramSeries;
  const hooks = new Set<() => void>();
  let collecting = false;
  const runHooks = () => {
    // Every metric's collect() asks; the hooks run once per scrape (a scrape's collects share one tick).
    if (collecting) return;
    collecting = true;
    queueMicrotask(() => {
      collecting = false;
    });
    for (const hook of [...hooks]) hook();
  };
  const registered = new WeakSet<object>();

  const metrics: ManagerMetrics = {
    recordProviderRequest(provider, endpoint, outcome, latencyMs) {
      values('providerRequests').add([provider, endpoint, outcome], 1);
      histogram('providerLatency').observe([provider, endpoint], latencyMs / 1_000);
    },
    recordManagerRequest(method, outcome, latencyMs) {
      values('managerRequests').add([method, outcome], 1);
      histogram('managerLatency').observe([method], latencyMs / 1_000);
    },
    recordCacheLookup(tier, result, count = 1) {
      values('cacheLookups').add([tier, result], count);
    },
    setCacheBytes: (bytes) => values('cacheBytes').set([], bytes),
    setBreakerState: (provider, state) => values('breakerState').set([provider], breakerValue[state]),
    setBucket(provider, bucket, state) {
      values('bucketQueue').set([provider, bucket], state.queued);
      values('bucketTokens').set([provider, bucket], state.tokens);
    },
    addUpstreamCost(provider, amount) {
      if (amount > 0) values('upstreamCost').add([provider], amount);
    },
    setProjectedMonthlyCost: (provider, amount) => values('upstreamCostMonthly').set([provider], amount),
    setPoolConnections(provider, pool) {
      const s = values('poolConnections');
      s.set([provider, 'connected'], pool.connected);
      s.set([provider, 'pending'], pool.pending);
      s.set([provider, 'running'], pool.running);
    },
    recordRetry: (provider) => values('retries').add([provider], 1),
    recordHedge: (provider) => values('hedges').add([provider], 1),
    setProviderHealth: (provider, status) => values('providerHealth').set([provider], healthValue[status]),
    setAlertsActive(counts) {
      for (const type of AlertTypeSchema.options) values('alertsActive').set([type], counts[type] ?? 0);
    },
    recordSignal: (agent, action) => values('signals').add([agent, action], 1),
    recordStreamMessage: (provider, channel, count = 1) => values('streamMessages').add([provider, channel], count),
    recordStreamConflated: (channel, count = 1) => values('streamConflated').add([channel], count),
    recordStreamReconnect: (provider) => values('streamReconnects').add([provider], 1),
    setStreamConnection(provider, state) {
      values('streamConnected').set([provider], state.connected ? 1 : 0);
      if (state.lagMs !== null) values('streamLag').set([provider], state.lagMs / 1_000);
    },
    setStreamFallback: (active) => values('streamFallback').set([], active ? 1 : 0),
    onCollect(hook) {
      const entry = () => hook();
      hooks.add(entry);
      return { dispose: () => hooks.delete(entry) };
    },
    async register(registry, registerOptions = {}) {
      if (registered.has(registry)) return;
      await registerWithPrometheus(store, registry, runHooks, registerOptions);
      registered.add(registry);
    },
    snapshot() {
      for (const hook of [...hooks]) hook();
      const out = {} as Record<MetricName, ReadonlyArray<SeriesPoint | HistogramPoint>>;
      for (const key of Object.keys(store) as MetricKey[])
        out[metricDefinitions[key].name as MetricName] = store[key].points();
      return out;
    },
    value(name, labels = {}) {
      const key = (Object.keys(metricDefinitions) as MetricKey[]).find((k) => metricDefinitions[k].name === name);
      if (key === undefined) return 0;
      let total = 0;
      for (const p of store[key].points()) {
        if (!Object.entries(labels).every(([k, v]) => p.labels[k] === v)) continue;
        total += 'value' in p ? p.value : p.count;
      }
      return total;
    },
  };
  return metrics;
}
