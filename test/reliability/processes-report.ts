import { expect } from 'vitest';
import { errorCount } from './processes-load.js';
import type { QuotaFigures, SingleFlightFigures } from './processes-run.js';

/** The markdown section of one run (`where`: "one Redis" or "Redis Cluster"). */
export function processesSection(where: string, f: { singleFlight: SingleFlightFigures; quota: QuotaFigures }): string {
  const s = f.singleFlight;
  const q = f.quota;
  const errors = Object.entries(q.tally.errors)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');
  return [
    `### ${where}`,
    '',
    `Single-flight: ${s.processes} processes ask for the same ${s.symbols} symbols through Alpha Vantage (one`,
    `symbol per request) for ${s.durationMs / 1000} s, quote TTL ${s.ttlMs} ms.`,
    '',
    '| calls | fresh | stale | typed errors | upstream calls | upstream calls per key per TTL |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    `| ${s.tally.calls} | ${s.tally.fresh} | ${s.tally.stale} | ${errorCount(s.tally)} | ${s.upstreamCalls} | ${s.perKeyPerTtl.toFixed(2)} |`,
    '',
    `Shared quotas: the same ${q.processes} processes ask for more than polygon and massive allow`,
    `(${q.perMinute} calls a minute each, in the manager's config and enforced by the simulator) for`,
    `${q.durationMs / 1000} s. Unshared, each process would spend the whole quota: up to ${q.processes * q.perMinute} calls a provider.`,
    '',
    '| provider | upstream requests | quota per minute | 429s | quota refusals |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...Object.entries(q.providers).map(
      ([p, v]) => `| ${p} | ${v.requests} | ${q.perMinute} | ${v.status429} | ${v.quotaFaults} |`,
    ),
    '',
    `Callers: ${q.tally.calls} calls, ${q.tally.fresh} fresh, ${q.tally.stale} stale, ${errorCount(q.tally)} typed errors` +
      `${errors === '' ? '' : ` (${errors})`}, ${q.tally.rejected} rejected.`,
    '',
  ].join('\n');
}

/** Asserts what must hold of a many-processes run, on one Redis or a cluster. */
export function expectSharedAcrossProcesses(f: { singleFlight: SingleFlightFigures; quota: QuotaFigures }): void {
  const s = f.singleFlight;
  expect(s.tally.calls).toBeGreaterThan(50);
  expect(errorCount(s.tally)).toBe(0);
  expect(s.tally.rejected).toBe(0);
  // ≈ 1: without the cross-process lock and shared L2, every process would load each key (≈ 4).
  expect(s.upstreamCalls).toBeGreaterThanOrEqual(s.symbols);
  expect(s.perKeyPerTtl).toBeLessThan(1.5);
  const q = f.quota;
  let total = 0;
  for (const v of Object.values(q.providers)) {
    expect(v.requests).toBeLessThanOrEqual(q.perMinute);
    expect(v.status429).toBe(0);
    expect(v.quotaFaults).toBe(0);
    total += v.requests;
  }
  // The quota really bound: the demand used (nearly) all of it.
  expect(total).toBeGreaterThanOrEqual(2 * q.perMinute - 4);
  expect(q.tally.rejected).toBe(0);
}
