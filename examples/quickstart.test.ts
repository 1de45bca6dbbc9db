import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

describe('examples/quickstart.ts', () => {
  it('prints a quote per symbol and exits on its own', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'examples/quickstart.ts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, POLYGON_API_KEY: '', MASSIVE_API_KEY: '', ALPHA_VANTAGE_API_KEY: '' },
    });
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(['AAPL', 'MSFT', 'BTC-USD']);
    for (const line of lines) expect(line).toMatch(/^\S+\s+\d+\.\d{2} via (polygon|massive|yahoo|alphavantage)/);
  });
});
