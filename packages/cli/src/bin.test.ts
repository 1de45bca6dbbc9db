import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The environment without provider keys or Stockade settings, so the binary runs in simulator mode. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(STOCKADE_|POLYGON_|MASSIVE_|ALPHA_?VANTAGE_)/.test(name)) env[name] = value;
  }
  return env;
}

function stockade(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(
    process.execPath,
    ['--conditions=source', '--import', 'tsx', 'packages/cli/src/bin.ts', ...args],
    { cwd: repoRoot, env: cleanEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (d: string) => {
    stdout += d;
  });
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
  });
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { child, done };
}

describe('the stockade binary', () => {
  it('prints a quote as JSON, exits 0 and ends on its own (the manager and its simulator are closed)', async () => {
    const { code, stdout, stderr } = await stockade(['quote', 'AAPL', '--json']).done;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [aapl] = JSON.parse(stdout) as Array<{
      symbol: string;
      ok: boolean;
      quote: { symbol: string; price: number };
    }>;
    expect(aapl).toMatchObject({ symbol: 'AAPL', ok: true, quote: { symbol: 'AAPL' } });
    expect(aapl?.quote.price).toBeGreaterThan(0);
  });

  it('exits 2 on a usage error', async () => {
    const { code, stdout, stderr } = await stockade(['quote', 'AAPL', '--nope']).done;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toBe('error: unknown option --nope\n(see stockade quote --help)\n');
  });

  it('runs the simulator until SIGINT, then stops it and exits 0', async () => {
    const { child, done } = stockade(['simulate', '--port', '0', '--json']);
    const origin = await new Promise<string>((resolve, reject) => {
      let text = '';
      child.stdout?.on('data', (d: string) => {
        text += d;
        if (text.includes('\n')) resolve((JSON.parse(text.split('\n')[0] as string) as { origin: string }).origin);
      });
      child.on('close', () => reject(new Error('simulate ended before printing its URLs')));
    });
    const res = await fetch(`${origin}/__sim/stats`);
    expect(res.status).toBe(200);
    await res.body?.cancel();
    child.kill('SIGINT');
    const { code, stderr } = await done;
    expect(code).toBe(0);
    expect(stderr).toContain('stopping the simulator');
  });
});
