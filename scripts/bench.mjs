// Runs the benchmarks in bench/ (all, or those named: `npm run bench -- cache cycle`), each in its
// own process against the built packages, then gathers bench/results/<name>.json into latest.json.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './workspaces.mjs';

const benchDir = join(repoRoot, 'bench');
const available = readdirSync(benchDir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.replace(/\.bench\.ts$/, ''))
  .sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length > 0) {
  console.error(`unknown benchmark: ${unknown.join(', ')} (available: ${available.join(', ')})`);
  process.exit(2);
}
const names = wanted.length > 0 ? wanted : available;

const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--if-stale'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

let failed = 0;
for (const name of names) {
  console.log(`\n## ${name}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(benchDir, `${name}.bench.ts`)], {
    cwd: repoRoot,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) {
    failed += 1;
    console.error(`benchmark ${name} exited with ${r.status ?? r.signal}`);
  }
}

const latest = { node: process.version, at: new Date().toISOString(), results: {} };
for (const name of available) {
  const file = join(benchDir, 'results', `${name}.json`);
  if (existsSync(file)) latest.results[name] = JSON.parse(readFileSync(file, 'utf8'));
}
writeFileSync(join(benchDir, 'results', 'latest.json'), `${JSON.stringify(latest, null, 2)}\n`);
console.log(`\nwrote bench/results/latest.json (${Object.keys(latest.results).join(', ')})`);
process.exit(failed > 0 ? 1 : 0);
