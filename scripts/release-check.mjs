// `npm run release:check`: what a user gets from `npm install @stockade/…`, checked before
// publishing. Packs every workspace package, verifies each tarball holds every module its code
// loads, installs the tarballs into a fresh project outside the repository, then in that project
// imports and require()s every public entry point, runs every bin with --help, and runs a smoke:
// the installed simulator, a manager from the installed market-data on it, one validated quote.
// Exits 1 on any failure. `--keep` leaves the temporary folder for inspection; `--no-build` packs
// dist/ as it is (CI runs `npm run build` first).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { verifyTarball } from './release/verify-tarball.mjs';
import { repoRoot, workspacePackages } from './workspaces.mjs';

const keep = process.argv.includes('--keep');
const began = Date.now();
const failures = [];
const warnings = [];
const step = (title) => console.log(`\n== ${title} (${((Date.now() - began) / 1000).toFixed(1)} s)`);
const fail = (what) => {
  failures.push(what);
  console.log(`  FAIL ${what}`);
};

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 90_000, ...options });
  return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}
const npmNoise = (text) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '' && !/Unknown user config|ExperimentalWarning|--trace-warnings/.test(l))
    .join('\n');

const noBuild = process.argv.includes('--no-build');
step(noBuild ? 'build skipped (--no-build): packing dist/ as it is' : 'build (stale packages only)');
const build = noBuild
  ? { status: 0 }
  : run(process.execPath, [join(repoRoot, 'scripts', 'build.mjs'), '--if-stale'], {
      cwd: repoRoot,
      stdio: 'inherit',
      timeout: 600_000,
    });
if (build.status !== 0) {
  console.error('build failed');
  process.exit(1);
}

// Run inside the temporary project, so every specifier resolves the way it does for a user.
const PROBE_ESM = `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const out = {};
for (const spec of JSON.parse(process.argv[2])) {
  const r = (out[spec] = { keys: [] });
  let ns;
  try {
    ns = spec.endsWith('.json') ? await import(spec, { with: { type: 'json' } }) : await import(spec);
  } catch (err) { r.error = String(err?.message ?? err).split('\\n')[0]; continue; }
  if (spec.endsWith('.json')) ns = { default: ns.default };
  r.keys = Object.keys(ns).filter((k) => k !== 'module.exports' && k !== '__esModule').sort();
  r.undefinedExports = r.keys.filter((k) => ns[k] === undefined);
  try {
    const req = require(spec);
    r.notSame = spec.endsWith('.json') ? [] : r.keys.filter((k) => req[k] !== ns[k]);
  } catch (err) { r.requireError = (err?.code ? err.code + ': ' : '') + String(err?.message ?? err).split('\\n')[0]; }
}
console.log(JSON.stringify(out));
`;

const PROBE_CJS = `'use strict';
const out = {};
for (const spec of JSON.parse(process.argv[2])) {
  const r = (out[spec] = { keys: [] });
  try {
    const m = require(spec);
    r.keys = Object.keys(spec.endsWith('.json') ? { default: m } : m).filter((k) => k !== 'module.exports' && k !== '__esModule').sort();
  } catch (err) { r.error = (err && err.code ? err.code + ': ' : '') + String((err && err.message) || err).split('\\n')[0]; }
}
console.log(JSON.stringify(out));
`;

const SMOKE = `import { loadConfig, Quote, silentLogger } from '@stockade/core';
import { createMarketDataManager } from '@stockade/market-data';
import { startSimulator } from '@stockade/simulator';

const sim = await startSimulator({ port: 0, seed: 7 });
const md = createMarketDataManager({
  config: loadConfig({ file: false, env: {}, overrides: { mode: 'simulator' } }),
  logger: silentLogger,
  simulatorUrls: Object.fromEntries(['yahoo', 'alphavantage', 'polygon', 'massive'].map((p) => [p, sim.url(p)])),
});
try {
  const [answer] = await md.quotes(['AAPL'], { signal: AbortSignal.timeout(15_000) });
  if (!answer?.ok) throw answer?.error ?? new Error('no answer for AAPL');
  const quote = Quote.parse(answer.quote);
  const served = Object.values(sim.stats.snapshot()).reduce((n, s) => n + (s?.requests ?? 0), 0);
  if (served === 0) throw new Error('the quote did not come from the simulator');
  console.log('AAPL ' + quote.price + ' via ' + quote.provider + ', valid Quote; simulator served ' + served + ' request(s); closed cleanly');
} finally {
  await md.close();
  await sim.stop();
}
`;

