import type { BreakerState, HealthStatus } from '@stockade/core';
import type { WindowStats } from './attempt-window.js';
import type { ResolvedHealthThresholds } from './health-thresholds.js';

/**
 * Why a provider is not healthy. The first four make it `unhealthy`, the others `degraded`.
 *
 * | reason | status | when |
 * | --- | --- | --- |
 * | `breaker_open` | unhealthy | breaker `open` or `isolated` |
 * | `auth_failure` | unhealthy | the last attempt failed with kind `auth` (cleared by a success) |
 * | `consecutive_failures` | unhealthy | failures in a row ≥ `consecutiveFailuresAlert` |
 * | `success_rate_unhealthy` | unhealthy | ≥ `minRequests` in the window and success rate < `unhealthySuccessRate` |
 * | `breaker_half_open` | degraded | breaker `half_open` |
 * | `success_rate_degraded` | degraded | ≥ `minRequests` and success rate < `degradedSuccessRate` (not already unhealthy by rate) |
 * | `latency` | degraded | ≥ `minRequests` latencies and p95 > adaptive threshold |
 * | `quota_low` | degraded | share of the quota used ≥ `quotaWarnRatio` |
 * | `consensus_outlier` | degraded | its price rejected as an outlier in ≥ `OUTLIER_STREAK` consensus answers in a row |
 */
export type HealthReason =
  | 'breaker_open'
  | 'auth_failure'
  | 'consecutive_failures'
  | 'success_rate_unhealthy'
  | 'breaker_half_open'
  | 'success_rate_degraded'
  | 'latency'
  | 'quota_low'
  | 'consensus_outlier';

/** Consensus answers in a row whose price was rejected before a provider counts as degraded. */
export const OUTLIER_STREAK = 3;

/** Everything the monitor knows about one provider at one instant. */
export interface ProviderFacts {
  /** Provider name. */
  provider: string;
  /** Whether config enables it. */
  enabled: boolean;
  /** The rolling window's stats. */
  stats: WindowStats;
  /** Failures in a row, now. */
  consecutiveFailures: number;
  /** The last failure. */
  lastError: { kind: string; at: number; message: string } | undefined;
  /** Breaker state as last reported. */
  breaker: BreakerState;
  /** Calls left in the tightest quota (null: unlimited or unknown) and that quota's limit. */
  quota: { left: number | null; limit: number | null };
  /** Consensus answers in a row that rejected this provider's price as an outlier. */
  outlierStreak: number;
  /** The adaptive latency baseline (before the floor) and the threshold from it, ms; undefined until learned. */
  latency: { baselineMs: number | undefined; thresholdMs: number | undefined };
  /** When assessed, epoch ms. */
  at: number;
}

/** A provider's facts with the status and reasons judged from them. */
export interface ProviderAssessment extends ProviderFacts {
  /** Worst status any reason gives; `healthy` with no reason. */
  status: HealthStatus;
  /** Every reason that holds, in the order of {@link HealthReason}. */
  reasons: readonly HealthReason[];
}

const unhealthyReasons: ReadonlySet<HealthReason> = new Set([
  'breaker_open',
  'auth_failure',
  'consecutive_failures',
  'success_rate_unhealthy',
]);

/**
 * Judges a provider from its facts and the thresholds; pure, so the rules can be read and tested
 * apart from the bookkeeping. See {@link HealthReason} for the table.
 */
export function assessProvider(facts: ProviderFacts, t: ResolvedHealthThresholds): ProviderAssessment {
  const reasons: HealthReason[] = [];
  const { stats } = facts;
  const enough = stats.requests >= t.minRequests;
  if (facts.breaker === 'open' || facts.breaker === 'isolated') reasons.push('breaker_open');
  if (facts.consecutiveFailures > 0 && facts.lastError?.kind === 'auth') reasons.push('auth_failure');
  if (facts.consecutiveFailures >= t.consecutiveFailuresAlert) reasons.push('consecutive_failures');
  const rateUnhealthy = enough && stats.successRate < t.unhealthySuccessRate;
  if (rateUnhealthy) reasons.push('success_rate_unhealthy');
  if (facts.breaker === 'half_open') reasons.push('breaker_half_open');
  if (enough && !rateUnhealthy && stats.successRate < t.degradedSuccessRate) reasons.push('success_rate_degraded');
  const threshold = facts.latency.thresholdMs;
  if (stats.latencySamples >= t.minRequests && threshold !== undefined && stats.p95 !== null && stats.p95 > threshold) {
    reasons.push('latency');
  }
  const { left, limit } = facts.quota;
  if (left !== null && limit !== null && limit > 0 && 1 - left / limit >= t.quotaWarnRatio) reasons.push('quota_low');
  if (facts.outlierStreak >= OUTLIER_STREAK) reasons.push('consensus_outlier');

  const status: HealthStatus = reasons.some((r) => unhealthyReasons.has(r))
    ? 'unhealthy'
    : reasons.length > 0
      ? 'degraded'
      : 'healthy';
  return { ...facts, status, reasons };
}

/** Whether two reason lists (both in canonical order) are the same. */
export function sameReasons(a: readonly HealthReason[], b: readonly HealthReason[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}
