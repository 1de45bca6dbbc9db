import type { HealthCheck } from '@stockade/core';
import type { ProbeResult } from './health-report.js';
import type { HealthReason, ProviderAssessment } from './provider-assessment.js';

/**
 * A provider's readiness check in words: `provider:NAME`, `ok` / `warn` (degraded) / `fail`
 * (unhealthy or a failed probe), what was found and how to fix it.
 */
export function describeProvider(a: ProviderAssessment, probe?: ProbeResult): HealthCheck {
  const name = `provider:${a.provider}`;
  const found = a.reasons.map((r) => reasonText(r, a));
  if (probe !== undefined && !probe.ok) found.push(`probe failed: ${probe.error ?? 'no detail'}`);
  if (found.length === 0) {
    const p95 = a.stats.p95 === null ? '' : `, p95 ${Math.round(a.stats.p95)} ms`;
    const probed = probe === undefined ? '' : `, probe ok in ${Math.round(probe.latencyMs)} ms`;
    return { name, status: 'ok', message: `${a.stats.requests} requests in the window${p95}${probed}` };
  }
  const failed = a.status === 'unhealthy' || (probe !== undefined && !probe.ok);
  const check: HealthCheck = { name, status: failed ? 'fail' : 'warn', message: found.join('; ') };
  const fix = fixFor(a);
  if (fix !== undefined) check.fix = fix;
  return check;
}

function reasonText(r: HealthReason, a: ProviderAssessment): string {
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  switch (r) {
    case 'breaker_open':
      return `circuit breaker ${a.breaker}`;
    case 'breaker_half_open':
      return 'circuit breaker half-open (probing)';
    case 'auth_failure':
      return `authentication failed: ${a.lastError?.message ?? 'auth'}`;
    case 'consecutive_failures':
      return `${a.consecutiveFailures} failures in a row (last: ${a.lastError?.kind ?? 'unknown'})`;
    case 'success_rate_unhealthy':
    case 'success_rate_degraded':
      return `success rate ${pct(a.stats.successRate)} over ${a.stats.requests} requests`;
    case 'latency':
      return `p95 ${Math.round(a.stats.p95 ?? 0)} ms above ${Math.round(a.latency.thresholdMs ?? 0)} ms (usual ${Math.round(a.latency.baselineMs ?? 0)} ms)`;
    case 'quota_low':
      return `quota nearly spent: ${a.quota.left} of ${a.quota.limit} calls left`;
    case 'consensus_outlier':
      return `price rejected as an outlier in ${a.outlierStreak} consensus answers in a row`;
  }
}

function fixFor(a: ProviderAssessment): string | undefined {
  if (a.reasons.includes('auth_failure')) return `check providers.${a.provider}.apiKey and where it is set`;
  if (a.reasons.includes('quota_low'))
    return `lower the request rate or raise the plan's quota (providers.${a.provider}.quotas)`;
  return undefined;
}
