// Packaging checks for every workspace package: publint, and attw in the ESM-only profile.
// Needs built packages (`npm run build`). Also checks that the portable packages import nothing from node:.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, workspacePackages } from './workspaces.mjs';

let failed = false;
const run = (label, cmd, args, cwd) => {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    failed = true;
    console.error(`✗ ${label}\n${r.stdout}${r.stderr}`);
  } else {
    console.log(`✓ ${label}`);
  }
};

for (const { name, dir } of workspacePackages()) {
  if (!existsSync(join(dir, 'dist', 'index.js'))) {
    failed = true;
    console.error(`✗ @stockade/${name}: not built (run npm run build first)`);
    continue;
  }
  run(`publint @stockade/${name}`, 'npx', ['publint', '--strict', '--level', 'warning'], dir);
  run(
    `attw @stockade/${name}`,
    'npx',
    ['attw', '--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped'],
    dir,
  );
}
if (existsSync(join(repoRoot, 'scripts', 'check-no-node-imports.mjs'))) {
  run('no node: imports in consensus and signals', 'node', ['scripts/check-no-node-imports.mjs'], repoRoot);
}
process.exit(failed ? 1 : 0);
