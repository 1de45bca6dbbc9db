// Builds every workspace package with tsup, dependencies first.
// --if-stale: skip a package whose dist is newer than its sources (used by `npm test` and `npm start`).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { workspacePackages } from './workspaces.mjs';

const ifStale = process.argv.includes('--if-stale');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function isStale(dir) {
  const out = join(dir, 'dist', 'index.js');
  if (!existsSync(out)) return true;
  const built = statSync(out).mtimeMs;
  const inputs = [join(dir, 'package.json'), join(dir, 'tsup.config.ts')]
    .filter(existsSync)
    .map((f) => statSync(f).mtimeMs);
  return Math.max(newestMtime(join(dir, 'src')), ...inputs) > built;
}

let built = 0;
let upstreamRebuilt = false;
for (const { name, dir } of workspacePackages()) {
  if (!existsSync(join(dir, 'src', 'index.ts'))) continue;
  if (ifStale && !upstreamRebuilt && !isStale(dir)) continue;
  const r = spawnSync('npx', ['tsup', '--silent'], { cwd: dir, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`build failed: @stockade/${name}`);
    process.exit(r.status ?? 1);
  }
  built += 1;
  upstreamRebuilt = true;
}
if (built > 0) console.error(`built ${built} package${built === 1 ? '' : 's'}`);
