import { PROVIDER_NAMES, type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../captured-io.test-support.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterEach(() => sim.faults.clear());
afterAll(() => sim.stop());

describe('stockade quote', () => {
  it('prints one row per symbol with the price the simulator serves and the provider that answered', async () => {
    const run = await runCaptured(['--simulator', sim.origin, 'quote', 'AAPL', 'msft']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Symbol +Price +Change +Change % +Bid +Ask +Volume +As of \(UTC\) +Session +Provider$/);
    expect(lines).toHaveLength(3);
    const aapl = /^AAPL +([\d,.]+) +[-+][\d.]+ +[-+][\d.]+% .* (regular|pre|post|closed) +(\w+)$/.exec(lines[1] ?? '');
    expect(aapl).not.toBeNull();
    expect(Number(aapl?.[1]?.replace(/,/g, ''))).toBeCloseTo(sim.truePrice('AAPL'), -1);
    expect(aapl?.[3]).toBe('polygon');
    expect(lines[2]).toMatch(/^MSFT +[\d,.]+ /);
  });

  it('gives scripts every answer as JSON, each quote with its provider and freshness', async () => {
    const run = await runCaptured(['quote', 'AAPL', 'BTC-USD', '--json', '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    const answers = JSON.parse(run.stdout) as Array<{ symbol: string; ok: boolean; quote: Record<string, unknown> }>;
    expect(answers.map((a) => [a.symbol, a.ok])).toEqual([
      ['AAPL', true],
      ['BTC-USD', true],
    ]);
    expect(answers[0]?.quote.price).toBeCloseTo(sim.truePrice('AAPL'), -1);
    expect(answers[1]?.quote.price).toBeCloseTo(sim.truePrice('BTC-USD'), -2);
    expect(answers[0]?.quote).toMatchObject({ symbol: 'AAPL', provider: 'polygon', stale: false, currency: 'USD' });
  });

  it('fails over when a provider refuses its key, and warns about the key', async () => {
    sim.faults.set('polygon', { badKey: true });
    const run = await runCaptured(['quote', 'AAPL', '--json', '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    const [aapl] = JSON.parse(run.stdout) as Array<{ quote: { provider: string } }>;
    expect(aapl?.quote.provider).toBe('massive');
    expect(run.stderr).toMatch(/^warning: polygon: authentication failed.*providers\.polygon\.apiKey/m);
    expect(sim.stats.faultsServed('polygon', 'badKey')).toBeGreaterThan(0);
  });

  it('asks every provider with --strategy consensus and says how many agreed', async () => {
    const run = await runCaptured(['quote', 'AAPL', '--strategy', 'consensus', '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/AAPL .* consensus +4 agree \(100\.0%\)$/m);
  });

  it('prints the symbols it could quote and exits 1 for one it could not', async () => {
    const run = await runCaptured(['quote', 'AAPL', 'ZZZZQ', '--simulator', sim.origin]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^AAPL /m);
    expect(run.stdout).not.toContain('ZZZZQ');
    expect(run.stderr).toMatch(/^error: ZZZZQ: .*not in the stocks snapshot/m);
    const json = await runCaptured(['quote', 'ZZZZQ', '--json', '--simulator', sim.origin]);
    expect(json.code).toBe(1);
    const [answer] = JSON.parse(json.stdout) as Array<{ ok: boolean; error: { kind: string; provider: string } }>;
    expect(answer).toMatchObject({ ok: false, error: { kind: 'not_found', provider: 'polygon' } });
  });

  it('refuses a malformed symbol as a usage error before asking anyone', async () => {
    const requests = () => PROVIDER_NAMES.reduce((n, p) => n + sim.stats.requests(p), 0);
    const before = requests();
    const run = await runCaptured(['quote', 'AAPL', 'AA PL', '--simulator', sim.origin]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /^error: Symbol "AA PL" contains whitespace, which no symbol may contain; use e.g. AAPL/,
    );
    expect(run.stderr).toContain('(see stockade quote --help)');
    expect(requests()).toBe(before);
  });

  it('refuses an unknown strategy and names the choices', async () => {
    const run = await runCaptured(['quote', 'AAPL', '--strategy', 'fastest']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--strategy must be one of failover, hedged, consensus, got "fastest"');
  });

  it('draws a boxed table on a terminal', async () => {
    const run = await runCaptured(['quote', 'AAPL', '--simulator', sim.origin], { tty: true });
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^┌─+┬/);
    expect(lines[1]).toMatch(/^│ Symbol │ +Price │/);
    expect(lines[3]).toMatch(/^│ AAPL +│ +[\d,.]+ │/);
    expect(lines.at(-1)).toMatch(/^└─+┴.*┘$/);
  });

  it('works with no flags and no keys: the manager starts an embedded simulator', async () => {
    const run = await runCaptured(['quote', 'AAPL', '--json']);
    expect(run.code).toBe(0);
    const [aapl] = JSON.parse(run.stdout) as Array<{ ok: boolean; quote: { price: number; provider: string } }>;
    expect(aapl?.ok).toBe(true);
    expect(aapl?.quote.price).toBeGreaterThan(0);
    expect(['polygon', 'massive', 'yahoo', 'alphavantage']).toContain(aapl?.quote.provider);
  });
});
