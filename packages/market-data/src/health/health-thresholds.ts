import { HealthThresholds, ValidationError } from '@stockade/core';

/**
 * Thresholds as callers give them: any subset of core's `health` config section (same field
 * names), e.g. `config.health` from `loadConfig()`. Missing fields take the development profile's
 * defaults.
 */
export type HealthThresholdsInput = Partial<HealthThresholds>;

/** Every threshold the monitor judges by, resolved. */
export interface ResolvedHealthThresholds extends HealthThresholds {
  /**
   * Fewer attempts than this in the window and the success rate and latency are not judged
   * (three failures out of four calls at startup are not a trend); consecutive failures still are.
   */
  minRequests: number;
}

/**
 * Validates thresholds with core's `HealthThresholds` schema and adds `minRequests`. Throws a
 * `ValidationError` naming each bad field.
 */
export function resolveHealthThresholds(
  input: HealthThresholdsInput | undefined,
  minRequests: number,
  factory: string,
): ResolvedHealthThresholds {
  const parsed = HealthThresholds.safeParse(input ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: ['thresholds', ...i.path].join('.'), message: i.message }));
    throw new ValidationError(
      `${factory}: invalid thresholds — ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  const t = parsed.data;
  if (t.unhealthySuccessRate > t.degradedSuccessRate) {
    throw new ValidationError(
      `${factory}: thresholds.unhealthySuccessRate (${t.unhealthySuccessRate}) must not exceed thresholds.degradedSuccessRate (${t.degradedSuccessRate})`,
      [{ path: 'thresholds.unhealthySuccessRate', message: 'must be ≤ degradedSuccessRate' }],
    );
  }
  if (!Number.isInteger(minRequests) || minRequests < 1) {
    throw new ValidationError(`${factory}: minRequests must be an integer ≥ 1, got ${String(minRequests)}`, [
      { path: 'minRequests', message: 'expected an integer ≥ 1' },
    ]);
  }
  return { ...t, minRequests };
}
