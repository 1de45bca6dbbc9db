import type { AlertType, HealthStatus } from '@stockade/core';
import type { HealthMonitor, ProviderHealthChange } from '../health/health-monitor.js';
import type { HealthReason, ProviderAssessment } from '../health/provider-assessment.js';
import type { AlertCenter } from './alert-center.js';

/** Options of {@link createAlertRules}. */
export interface AlertRulesOptions {
  /** The health monitor watched. */
  monitor: HealthMonitor;
  /** Where alerts are raised and cleared. */
  alerts: AlertCenter;
  /**
   * Where a provider's key came from, in words (`env MASSIVE_API_KEY`, `file ./stockade.config.json`),
   * named in the auth alert; the key resolver's `FoundKey.source` fits. @default none known
   */
  keySourceOf?: (provider: string) => string | undefined;
}

/** The running rules; see {@link createAlertRules}. */
export interface AlertRules {
  /** Stops watching the monitor; active alerts stay active. */
  dispose(): void;
}

/** A per-provider alert and the health reason that drives it. */
interface ProviderRule {
  type: AlertType;
  reason: HealthReason;
  severity: 'warning' | 'critical';
  raised(a: ProviderAssessment, keySource: string | undefined, factor: number, warnRatio: number): string;
  cleared(a: ProviderAssessment): string;
}

const ms = (x: number | null | undefined) => `${Math.round(x ?? 0)} ms`;

const rules: readonly ProviderRule[] = [
  {
    type: 'auth_failure',
    reason: 'auth_failure',
    severity: 'critical',
    raised: (a, source) =>
      `${a.provider}: authentication failed (${a.lastError?.message ?? 'auth'}) — check providers.${a.provider}.apiKey` +
      (source === undefined ? ' (no key source recorded)' : `, set from ${source}`),
    cleared: (a) => `${a.provider}: authentication works again`,
  },
  {
    type: 'consecutive_failures',
    reason: 'consecutive_failures',
    severity: 'warning',
    raised: (a) =>
      `${a.provider}: ${a.consecutiveFailures} consecutive failures, the last ${a.lastError?.kind ?? 'unknown'}: ${a.lastError?.message ?? ''}`,
    cleared: (a) => `${a.provider}: answering again`,
  },
  {
    type: 'latency',
    reason: 'latency',
    severity: 'warning',
    raised: (a, _s, factor) =>
      `${a.provider}: p95 latency ${ms(a.stats.p95)} is above ${ms(a.latency.thresholdMs)} (${factor}× its usual ${ms(a.latency.baselineMs)})`,
    cleared: (a) => `${a.provider}: latency back under ${ms(a.latency.thresholdMs)} (p95 ${ms(a.stats.p95)})`,
  },
  {
    type: 'quota_low',
    reason: 'quota_low',
    severity: 'warning',
    raised: (a, _s, _f, ratio) =>
      `${a.provider}: ${a.quota.left} of ${a.quota.limit} calls left in its tightest quota (warns at ${Math.round(ratio * 100)}% used)`,
    cleared: (a) =>
      `${a.provider}: quota no longer nearly spent${a.quota.left === null ? '' : ` (${a.quota.left} calls left)`}`,
  },
  {
    type: 'consensus_outlier',
    reason: 'consensus_outlier',
    severity: 'warning',
    raised: (a) =>
      `${a.provider}: its price was rejected as an outlier in ${a.outlierStreak} consensus answers in a row — check the provider's data or its symbol mapping`,
    cleared: (a) => `${a.provider}: its prices agree with the other providers again`,
  },
];

/**
 * Watches a {@link HealthMonitor} and raises and clears alerts as conditions start and end:
 *
 * | alert | raised when | cleared when |
 * | --- | --- | --- |
 * | `auth_failure` (critical) | at once on an `auth` failure; names `providers.NAME.apiKey` and the key's source | the provider answers again |
 * | `consecutive_failures` | failures in a row ≥ `consecutiveFailuresAlert` | a success |
 * | `latency` | p95 above the adaptive threshold | p95 back under it |
 * | `quota_low` | used share of the tightest quota ≥ `quotaWarnRatio` | the quota refills |
 * | `consensus_outlier` | a provider's price rejected in several consensus answers in a row | its price is accepted again |
 * | `all_providers_down` (critical) | every enabled provider is unhealthy | any one is not |
 *
 * Conditions present when the rules start are raised at once.
 *
 * @example
 * const alerts = createAlertCenter({ emit: (e) => manager.emit(e.type, e) });
 * const rules = createAlertRules({ monitor, alerts, keySourceOf: (p) => keys.sourceOf(p) });
 * // on close:
 * rules.dispose();
 */
export function createAlertRules(options: AlertRulesOptions): AlertRules {
  const { monitor, alerts } = options;
  const { latencyFactor, quotaWarnRatio } = monitor.thresholds;
  const known = new Map<string, { status: HealthStatus; enabled: boolean }>();

  function apply(a: ProviderAssessment): void {
    known.set(a.provider, { status: a.status, enabled: a.enabled });
    for (const rule of rules) {
      const holds = a.reasons.includes(rule.reason);
      if (holds && !alerts.isActive(rule.type, a.provider)) {
        const source = rule.type === 'auth_failure' ? options.keySourceOf?.(a.provider) : undefined;
        alerts.raise({
          type: rule.type,
          subject: a.provider,
          severity: rule.severity,
          message: rule.raised(a, source, latencyFactor, quotaWarnRatio),
        });
      } else if (!holds) {
        alerts.clear(rule.type, a.provider, rule.cleared(a));
      }
    }
    judgeAllDown(a.provider);
  }

  function judgeAllDown(changed: string): void {
    const enabled = [...known].filter(([, k]) => k.enabled);
    const down = enabled.length > 0 && enabled.every(([, k]) => k.status === 'unhealthy');
    if (down) {
      alerts.raise({
        type: 'all_providers_down',
        severity: 'critical',
        message: `every enabled provider is unhealthy (${enabled.map(([p]) => p).join(', ')}): only cached data can be served`,
      });
    } else {
      const usable = enabled.filter(([, k]) => k.status !== 'unhealthy').map(([p]) => p);
      const up = usable.includes(changed) ? changed : usable[0];
      alerts.clear(
        'all_providers_down',
        undefined,
        up === undefined ? 'no provider is enabled any more' : `${up} is usable again`,
      );
    }
  }

  const subscription = monitor.onAssessmentChange((change: ProviderHealthChange) => apply(change.assessment));
  const initial = monitor.providers().map((p) => monitor.assessment(p));
  // Know every provider before judging "all down", so the first unhealthy one alone does not raise it.
  for (const a of initial) known.set(a.provider, { status: a.status, enabled: a.enabled });
  for (const a of initial) apply(a);
  return { dispose: () => subscription.dispose() };
}
