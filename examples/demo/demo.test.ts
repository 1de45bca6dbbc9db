import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyVariables } from './demo-options.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** The environment without any provider key, so the run cannot reach a real API. */
function keylessEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of keyVariables()) delete env[name];
  return env;
}

/** Runs `node scripts/start.mjs …args` the way `npm start` does after its build step, piped (no TTY). */
function start(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/start.mjs', ...args], {
      cwd: repoRoot,
      env: keylessEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    // 'close', not 'exit': the process ended by itself (no handle kept it alive) and its output is complete.
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The value printed after a summary label, e.g. `upstream calls per cycle   1.60 (…)`. */
function summaryValue(stdout: string, label: string): string {
  const line = stdout.split('\n').find((l) => l.trimStart().startsWith(label));
  if (line === undefined) throw new Error(`no "${label}" line in:\n${stdout}`);
  return line.trimStart().slice(label.length).trim();
}

describe('npm start (the demo)', () => {
  beforeAll(() => {
    // The demo runs from packages/*/dist, as `npm start` and `npm test` build them when stale.
    const build = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: repoRoot, encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
  }, 300_000);

  it('runs the fault script to the end, exits 0 by itself and prints the summary', async () => {
    const { code, stdout, stderr } = await start(['--fast', '--simulator']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Piped output is one plain line per cycle: no screen redraws, no colours.
    expect(stdout).not.toContain('\x1b[');
    expect(stdout.match(/^\[\s*\d+\/30 /gm)).toHaveLength(30);
    for (const step of [
      'Massive answers 401',
      'Yahoo turns slow',
      'Alpha Vantage hits its quota',
      'every fault cleared',
    ]) {
      expect(stdout).toContain(`fault script: ${step}`);
    }

    // Massive's 401 is raised as a critical alert at once and cleared when Massive answers again.
    const raised = stdout.indexOf('alert raised  critical auth_failure:massive');
    const cleared = stdout.indexOf('alert cleared auth_failure:massive');
    expect(raised).toBeGreaterThan(stdout.indexOf('fault script: Massive answers 401'));
    expect(cleared).toBeGreaterThan(stdout.indexOf('fault script: every fault cleared'));
    expect(summaryValue(stdout, 'alerts raised')).toContain('auth_failure:massive');
    expect(summaryValue(stdout, 'alerts cleared')).toContain('auth_failure:massive');

    // Cache and batching: far fewer upstream calls than one per symbol per cycle.
    const perCycle = Number(summaryValue(stdout, 'upstream calls per cycle').split(' ')[0]);
    expect(perCycle).toBeGreaterThan(0);
    expect(perCycle).toBeLessThan(4);
    expect(summaryValue(stdout, 'cache hit rate')).toMatch(/^\d+\.\d% of quotes needed no upstream fetch/);
    expect(summaryValue(stdout, 'quote cycle p95')).toMatch(/^\d+\.\d ms/);
    // Every symbol got an answer in every cycle, failover included.
    expect(summaryValue(stdout, 'answers')).toMatch(/^240 of 240 quotes, 0 errors/);

    // Streamed prices ran beside the polling view: trades and quotes arrived over the simulator's WebSocket.
    expect(stdout).toMatch(/\| stream (massive|polygon) subscribed [\d.]+ msg\/s, AAPL [\d.]+$/m);
    expect(summaryValue(stdout, 'streamed events')).toMatch(
      /^trade [1-9]\d*, quote [1-9]\d*, bar 0, status \d+ for 6 symbols/,
    );
  }, 120_000);

  it('--live without any provider key says which variables to set and exits 1', async () => {
    const { code, stdout, stderr } = await start(['--live']);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain('needs at least one provider API key');
    for (const name of ['POLYGON_API_KEY', 'MASSIVE_API_KEY', 'ALPHA_VANTAGE_API_KEY']) expect(stderr).toContain(name);
  }, 60_000);

  it('rejects an unknown option with a hint instead of running', async () => {
    const { code, stderr } = await start(['--duraton', '5']);
    expect(code).toBe(1);
    expect(stderr).toContain('unknown option --duraton');
  }, 60_000);
});
