import type { Clock, Logger, SdkEvent } from '@stockade/core';
import type { AlertCenter } from './alerts/alert-center.js';
import type { CostTracker } from './cost/cost-tracker.js';
import type { HealthMonitor } from './health/health-monitor.js';
import type { ManagerMetrics } from './metrics/manager-metrics.js';
import type { ProviderRuntime } from './routing/provider-runtime.js';

/** What {@link wireRuntime} feeds. */
export interface RuntimeObservers {
  monitor: HealthMonitor;
  metrics: ManagerMetrics;
  cost: CostTracker;
  alerts: AlertCenter;
  emit(event: SdkEvent): void;
  clock: Clock;
  logger: Logger;
}

/**
 * Turns a provider pipeline's events into health samples, metrics, cost, SDK events and
 * alerts: every upstream attempt is one health sample and one call's cost.
 */
export function wireRuntime(runtime: ProviderRuntime, o: RuntimeObservers): void {
  const name = runtime.name;
  const p = runtime.pipeline;
  p.onAttempt((e) => {
    if (e.outcome === 'success' && runtime.notEntitled.size > 0) reenableRechecked(runtime, o);
    o.monitor.recordAttempt(name, {
      ok: e.outcome === 'success',
      latencyMs: e.durationMs,
      ...(e.kind === undefined ? {} : { errorKind: e.kind }),
      ...(e.error instanceof Error ? { message: e.error.message } : {}),
    });
    o.metrics.addUpstreamCost(name, o.cost.record(name));
    if (e.outcome === 'failure' && e.kind !== undefined) {
      const err = e.error as { status?: number; message?: string; operation?: string };
      o.emit({
        schemaVersion: 1,
        at: o.clock.now(),
        type: 'provider.failure',
        provider: name,
        kind: e.kind,
        ...(typeof err?.status === 'number' ? { status: err.status } : {}),
        message: String(err?.message ?? e.kind),
      });
      o.logger.warn({ provider: name, kind: e.kind, attempt: e.attempt }, 'provider attempt failed');
    }
  });
  p.onBreakerStateChange((e) => {
    o.monitor.setBreakerState(name, e.to);
    o.metrics.setBreakerState(name, e.to);
    o.emit({ schemaVersion: 1, at: e.at, type: 'breaker.state', provider: name, from: e.from, to: e.to });
  });
  p.onRetry(() => o.metrics.recordRetry(name));
  runtime.hedge.onHedge(() => o.metrics.recordHedge(name));
  p.onNotEntitled((e) => {
    const operation = (e as { operation?: string }).operation ?? 'call';
    runtime.notEntitled.set(operation, o.clock.now() + NOT_ENTITLED_RECHECK_MS);
    // So that the call made at the recheck, if refused again, reports it again.
    p.resetNotEntitled(operation);
    o.alerts.raise({
      type: 'not_entitled',
      subject: `${name}:${operation}`,
      severity: 'warning',
      message: `${name}: the plan of this key does not include ${operation}; it is switched off for ${name} and tried again in ${NOT_ENTITLED_RECHECK_MS / 60_000} minutes`,
    });
  });
}

/**
 * How long an operation refused as `not_entitled` stays switched off before one call tries it
 * again: a plan upgrade takes effect without a restart, and a plan that still refuses costs one
 * call an hour.
 */
export const NOT_ENTITLED_RECHECK_MS = 3_600_000;

/** After a success, switches back on the operations whose recheck time has come, clearing their alerts. */
function reenableRechecked(runtime: ProviderRuntime, o: RuntimeObservers): void {
  const now = o.clock.now();
  for (const [operation, recheckAt] of runtime.notEntitled) {
    if (recheckAt > now) continue;
    runtime.notEntitled.delete(operation);
    o.alerts.clear('not_entitled', `${runtime.name}:${operation}`, `${runtime.name}: ${operation} is served again`);
  }
}
