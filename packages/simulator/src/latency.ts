import type { ProviderFaults } from './faults.js';

// The 99th percentile of the standard normal distribution.
const Z99 = 2.326_347_874;

/**
 * The delay to inject for one request: the fixed value, or a lognormal draw with the given median
 * and 99th percentile (`z` is a standard normal draw from the seeded fault generator). Capped at
 * ten times the p99 so that one unlucky draw cannot stall a run.
 *
 * @example
 * latencyFor({ p50Ms: 20, p99Ms: 200 }, 0) // → 20
 */
export function latencyFor(latency: ProviderFaults['latency'], z: number): number {
  if (latency === undefined) return 0;
  if ('p50Ms' in latency) {
    const mu = Math.log(latency.p50Ms);
    const sigma = Math.max(0, (Math.log(latency.p99Ms) - mu) / Z99);
    return Math.min(Math.exp(mu + sigma * z), latency.p99Ms * 10);
  }
  return latency.fixedMs ?? 0;
}
