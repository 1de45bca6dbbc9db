// One result format for every bench: each row is our figure beside a peer's from the same run, with
// the ratio. `report()` prints the rows as a markdown table and writes bench/results/<bench>.json,
// which `npm run bench` gathers into bench/results/latest.json and docs/performance.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

/** One measured figure beside its peer's. */
export interface BenchRow {
  /** What was measured, in a few words. */
  scenario: string;
  /** Our figure. */
  ours: number;
  /** The peer it is compared with (library and call), or the floor it is held against. */
  peer: string;
  /** The peer's figure from the same run, in the same unit. */
  peerValue: number;
  /** Unit of `ours` and `peerValue`: 'ns/op', 'ms', 'ops/s', 'calls/cycle', 'MB'… */
  unit: string;
  /**
   * How many times better ours is than the peer's (> 1 is better): peer ÷ ours when lower is
   * better (times, calls, bytes), ours ÷ peer when higher is better (throughput).
   */
  speedup: number;
  /** The target, in words, e.g. '≥ 1.5×' or '≤ 250 ns'. */
  target?: string;
  /** Whether this run met the target. */
  met?: boolean;
}

/** Rounds to three significant figures for printing and storing. */
export function sig3(x: number): number {
  if (!Number.isFinite(x) || x === 0) return x;
  return Number(x.toPrecision(3));
}

/** Builds a row where lower is better (time, calls, memory). */
export function lowerIsBetter(row: Omit<BenchRow, 'speedup'>): BenchRow {
  return { ...row, speedup: sig3(row.peerValue / row.ours) };
}

/** Builds a row where higher is better (throughput). */
export function higherIsBetter(row: Omit<BenchRow, 'speedup'>): BenchRow {
  return { ...row, speedup: sig3(row.ours / row.peerValue) };
}

/** Renders rows as a markdown table. */
export function markdownTable(rows: readonly BenchRow[]): string {
  const lines = [
    '| scenario | ours | peer | peer figure | ours vs peer | target | met |',
    '|---|---:|---|---:|---:|---|---|',
  ];
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? 'yes' : 'NO';
    lines.push(
      `| ${r.scenario} | ${sig3(r.ours)} ${r.unit} | ${r.peer} | ${sig3(r.peerValue)} ${r.unit} | ${sig3(r.speedup)}× | ${r.target ?? ''} | ${met} |`,
    );
  }
  return lines.join('\n');
}

/** Prints the table and writes bench/results/<bench>.json with the machine it ran on. */
export function report(bench: string, rows: readonly BenchRow[], extra: Record<string, unknown> = {}): void {
  console.log(`\n${markdownTable(rows)}\n`);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const result = {
    bench,
    measuredAt: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    loadAverage1m: sig3(loadavg()[0] ?? 0),
    rows,
    ...extra,
  };
  writeFileSync(`${dir}${bench}.json`, `${JSON.stringify(result, null, 2)}\n`);
}
