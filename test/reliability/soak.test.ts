import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { redisUrl, testPrefix } from '../support/redis.js';

const FULL = process.env.STOCKADE_RELIABILITY === 'full';
const DURATION_MS = FULL ? 600_000 : 30_000;
const childScript = fileURLToPath(new URL('./soak.child.ts', import.meta.url));
const resultsFile = fileURLToPath(new URL('./results/soak.md', import.meta.url));

interface SoakFigures {
  durationMs: number;
  warmupMs: number;
  measuredS: number;
  requests: number;
  answers: number;
  served: number;
  stale: number;
  typedErrors: number;
  otherErrors: number;
  rejected: number;
  rejectedSymbols: number;
  untypedRejections: number;
  rejectionReasons: Record<string, number>;
  afterWarmup: { answers: number; served: number; stale: number; rejectedSymbols: number; rejected: number };
  requestsPerS: number;
  upstreamPerS: number;
  upstreamByProvider: Record<string, number>;
  faultSwitches: number;
  heapStart: number;
  heapEnd: number;
  closeMs: number;
  closedAt: number;
}

/** Runs the soak child; resolves with its figures, its stderr and when it exited. */
function runSoak(
  url: string,
): Promise<{ figures: SoakFigures; stderr: string; exitedAt: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--expose-gc',
        '--conditions=source',
        '--import',
        'tsx',
        childScript,
        url,
        testPrefix('soak'),
        String(DURATION_MS),
      ],
      { cwd: fileURLToPath(new URL('../../', import.meta.url)), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.once('error', reject);
    // A child that does not exit by itself is killed after a grace, and reported as a leak.
    const guard = setTimeout(() => child.kill('SIGKILL'), DURATION_MS + 45_000);
    child.once('exit', (code) => {
      clearTimeout(guard);
      const exitedAt = Date.now();
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve({ figures: JSON.parse(line) as SoakFigures, stderr, exitedAt, code });
      } catch {
        reject(new Error(`the soak child printed no figures (exit ${code}): ${stderr.slice(-2_000)}`));
      }
    });
  });
}

const mb = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

describe.skipIf(!redisUrl())('soak: the manager under switching faults', () => {
  it('keeps serving at ≥ 200 requests/s with heap growth under 10% and exits by itself after close()', {
    timeout: DURATION_MS + 90_000,
  }, async () => {
    const { figures: f, stderr, exitedAt, code } = await runSoak(redisUrl() as string);
    const exitMs = exitedAt - f.closedAt;
    const growth = (f.heapEnd - f.heapStart) / f.heapStart;
    const asked = f.answers + f.rejectedSymbols;
    const servedPct = (100 * f.served) / asked;
    const w = f.afterWarmup;
    const steadyPct = (100 * w.served) / (w.answers + w.rejectedSymbols);
    writeFileSync(
      resultsFile,
      [
        '## Soak',
        '',
        `\`test/reliability/soak.test.ts\`, ${FULL ? 'full size' : 'CI size'}: ${DURATION_MS / 1000} s of paced`,
        'load on one manager (Redis L2 on) against the simulator, one or two providers faulted at a',
        `time, the fault switching every 3 s (500/503s, 429 + Retry-After, malformed JSON, schema drift,`,
        'resets, latency, hangs, bad key, slow bodies). 1–3 symbols a call out of 60, quote TTL 400 ms,',
        '`maxStaleMs` 60 s, a 3 s caller timeout per call. Heap measured in the child after two forced GCs,',
        'after warm-up (half of a CI run, 60 s of a full one) and at the end.',
        '',
        '| figure | value |',
        '| --- | ---: |',
        `| duration (warm-up) | ${DURATION_MS / 1000} s (${f.warmupMs / 1000} s) |`,
        `| requests (calls) | ${f.requests} |`,
        `| requests/s after warm-up | ${f.requestsPerS.toFixed(0)} |`,
        `| upstream calls/s (simulator) | ${f.upstreamPerS.toFixed(0)} |`,
        `| upstream calls by provider | ${Object.entries(f.upstreamByProvider)
          .map(([p, n]) => `${p} ${n}`)
          .join(', ')} |`,
        `| fault switches | ${f.faultSwitches} |`,
        `| symbols asked | ${asked} |`,
        `| served, whole run | ${servedPct.toFixed(2)}% (stale ${((100 * f.stale) / asked).toFixed(2)}%) |`,
        `| served after warm-up | ${steadyPct.toFixed(2)}% (stale ${((100 * w.stale) / (w.answers + w.rejectedSymbols)).toFixed(2)}%, ${w.rejected} calls rejected) |`,
        `| per-symbol typed errors / untyped | ${f.typedErrors} / ${f.otherErrors} |`,
        `| rejected calls (untyped) | ${f.rejected} (${f.untypedRejections})${
          Object.keys(f.rejectionReasons).length === 0
            ? ''
            : `: ${Object.entries(f.rejectionReasons)
                .map(([r, n]) => `${r.replaceAll('|', '/')} ×${n}`)
                .join('; ')}`
        } |`,
        `| heap after warm-up → end | ${mb(f.heapStart)} → ${mb(f.heapEnd)} (${(100 * growth).toFixed(1)}%) |`,
        `| close() took | ${f.closeMs} ms |`,
        `| process exit after close | ${exitMs} ms (exit code ${code}) |`,
        '',
      ].join('\n'),
    );
    expect(code, stderr).toBe(0);
    expect(f.requestsPerS).toBeGreaterThanOrEqual(200);
    expect(f.upstreamPerS).toBeGreaterThan(10);
    expect(f.faultSwitches).toBeGreaterThanOrEqual(Math.floor(DURATION_MS / 3_000) - 1);
    // Every failure is typed: a per-symbol StockadeError, or a call rejected with one (or with the caller's abort reason).
    expect(f.otherErrors + f.untypedRejections).toBe(0);
    // Warm-up starts cold (empty caches, every symbol upstream at once), so the bar is the steady
    // state. Each quotes() call is bounded by resilience.deadlineMs: on a CPU-starved machine (CI runs
    // other suites beside this one) a symbol with nothing cached yet answers a typed TimeoutError at
    // the deadline rather than late, which counts as not served here; 100 % after warm-up was
    // measured alone, 95.8 % with three busy loops beside it.
    expect(steadyPct).toBeGreaterThanOrEqual(95);
    expect(growth).toBeLessThan(0.1);
    // No handle leak: the child exits on its own; on failure its stderr lists what was still active.
    expect(exitMs, stderr).toBeLessThan(5_000);
  });
});
