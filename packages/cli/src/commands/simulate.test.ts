import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CapturedRun, capture, runCaptured } from '../captured-io.test-support.js';

interface Started {
  origin: string;
  providers: Record<string, string>;
  control: string;
}

/** Starts `stockade simulate --port 0` in-process; `printed` resolves with stdout once the URLs are out. */
function simulate(args: string[]): {
  printed: Promise<string>;
  started(): Promise<Started>;
  stop(): Promise<CapturedRun>;
} {
  const controller = new AbortController();
  const stdout = capture();
  let announce: (text: string) => void = () => {};
  const printed = new Promise<string>((resolve) => {
    announce = resolve;
  });
  const write = stdout.write.bind(stdout);
  stdout.write = (chunk: string) => {
    write(chunk);
    // The control URL is the last thing printed, in both formats.
    if (/__sim.*\n/.test(stdout.text)) announce(stdout.text);
    return true;
  };
  const finished = runCaptured(['simulate', '--port', '0', ...args], { signal: controller.signal, stdout });
  const ended = finished.then((r) => Promise.reject(new Error(`simulate ended early: ${r.stderr}`)));
  const out = Promise.race([printed, ended]);
  return {
    printed: out,
    started: () => out.then((text) => JSON.parse(text) as Started),
    async stop() {
      controller.abort(new DOMException('test over', 'AbortError'));
      return finished;
    },
  };
}

describe('stockade simulate', () => {
  it('serves the providers until interrupted, then stops cleanly and exits 0', async () => {
    const sim = simulate(['--seed', '7', '--json']);
    const { origin, providers } = await sim.started();
    expect(Object.keys(providers).sort()).toEqual(['alphavantage', 'massive', 'polygon', 'yahoo']);
    expect(providers.polygon).toBe(`${origin}/polygon`);
    const quote = await runCaptured(['quote', 'AAPL', '--json', '--simulator', origin]);
    expect(quote.code).toBe(0);
    const stats = (await (await fetch(`${origin}/__sim/stats`)).json()) as Record<string, { requests: number }>;
    expect(JSON.stringify(stats)).toMatch(/"requests":[1-9]/);
    const run = await sim.stop();
    expect(run.code).toBe(0);
    expect(run.stderr).toContain('stopping the simulator');
    await expect(fetch(`${origin}/__sim/stats`)).rejects.toThrow();
  });

  it('serves the faults of a --faults file from the start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockade-cli-sim-'));
    const file = join(dir, 'faults.json');
    writeFileSync(file, JSON.stringify({ polygon: { badKey: true }, massive: { errorRate: { 503: 1 } } }));
    const sim = simulate(['--faults', file, '--json']);
    try {
      const { origin } = await sim.started();
      const quote = await runCaptured(['quote', 'MSFT', '--json', '--simulator', origin]);
      const [msft] = JSON.parse(quote.stdout) as Array<{ quote: { provider: string } }>;
      expect(msft?.quote.provider).toBe('yahoo');
      const preflight = await runCaptured(['preflight', '--simulator', origin]);
      expect(preflight.code).toBe(1);
      expect(preflight.stdout).toMatch(/^provider:polygon +fail /m);
      expect(preflight.stdout).toMatch(/^provider:massive +fail /m);
    } finally {
      await sim.stop();
    }
  });

  it('prints its URLs for a person without --json', async () => {
    const sim = simulate([]);
    const lines = (await sim.printed).trimEnd().split('\n');
    expect((await sim.stop()).code).toBe(0);
    expect(lines[0]).toMatch(/^stockade simulator listening on http:\/\/127\.0\.0\.1:\d+ \(seed 1\)$/);
    const origin = /on (http:\/\/\S+)/.exec(lines[0] as string)?.[1];
    expect(lines.slice(1, 5).map((l) => l.trim().split(/ +/))).toEqual(
      ['yahoo', 'alphavantage', 'polygon', 'massive'].map((p) => [p, `${origin}/${p}`]),
    );
    expect(lines[5]?.trim()).toBe(`control       ${origin}/__sim/faults, ${origin}/__sim/stats`);
  });

  it('refuses a bad flag as a usage error', async () => {
    const port = await runCaptured(['simulate', '--port', 'abc']);
    expect(port.code).toBe(2);
    expect(port.stderr).toContain('error: --port: must be a port number, got abc');
    const missing = await runCaptured(['simulate', '--faults', '/nonexistent/faults.json']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('error: --faults: cannot read /nonexistent/faults.json');
  });
});
