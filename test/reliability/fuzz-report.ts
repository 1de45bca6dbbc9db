/**
 * The figures of the fast-check suites (issue 10, "Bad input"): each fuzz test file records one
 * row per property and writes them into `test/reliability/results/fuzz.md` in its `afterAll`.
 * Several files run at once in separate workers, so the merge into the shared file happens under
 * a lock directory; rows of other suites are kept as they are.
 */
import { mkdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Cases per property: 1,000 in CI, 10,000 when `STOCKADE_RELIABILITY=full`. */
export const FUZZ_RUNS = process.env.STOCKADE_RELIABILITY === 'full' ? 10_000 : 1_000;

/** One property's figures. */
export interface FuzzRow {
  /** Test file, e.g. `providers/yahoo`. */
  suite: string;
  /** What was fuzzed. */
  property: string;
  /** Cases run. */
  cases: number;
  /** Wall time, ms. */
  ms: number;
  /** How the cases ended, e.g. `{ quote: 412, 'ProviderError bad_response': 588 }`. */
  outcomes: Record<string, number>;
}

const resultsFile = fileURLToPath(new URL('./results/fuzz.md', import.meta.url));
const lockDir = `${resultsFile}.lock`;
const HEADER = [
  '## Bad input (fast-check)',
  '',
  'Written by the `*.fuzz.test.ts` suites; `size` is `ci` (1,000 cases a property) or `full`',
  '(10,000, `STOCKADE_RELIABILITY=full`). A case passes when the input ends in a valid result or',
  'the typed error the property names, never another throw and never an `undefined` field.',
  '',
  '| suite | property | size | cases | seconds | outcomes |',
  '| --- | --- | --- | ---: | ---: | --- |',
];

/** Collects a suite's rows; {@link FuzzReport.write} merges them into `results/fuzz.md`. */
export interface FuzzReport {
  /** Runs `body` (one `fc.assert`) and records its row; `outcomes` is filled by the property. */
  measure(
    property: string,
    cases: number,
    body: (outcomes: Record<string, number>) => void | Promise<void>,
  ): Promise<void>;
  /** Merges this suite's rows into the results file (call it in `afterAll`). */
  write(): void;
}

/** Counts one outcome. */
export function tally(outcomes: Record<string, number>, what: string): void {
  outcomes[what] = (outcomes[what] ?? 0) + 1;
}

function withLock(fn: () => void): void {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch {
      // A lock left by a killed worker is taken over after a few seconds.
      try {
        if (Date.now() - statSync(lockDir).mtimeMs > 5_000) rmdirSync(lockDir);
      } catch {}
      if (Date.now() > deadline) throw new Error(`could not lock ${lockDir}`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    fn();
  } finally {
    rmdirSync(lockDir);
  }
}

function rowLine(r: FuzzRow, size: string): string {
  const outcomes = Object.entries(r.outcomes)
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k}: ${n}`)
    .join(', ');
  return `| ${r.suite} | ${r.property} | ${size} | ${r.cases} | ${(r.ms / 1000).toFixed(1)} | ${outcomes} |`;
}

/** A report for one suite (one fuzz test file). */
export function fuzzReport(suite: string): FuzzReport {
  const rows: FuzzRow[] = [];
  const size = process.env.STOCKADE_RELIABILITY === 'full' ? 'full' : 'ci';
  return {
    async measure(property, cases, body) {
      const outcomes: Record<string, number> = {};
      const started = performance.now();
      await body(outcomes);
      rows.push({ suite, property, cases, ms: performance.now() - started, outcomes });
    },
    write() {
      if (rows.length === 0) return;
      withLock(() => {
        let existing: string[] = [];
        try {
          existing = readFileSync(resultsFile, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('| ') && !l.startsWith('| suite ') && !l.startsWith('| ---'));
        } catch {}
        const kept = existing.filter((l) => l.split('|')[1]?.trim() !== suite);
        const lines = [...kept, ...rows.map((r) => rowLine(r, size))].sort();
        writeFileSync(resultsFile, `${[...HEADER, ...lines].join('\n')}\n`);
      });
    },
  };
}
