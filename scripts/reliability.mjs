// `npm run reliability`: the full-size reliability suite (STOCKADE_RELIABILITY=full) — fault matrix
// with every pair, Redis outages, many processes, Redis Cluster, fuzzing, soak, security — then
// `npm audit` of the production dependencies, then RELIABILITY.md from the suites' results.
// Extra arguments go to vitest (e.g. `npm run reliability -- fault-matrix` for one suite).
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './workspaces.mjs';

const env = { ...process.env, STOCKADE_RELIABILITY: 'full' };
const filters = process.argv.slice(2);
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const started = Date.now();

const tests = spawnSync(
  npx,
  [
    'vitest',
    'run',
    '--project',
    'repo',
    ...(filters.length > 0 ? filters.map((f) => `test/reliability/${f}`) : ['test/reliability']),
  ],
  {
    cwd: repoRoot,
    stdio: 'inherit',
    env,
  },
);

// The audit needs the network, so it runs here and not in `npm test`.
const audit = spawnSync('npm', ['audit', '--omit=dev', '--audit-level=high'], { cwd: repoRoot, encoding: 'utf8', env });
process.stdout.write(audit.stdout ?? '');
process.stderr.write(audit.stderr ?? '');
// The vulnerability count line; failing that (registry unreachable, endpoint refused), npm's error.
const summary =
  /found \d+ vulnerabilit[^\n]*|\d+ (?:low|moderate|high|critical)[^\n]*vulnerabilit[^\n]*/i.exec(
    audit.stdout ?? '',
  )?.[0] ?? /npm error (?!A complete log)[^\n]*/.exec(audit.stderr ?? '')?.[0];
// A registry without the advisories endpoint (a mirror, an offline proxy) answers with an error
// rather than a count: the audit then did not run, which the report says; it is not a failure of
// the code under test.
const auditRan = /vulnerabilit/i.test(summary ?? '');
if (!auditRan)
  console.warn(
    `reliability: npm audit could not run here (${summary ?? 'no output'}); run it where the registry serves advisories`,
  );
writeFileSync(
  join(repoRoot, 'test', 'reliability', 'results', '.audit.json'),
  `${JSON.stringify({ exitCode: audit.status, summary: summary?.trim() ?? null, at: new Date().toISOString() })}\n`,
);

const report = spawnSync(
  process.execPath,
  [
    join(repoRoot, 'scripts', 'reliability-report.mjs'),
    '--command',
    `npm run reliability${filters.length > 0 ? ` -- ${filters.join(' ')}` : ''}`,
    '--seconds',
    String(Math.round((Date.now() - started) / 1000)),
  ],
  { cwd: repoRoot, stdio: 'inherit', env },
);

const failed = [
  tests.status !== 0 && `tests exited with ${tests.status ?? tests.signal}`,
  audit.status !== 0 && auditRan && `npm audit --omit=dev --audit-level=high found advisories: ${summary}`,
  report.status !== 0 && `the report exited with ${report.status ?? report.signal}`,
].filter(Boolean);
for (const f of failed) console.error(`reliability: ${f}`);
process.exit(failed.length === 0 ? 0 : 1);
