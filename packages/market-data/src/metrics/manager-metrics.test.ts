import { metricNames, ValidationError } from '@stockade/core';
import * as promClient from 'prom-client';
import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createManagerMetrics } from './manager-metrics.js';
import { metricDefinitions } from './metric-definitions.js';

/** The sample lines of a scrape, without HELP/TYPE comments. */
function samples(text: string): string[] {
  return text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
}

describe('createManagerMetrics', () => {
  it('exposes every metric named in core’s metricNames, with its type, and nothing else', async () => {
    const metrics = createManagerMetrics();
    const registry = new Registry();
    await metrics.register(registry);
    const text = await registry.metrics();
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => `${m[1]} ${m[2]}`);
    expect(types.sort()).toEqual(
      Object.values(metricDefinitions)
        .map((d) => `${d.name} ${d.kind}`)
        .sort(),
    );
    expect(
      Object.values(metricDefinitions)
        .map((d) => d.name)
        .sort(),
    ).toEqual(Object.values(metricNames).sort());
  });

  it('counts provider requests by provider, endpoint and outcome and buckets their latency in seconds', async () => {
    const metrics = createManagerMetrics();
    const registry = new Registry();
    await metrics.register(registry);
    metrics.recordProviderRequest('polygon', 'quotes', 'ok', 84);
    metrics.recordProviderRequest('polygon', 'quotes', 'ok', 420);
    metrics.recordProviderRequest('polygon', 'quotes', 'timeout', 5_000);
    metrics.recordProviderRequest('yahoo', 'bars', 'rate_limited', 30);
    const lines = samples(await registry.metrics());
    expect(lines).toEqual(
      expect.arrayContaining([
        'stockade_provider_requests_total{provider="polygon",endpoint="quotes",outcome="ok"} 2',
        'stockade_provider_requests_total{provider="polygon",endpoint="quotes",outcome="timeout"} 1',
        'stockade_provider_requests_total{provider="yahoo",endpoint="bars",outcome="rate_limited"} 1',
        'stockade_provider_request_duration_seconds_bucket{le="0.05",provider="polygon",endpoint="quotes"} 0',
        'stockade_provider_request_duration_seconds_bucket{le="0.1",provider="polygon",endpoint="quotes"} 1',
        'stockade_provider_request_duration_seconds_bucket{le="0.5",provider="polygon",endpoint="quotes"} 2',
        'stockade_provider_request_duration_seconds_bucket{le="5",provider="polygon",endpoint="quotes"} 3',
        'stockade_provider_request_duration_seconds_bucket{le="+Inf",provider="polygon",endpoint="quotes"} 3',
        'stockade_provider_request_duration_seconds_sum{provider="polygon",endpoint="quotes"} 5.504',
        'stockade_provider_request_duration_seconds_count{provider="polygon",endpoint="quotes"} 3',
        'stockade_provider_request_duration_seconds_count{provider="yahoo",endpoint="bars"} 1',
      ]),
    );
    // Recorded after the first scrape: the next scrape sees it.
    metrics.recordProviderRequest('polygon', 'quotes', 'ok', 90);
    expect(samples(await registry.metrics())).toContain(
      'stockade_provider_requests_total{provider="polygon",endpoint="quotes",outcome="ok"} 3',
    );
  });

  it('reports cache lookups by tier, breaker and health states as numbers, costs, pools and alerts', async () => {
    const metrics = createManagerMetrics();
    const registry = new Registry();
    await metrics.register(registry);
    metrics.recordManagerRequest('quotes', 'ok', 12);
    metrics.recordCacheLookup('l1', 'hit', 3);
    metrics.recordCacheLookup('l2', 'miss');
    metrics.setCacheBytes(4_096);
    metrics.setBreakerState('polygon', 'half_open');
    metrics.setBreakerState('yahoo', 'open');
    metrics.setProviderHealth('yahoo', 'unhealthy');
    metrics.setBucket('alphavantage', 'minute', { queued: 4, tokens: 0 });
    metrics.addUpstreamCost('polygon', 0.002);
    metrics.addUpstreamCost('polygon', 0.002);
    metrics.setProjectedMonthlyCost('polygon', 172.8);
    metrics.setPoolConnections('polygon', { connected: 3, pending: 1, running: 2 });
    metrics.recordRetry('polygon');
    metrics.recordHedge('yahoo');
    metrics.setAlertsActive({ latency: 2 });
    metrics.recordSignal('rsi', 'buy');
    metrics.recordStreamMessage('massive', 'trades', 10);
    metrics.recordStreamConflated('quotes', 4);
    metrics.recordStreamReconnect('massive');
    const lines = samples(await registry.metrics());
    expect(lines).toEqual(
      expect.arrayContaining([
        'stockade_requests_total{method="quotes",outcome="ok"} 1',
        'stockade_request_duration_seconds_count{method="quotes"} 1',
        'stockade_cache_lookups_total{tier="l1",result="hit"} 3',
        'stockade_cache_lookups_total{tier="l2",result="miss"} 1',
        'stockade_cache_l1_bytes 4096',
        'stockade_breaker_state{provider="polygon"} 1',
        'stockade_breaker_state{provider="yahoo"} 2',
        'stockade_provider_health{provider="yahoo"} 2',
        'stockade_bucket_queue_length{provider="alphavantage",bucket="minute"} 4',
        'stockade_bucket_tokens{provider="alphavantage",bucket="minute"} 0',
        'stockade_upstream_cost_total{provider="polygon"} 0.004',
        'stockade_upstream_cost_projected_monthly{provider="polygon"} 172.8',
        'stockade_pool_connections{provider="polygon",state="connected"} 3',
        'stockade_pool_connections{provider="polygon",state="pending"} 1',
        'stockade_pool_connections{provider="polygon",state="running"} 2',
        'stockade_retries_total{provider="polygon"} 1',
        'stockade_hedges_total{provider="yahoo"} 1',
        'stockade_alerts_active{type="latency"} 2',
        'stockade_alerts_active{type="auth_failure"} 0',
        'stockade_signals_total{agent="rsi",action="buy"} 1',
        'stockade_stream_messages_total{provider="massive",channel="trades"} 10',
        'stockade_stream_conflated_total{channel="quotes"} 4',
        'stockade_stream_reconnects_total{provider="massive"} 1',
      ]),
    );
  });

  it('runs collect hooks once per scrape so gauges that are read, not pushed, are current', async () => {
    const metrics = createManagerMetrics();
    const registry = new Registry();
    await metrics.register(registry);
    let queued = 0;
    let runs = 0;
    const hook = metrics.onCollect(() => {
      runs++;
      metrics.setBucket('yahoo', 'minute', { queued, tokens: 60 - queued });
    });
    queued = 7;
    expect(samples(await registry.metrics())).toContain(
      'stockade_bucket_queue_length{provider="yahoo",bucket="minute"} 7',
    );
    expect(runs).toBe(1);
    queued = 2;
    expect(samples(await registry.metrics())).toContain('stockade_bucket_tokens{provider="yahoo",bucket="minute"} 58');
    expect(runs).toBe(2);
    hook.dispose();
    await registry.metrics();
    expect(runs).toBe(2);
  });

  it('records without prom-client registered and answers in plain numbers', () => {
    const metrics = createManagerMetrics({ latencyBuckets: [0.1, 1] });
    metrics.recordProviderRequest('polygon', 'quotes', 'ok', 50);
    metrics.recordProviderRequest('polygon', 'bars', 'ok', 2_000);
    metrics.recordProviderRequest('yahoo', 'quotes', 'auth', 20);
    expect(metrics.value(metricNames.providerRequests)).toBe(3);
    expect(metrics.value(metricNames.providerRequests, { provider: 'polygon' })).toBe(2);
    expect(metrics.value(metricNames.providerRequests, { outcome: 'auth' })).toBe(1);
    expect(metrics.value(metricNames.providerLatency, { provider: 'polygon' })).toBe(2);
    expect(metrics.snapshot()[metricNames.providerLatency]).toEqual([
      { labels: { provider: 'polygon', endpoint: 'quotes' }, count: 1, sum: 0.05, buckets: [1, 1] },
      { labels: { provider: 'polygon', endpoint: 'bars' }, count: 1, sum: 2, buckets: [0, 0] },
      { labels: { provider: 'yahoo', endpoint: 'quotes' }, count: 1, sum: 0.02, buckets: [1, 1] },
    ]);
  });

  it('accepts the prom-client module from the caller and registers a registry only once', async () => {
    const metrics = createManagerMetrics();
    const registry = new Registry();
    await metrics.register(registry, { promClient });
    await metrics.register(registry, { promClient });
    metrics.recordRetry('yahoo');
    expect(samples(await registry.metrics()).filter((l) => l.startsWith('stockade_retries_total'))).toEqual([
      'stockade_retries_total{provider="yahoo"} 1',
    ]);
    // A second registry gets its own copies of the same numbers.
    const other = new Registry();
    await metrics.register(other);
    expect(samples(await other.metrics())).toContain('stockade_retries_total{provider="yahoo"} 1');
  });

  it('refuses a registry that already holds one of its names, registering nothing', async () => {
    const registry = new Registry();
    new Counter({ name: metricNames.retries, help: 'someone else', registers: [registry] });
    await expect(createManagerMetrics().register(registry)).rejects.toThrow(ValidationError);
    await expect(createManagerMetrics().register(registry)).rejects.toThrow(/already has stockade_retries_total/);
    expect(registry.getMetricsAsArray()).toHaveLength(1);
    await expect(createManagerMetrics().register({} as Registry)).rejects.toThrow(/expected a prom-client Registry/);
    expect(() => createManagerMetrics({ latencyBuckets: [1, 0.5] })).toThrow(/ascending/);
  });
});
