import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));

// Runs a CommonJS script from inside the repository so that `@stockade/*` resolves through
// node_modules to the built packages, as it does for a user's app.
function runCommonJs(source: string): { status: number | null; stdout: string; stderr: string } {
  const dir = mkdtempSync(join(repoRoot, 'node_modules', '.stockade-cjs-'));
  const file = join(dir, 'probe.cjs');
  writeFileSync(file, source);
  const r = spawnSync(process.execPath, [file], { cwd: repoRoot, encoding: 'utf8' });
  rmSync(dir, { recursive: true, force: true });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ESM-only packages', () => {
  it('is built (npm test builds stale packages first)', () => {
    expect(existsSync(join(repoRoot, 'packages/core/dist/index.js'))).toBe(true);
  });

  it("lets CommonJS require('@stockade/core') and get the same classes as import", () => {
    const r = runCommonJs(`
      const viaRequire = require('@stockade/core');
      import('@stockade/core').then((viaImport) => {
        const err = new viaRequire.ProviderError('x', { provider: 'p', kind: 'auth' });
        console.log(JSON.stringify({
          sameClass: viaRequire.ProviderError === viaImport.ProviderError,
          instanceOfImported: err instanceof viaImport.StockadeError,
          symbol: viaRequire.normalizeSymbol('brk-b'),
        }));
      });
    `);
    expect(r.stderr.replace(/.*ExperimentalWarning.*\n?|.*--trace-warnings.*\n?/g, '')).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({ sameClass: true, instanceOfImported: true, symbol: 'BRK.B' });
    expect(r.status).toBe(0);
  });
});
