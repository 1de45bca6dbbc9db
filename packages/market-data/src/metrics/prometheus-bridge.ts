import { ConfigError, ValidationError } from '@stockade/core';
import type * as PromClient from 'prom-client';
import type { MetricStore, RegisterMetricsOptions } from './manager-metrics.js';
import { type MetricKey, metricDefinitions } from './metric-definitions.js';
import type { HistogramSeries, ValueSeries } from './metric-series.js';

/**
 * Exposes a plain {@link MetricStore} in a prom-client registry. Counters and gauges are real
 * prom-client metrics whose `collect()` copies the plain numbers at scrape time. Histograms are
 * collectors with prom-client's metric shape (`get()` → bucket, sum and count values), because a
 * prom-client `Histogram` can only be fed one observation at a time and the observations were
 * already counted on the hot path.
 *
 * prom-client is an optional peer: it is imported here, on demand, unless the caller passes it.
 */
export async function registerWithPrometheus(
  store: MetricStore,
  registry: PromClient.Registry,
  beforeCollect: () => void,
  options: RegisterMetricsOptions,
): Promise<void> {
  options.signal?.throwIfAborted();
  if (typeof registry?.registerMetric !== 'function' || typeof registry.getSingleMetric !== 'function') {
    throw new ValidationError('metrics.register: expected a prom-client Registry (new Registry() or register)', [
      { path: 'registry', message: 'not a prom-client Registry' },
    ]);
  }
  const prom = options.promClient ?? (await loadPromClient(options.signal));
  const keys = Object.keys(metricDefinitions) as MetricKey[];
  const taken = keys.map((k) => metricDefinitions[k].name).filter((name) => registry.getSingleMetric(name));
  if (taken.length > 0) {
    throw new ValidationError(
      `metrics.register: this registry already has ${taken.join(', ')}; register the manager's metrics once per registry, or use a new Registry`,
      taken.map((name) => ({ path: name, message: 'already registered' })),
    );
  }

  for (const key of keys) {
    const d = metricDefinitions[key];
    const series = store[key];
    const base = { name: d.name, help: d.help, labelNames: [...d.labels], registers: [registry] };
    if (d.kind === 'counter') {
      const plain = series as ValueSeries;
      new prom.Counter({
        ...base,
        collect(this: PromClient.Counter) {
          beforeCollect();
          this.reset();
          for (const p of plain.points()) this.inc(p.labels, p.value);
        },
      });
    } else if (d.kind === 'gauge') {
      const plain = series as ValueSeries;
      new prom.Gauge({
        ...base,
        collect(this: PromClient.Gauge) {
          beforeCollect();
          this.reset();
          for (const p of plain.points()) this.set(p.labels, p.value);
        },
      });
    } else {
      registry.registerMetric(histogramCollector(d.name, d.help, series as HistogramSeries, beforeCollect));
    }
  }
}

function histogramCollector(
  name: string,
  help: string,
  series: HistogramSeries,
  beforeCollect: () => void,
): PromClient.Metric {
  const collector = {
    name,
    help,
    type: 'histogram',
    aggregator: 'sum',
    async get() {
      beforeCollect();
      const values: Array<{ labels: Record<string, string | number>; value: number; metricName: string }> = [];
      for (const p of series.points()) {
        series.bounds.forEach((le, i) => {
          values.push({ labels: { le, ...p.labels }, value: p.buckets[i] as number, metricName: `${name}_bucket` });
        });
        values.push({ labels: { le: '+Inf', ...p.labels }, value: p.count, metricName: `${name}_bucket` });
        values.push({ labels: { ...p.labels }, value: p.sum, metricName: `${name}_sum` });
        values.push({ labels: { ...p.labels }, value: p.count, metricName: `${name}_count` });
      }
      return { name, help, type: 'histogram', aggregator: 'sum', values };
    },
    // The numbers belong to the manager; a registry-wide reset does not erase its history.
    reset() {},
  };
  return collector as unknown as PromClient.Metric;
}

async function loadPromClient(signal: AbortSignal | undefined): Promise<typeof PromClient> {
  const load = import('prom-client').then(
    (m) => (m as unknown as { default?: typeof PromClient }).default ?? (m as unknown as typeof PromClient),
    (cause: unknown) => {
      throw new ConfigError(
        [
          {
            path: 'metrics',
            message: 'prom-client is not installed',
            hint: 'npm install prom-client (an optional peer of @stockade/market-data), or pass it: register(registry, { promClient })',
          },
        ],
        { cause },
      );
    },
  );
  if (signal === undefined) return load;
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    load.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
