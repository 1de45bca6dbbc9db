import { parseSymbol } from '@stockade/core';
import type { HealthMonitor } from '../health/health-monitor.js';
import { type ProviderRuntime, quotaLeft } from './provider-runtime.js';

/** Each provider's status and quota, read once per routed batch. */
export type ProviderSnapshot = ReadonlyMap<
  string,
  { status: 'healthy' | 'degraded' | 'unhealthy'; quotaLeft: number | null }
>;

/** Reads every provider's health status and quota left once. */
export function snapshotProviders(runtimes: readonly ProviderRuntime[], monitor: HealthMonitor): ProviderSnapshot {
  return new Map(
    runtimes.map((r) => [r.name, { status: monitor.providerHealth(r.name).status, quotaLeft: quotaLeft(r) }]),
  );
}

/** Options of {@link rankProviders}. */
export interface RankOptions {
  /** Live health and quota, for the penalties. */
  snapshot: ProviderSnapshot;
  /** Only these providers, in this order (the caller's `providers` option). */
  restrict?: readonly string[] | undefined;
  /** How many symbols the request carries: multi-symbol requests prefer batch-capable providers. */
  batchSize: number;
  /** Operation, for capabilities switched off by `not_entitled`. @default 'quotes' */
  operation?: string;
  /** Now, epoch ms: a `not_entitled` operation is tried again once its recheck time has come. */
  now: number;
}

const STATUS_PENALTY = { healthy: 0, degraded: 1_000, unhealthy: 2_000 } as const;

/**
 * The providers that can serve `symbol`, best first: configured priority, then live health
 * (status, breaker), quota left, and batching for multi-symbol requests. A provider that cannot
 * serve the symbol's asset class is left out, never sent the symbol.
 */
export function rankProviders(runtimes: readonly ProviderRuntime[], symbol: string, o: RankOptions): ProviderRuntime[] {
  const assetClass = parseSymbol(symbol).assetClass;
  const operation = o.operation ?? 'quotes';
  const eligible = runtimes.filter(
    (r) =>
      (o.restrict === undefined || o.restrict.includes(r.name)) &&
      !((r.notEntitled.get(operation) ?? Number.NEGATIVE_INFINITY) > o.now) &&
      r.provider.capabilities.assetClasses.includes(assetClass) &&
      r.provider.supports(symbol),
  );
  if (o.restrict !== undefined) {
    const order = o.restrict;
    return eligible.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  }
  const score = (r: ProviderRuntime) => {
    let s = r.priority;
    const snap = o.snapshot.get(r.name);
    s += STATUS_PENALTY[snap?.status ?? 'healthy'];
    if (r.breaker.state === 'open' || r.breaker.state === 'isolated') s += 3_000;
    if (snap?.quotaLeft === 0) s += 500;
    if (o.batchSize > 1 && !r.provider.capabilities.batchQuotes) s += 100;
    return s;
  };
  return eligible
    .map((r) => ({ r, s: score(r) }))
    .sort((a, b) => a.s - b.s)
    .map((x) => x.r);
}
