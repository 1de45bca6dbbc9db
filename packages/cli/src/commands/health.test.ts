import { PROVIDER_NAMES, type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../captured-io.test-support.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterEach(() => sim.faults.clear());
afterAll(() => sim.stop());

interface HealthJson {
  status: string;
  level: number;
  providers: Record<string, { status: string; probe?: { ok: boolean; error?: string } }>;
  checks: Array<{ name: string; status: string }>;
}

describe('stockade health', () => {
  it('probes every provider at level 3 and reports each one healthy', async () => {
    const run = await runCaptured(['health', '--level', '3', '--json', '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as HealthJson;
    expect(report.level).toBe(3);
    expect(report.status).toBe('healthy');
    expect(Object.keys(report.providers).sort()).toEqual([...PROVIDER_NAMES].sort());
    for (const p of Object.values(report.providers)) expect(p.probe?.ok).toBe(true);
    for (const name of PROVIDER_NAMES) expect(sim.stats.requests(name)).toBeGreaterThan(0);
  });

  it('shows a provider whose probe fails, and stays at exit 0 while others serve', async () => {
    sim.faults.set('polygon', { badKey: true });
    const run = await runCaptured(['health', '--level', '3', '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^polygon .* failed: polygon: Unknown API Key \(HTTP 401\)$/m);
    expect(run.stdout).toMatch(/^massive .* ok \d+ ms$/m);
    expect(run.stdout).toMatch(/^provider:polygon +fail +probe failed: polygon: Unknown API Key/m);
    expect(run.stdout).toMatch(/^providers +ok +3 of 4 enabled providers usable: massive, yahoo, alphavantage$/m);
    expect(run.stdout).toMatch(/^status: degraded \(level 3, stockade [\d.]+\)$/m);
  });

  it('exits 1 when no provider is usable', async () => {
    for (const name of PROVIDER_NAMES) sim.faults.set(name, { errorRate: { 503: 1 } });
    const run = await runCaptured(['health', '--level', '3', '--json', '--simulator', sim.origin]);
    const report = JSON.parse(run.stdout) as HealthJson;
    expect(report.status).toBe('unhealthy');
    expect(run.code).toBe(1);
  });

  it('defaults to the readiness level, which sends no request upstream', async () => {
    sim.stats.reset();
    const run = await runCaptured(['health', '--json', '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    expect((JSON.parse(run.stdout) as HealthJson).level).toBe(2);
    for (const name of PROVIDER_NAMES) expect(sim.stats.requests(name)).toBe(0);
  });

  it('refuses a level that does not exist', async () => {
    const run = await runCaptured(['health', '--level', '4']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--level must be a whole number from 1 to 3, got "4"');
  });
});
