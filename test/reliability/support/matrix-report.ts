import { mkdirSync, writeFileSync } from 'node:fs';
import type { CellResult } from './matrix-cell.js';

const pct = (n: number, of: number) => (of === 0 ? '—' : `${((100 * n) / of).toFixed(n === of ? 0 : 2)} %`);

/** `polygon closed→open ×1, open→half_open ×1` from a list of transitions. */
function summarize(transitions: readonly string[]): string {
  if (transitions.length === 0) return 'none';
  const counts = new Map<string, number>();
  for (const t of transitions) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([t, n]) => (n === 1 ? t : `${t} ×${n}`)).join(', ');
}

function faultsServed(r: CellResult): string {
  return Object.entries(r.faultsServed)
    .map(([p, f]) => {
      const shown = Object.entries(f).filter(([name]) => name !== 'latency' || Object.keys(f).length === 1);
      return `${p}: ${shown.length === 0 ? '0' : shown.map(([name, n]) => `${name} ${n}`).join(', ')}`;
    })
    .join('; ');
}

function upstream(r: CellResult): string {
  return Object.keys(r.faultsServed)
    .map((p) => `${p} ${r.upstream[p as keyof CellResult['upstream']] ?? 0}`)
    .join(', ');
}

/** Markdown section of the fault matrix: how it was run, the totals, and one row per cell. */
export function matrixMarkdown(
  results: readonly CellResult[],
  run: { size: 'ci' | 'full'; requestsPerCell: number; seconds: number; command: string; secrets?: string },
): string {
  const total = results.reduce((n, r) => n + r.requests, 0);
  const served = results.reduce((n, r) => n + r.served, 0);
  const healthy = results.filter((r) => r.healthyLeft);
  const healthyServed = healthy.reduce((n, r) => n + r.served, 0);
  const healthyTotal = healthy.reduce((n, r) => n + r.requests, 0);
  const rows = results.map(
    (r) =>
      `| ${r.id} | ${r.label} | ${r.requests} | ${pct(r.served, r.requests)} | ${pct(r.stale, r.requests)} | ${r.typedErrors} | ${r.invalid} | ${r.unhandled} | ${r.throttled} | ${upstream(r)} | ${faultsServed(r)} | ${summarize(r.transitions)} |`,
  );
  return [
    '## Fault matrix',
    '',
    `The manager against the simulator on a clock pinned inside a regular session (Tuesday 2026-03-10 11:00 New York), ` +
      `${run.size === 'full' ? 'full size' : 'CI size'}: ${run.requestsPerCell} calls per cell, ${results.length} cells, ` +
      `${total} calls in ${run.seconds.toFixed(1)} s (\`${run.command}\`). Each cell warms the cache, switches the faults on, ` +
      `asks one call per symbol per round (10 symbols), moves the clock past the quote TTL between rounds, then clears the ` +
      `faults, moves the clock past the half-open delay and checks that every breaker that opened closes again.`,
    '',
    ...(run.secrets === undefined ? [] : [run.secrets, '']),
    `- served overall: ${pct(served, total)} (${served} of ${total}); with at least one provider healthy: ${pct(healthyServed, healthyTotal)}`,
    `- invalid answers (untyped error, schema failure, stale not marked): ${results.reduce((n, r) => n + r.invalid, 0)}`,
    `- unhandled rejections and uncaught exceptions: ${results.reduce((n, r) => n + r.unhandled, 0)}`,
    `- 429s where the manager was given the simulator's quota: ${results
      .filter((r) => r.id.endsWith('/quota-known'))
      .reduce((n, r) => n + r.throttled, 0)}`,
    `- wrong-price cells: served prices more than 1 % off the simulated path: ${results.reduce((n, r) => n + r.offTruth, 0)}`,
    '',
    '"429s" counts throttle answers the simulator sent (429s and Alpha Vantage\'s quota notes); "upstream" the calls the faulted provider received during the load; breaker transitions include the recovery.',
    '',
    '| cell | scenario | requests | served | stale | typed errors | invalid | unhandled | 429s | upstream | faults served | breaker transitions |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}

/** Writes the section to `test/reliability/results/<name>.md`. */
export function writeResult(name: string, markdown: string): void {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${name}.md`, dir), markdown);
}