const work = mkdtempSync(join(tmpdir(), 'stockade-release-'));
const tarballs = join(work, 'tarballs');
const project = join(work, 'project');
let exitCode = 1;
try {
  step(`npm pack every package → ${tarballs}`);
  mkdirSync(tarballs);
  const packages = workspacePackages().filter((p) => !p.pkg.private);
  const packed = run(
    'npm',
    ['pack', '--json', '--pack-destination', tarballs, ...packages.flatMap((p) => ['--workspace', p.dir])],
    {
      cwd: repoRoot,
    },
  );
  if (packed.status !== 0) throw new Error(`npm pack failed:\n${npmNoise(packed.stderr)}`);
  const packs = JSON.parse(packed.stdout);

  step('tarball contents: every module the code loads, every file package.json names');
  for (const p of packages) {
    const entry = packs.find((x) => x.name === p.pkg.name);
    if (entry === undefined) {
      fail(`${p.pkg.name}: npm pack wrote no tarball`);
      continue;
    }
    p.tarball = join(tarballs, entry.filename);
    const v = verifyTarball(p.tarball, { packageDir: p.dir });
    for (const m of v.missing)
      fail(`${p.pkg.name}: ${m.from} needs ${m.specifier} (${m.resolved}), not in the tarball`);
    for (const u of v.undeclared) fail(`${p.pkg.name}: ${u.from} imports '${u.specifier}', not a dependency or peer`);
    for (const f of v.notPacked) fail(`${p.pkg.name}: built ${f} is not in the tarball`);
    for (const w of v.warnings) warnings.push(`${p.pkg.name}: ${w}`);
    console.log(`  ${v.ok ? 'ok  ' : 'FAIL'} ${p.pkg.name}: ${v.files.length} files`);
  }

  step(`install the tarballs into ${project}`);
  const specs = Object.fromEntries(packages.map((p) => [p.pkg.name, `file:${p.tarball}`]));
  mkdirSync(project);
  // overrides: a package's own `@stockade/core: 0.1.0` must resolve to the tarball, not the registry.
  writeFileSync(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'release-check', private: true, type: 'module', dependencies: specs, overrides: specs }, null, 2)}\n`,
  );
  const install = run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], {
    cwd: project,
    timeout: 180_000,
  });
  if (install.status !== 0) throw new Error(`npm install of the tarballs failed:\n${npmNoise(install.stderr)}`);
  for (const p of packages) {
    const installed = JSON.parse(readFileSync(join(project, 'node_modules', p.pkg.name, 'package.json'), 'utf8'));
    p.installed = installed;
  }

  step('import() and require() every public entry point');
  const entries = [];
  for (const p of packages) {
    const exp = p.installed.exports;
    const subpaths =
      exp === undefined
        ? ['.']
        : typeof exp === 'string' || !Object.keys(exp)[0]?.startsWith('.')
          ? ['.']
          : Object.keys(exp);
    for (const sub of subpaths) {
      if (sub.includes('*')) {
        warnings.push(`${p.pkg.name}: export pattern ${sub} not probed`);
        continue;
      }
      entries.push(sub === '.' ? p.pkg.name : `${p.pkg.name}/${sub.slice(2)}`);
    }
  }
  writeFileSync(join(project, 'probe.mjs'), PROBE_ESM);
  writeFileSync(join(project, 'probe.cjs'), PROBE_CJS);
  const esm = run(process.execPath, ['probe.mjs', JSON.stringify(entries)], { cwd: project });
  const cjs = run(process.execPath, ['probe.cjs', JSON.stringify(entries)], { cwd: project });
  const esmOut = parseProbe('probe.mjs', esm);
  const cjsOut = parseProbe('probe.cjs', cjs);
  for (const spec of entries) {
    const a = esmOut?.[spec];
    const b = cjsOut?.[spec];
    const problems = [];
    if (a?.error) problems.push(`import() failed: ${a.error}`);
    if (a?.requireError) problems.push(`require() from ESM failed: ${a.requireError}`);
    if (b?.error) problems.push(`require() from CommonJS failed: ${b.error}`);
    if (a?.undefinedExports?.length) problems.push(`undefined exports: ${a.undefinedExports.join(', ')}`);
    if (a?.notSame?.length) problems.push(`require() gives other objects than import(): ${a.notSame.join(', ')}`);
    if (a && b && !a.error && !b.error && a.keys.join() !== b.keys.join())
      problems.push(`require() and import() expose different names (${b.keys.length} vs ${a.keys.length})`);
    if (a === undefined || b === undefined) problems.push('not probed');
    if (problems.length > 0) for (const x of problems) fail(`${spec}: ${x}`);
    else console.log(`  ok   ${spec}: ${a.keys.length} exports, same through import() and require()`);
  }

  step('every bin with --help');
  for (const p of packages) {
    const bins = typeof p.installed.bin === 'string' ? { [p.pkg.name]: p.installed.bin } : (p.installed.bin ?? {});
    for (const name of Object.keys(bins)) {
      const r = run(join(project, 'node_modules', '.bin', name), ['--help'], { cwd: project, timeout: 30_000 });
      if (r.status === 0 && r.stdout.trim() !== '') console.log(`  ok   ${name} --help: ${r.stdout.split('\n')[0]}`);
      else fail(`${name} --help exited ${r.status ?? r.signal}: ${npmNoise(r.stderr).slice(0, 300)}`);
    }
  }

  step('smoke: installed simulator + market-data manager → one quote, validated by core');
  writeFileSync(join(project, 'smoke.mjs'), SMOKE);
  const smoke = run(process.execPath, ['smoke.mjs'], { cwd: project, timeout: 45_000 });
  if (smoke.status === 0) console.log(`  ok   ${smoke.stdout.trim()}`);
  else if (smoke.signal === 'SIGTERM')
    fail(`smoke did not exit within 45 s (a handle left open after close()?):\n${smoke.stdout}${smoke.stderr}`);
  else fail(`smoke exited ${smoke.status}:\n${npmNoise(smoke.stdout + smoke.stderr).slice(0, 1500)}`);
  exitCode = failures.length > 0 ? 1 : 0;
} catch (err) {
  fail(err instanceof Error ? err.message : String(err));
} finally {
  if (keep) console.log(`\nkept ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

function parseProbe(name, r) {
  try {
    return JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '');
  } catch {
    fail(`${name} exited ${r.status ?? r.signal} without a result: ${npmNoise(r.stderr).slice(0, 800)}`);
    return undefined;
  }
}

step('summary');
for (const w of warnings) console.log(`  warn ${w}`);
if (failures.length === 0) console.log(`  release check passed in ${((Date.now() - began) / 1000).toFixed(1)} s`);
else {
  console.log(`  release check FAILED (${failures.length}):`);
  for (const f of failures) console.log(`    - ${f}`);
}
process.exit(failures.length > 0 ? 1 : exitCode);
