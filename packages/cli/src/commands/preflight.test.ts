import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../captured-io.test-support.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterEach(() => sim.faults.clear());
afterAll(() => sim.stop());

interface PreflightJson {
  ok: boolean;
  checks: Array<{ name: string; status: string; message: string; fix?: string }>;
}

describe('stockade preflight', () => {
  it('passes with every check ok and exits 0', async () => {
    const run = await runCaptured(['preflight', '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Check +Status +Message$/);
    expect(lines.slice(1, -1).map((l) => l.split(/ +/)[0])).toEqual([
      'config',
      'key:polygon',
      'key:massive',
      'key:alphavantage',
      'provider:polygon',
      'provider:massive',
      'provider:yahoo',
      'provider:alphavantage',
    ]);
    expect(lines.at(-1)).toBe('preflight passed: 8 of 8 checks ok');
  });

  it('exits 1 on a failed check and gives its fix', async () => {
    sim.faults.set('alphavantage', { badKey: true });
    const run = await runCaptured(['preflight', '--json', '--simulator', sim.origin]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as PreflightJson;
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => c.status === 'fail');
    expect(failed.map((c) => c.name)).toEqual(['provider:alphavantage']);
    expect(failed[0]?.fix).toContain('providers.alphavantage.apiKey');
    const text = await runCaptured(['preflight', '--simulator', sim.origin]);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/^provider:alphavantage +fail .*set a valid key in providers\.alphavantage\.apiKey/m);
    expect(text.stdout.trimEnd().split('\n').at(-1)).toBe('preflight failed: 1 of 8 checks failed');
  });

  it('names a simulator that is not there instead of failing every provider', async () => {
    const run = await runCaptured(['preflight', '--simulator', 'http://127.0.0.1:9']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('nothing answers at http://127.0.0.1:9: start a simulator with `stockade simulate');
  });
});
