// The portable packages (@stockade/consensus, @stockade/signals) run in browsers, Deno and Bun, so
// their source must not import Node built-ins. Scans every non-test .ts file under their src/ and
// exits 1 naming each file and line that imports `node:*` (or a bare built-in such as 'fs').
// Usage: node scripts/check-no-node-imports.mjs [dir ...]   (defaults to the two packages)
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['packages/consensus/src', 'packages/signals/src'];

// Bare names too: `from 'fs'` resolves to the same built-in and breaks a browser bundle just as well.
const bare = new Set(builtinModules.filter((m) => !m.startsWith('_')));
const specifier = `['"]([^'"]+)['"]`;
const patterns = [
  new RegExp(String.raw`\bfrom\s*${specifier}`, 'g'), // import x from '…' / export … from '…'
  new RegExp(String.raw`\bimport\s*${specifier}`, 'g'), // import '…' (side effect)
  new RegExp(String.raw`\bimport\s*\(\s*${specifier}`, 'g'), // import('…')
  new RegExp(String.raw`\brequire\s*\(\s*${specifier}`, 'g'), // require('…')
];

const isNodeBuiltin = (spec) => spec.startsWith('node:') || bare.has(spec) || bare.has(spec.split('/')[0] ?? '');
const isTestFile = (file) => file.endsWith('.test.ts');

function* tsFiles(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts') && !isTestFile(name)) yield path;
  }
}

const problems = [];
for (const dir of dirs) {
  const abs = join(root, dir);
  let exists = true;
  try {
    statSync(abs);
  } catch {
    exists = false;
  }
  if (!exists) continue;
  for (const file of tsFiles(abs)) {
    const lines = readFileSync(file, 'utf8').split('\n');
    lines.forEach((line, i) => {
      for (const re of patterns) {
        re.lastIndex = 0;
        for (const m of line.matchAll(re)) {
          const spec = m[1] ?? '';
          if (isNodeBuiltin(spec)) problems.push(`${relative(root, file)}:${i + 1}: imports '${spec}'`);
        }
      }
    });
  }
}

if (problems.length > 0) {
  console.error(
    `These files must not import Node built-ins (the package runs in browsers, Deno and Bun):\n${problems.join('\n')}\n` +
      'Use a web-standard API (globalThis.performance, fetch, URL, TextEncoder) or move the code to a Node-only package.',
  );
  process.exit(1);
}
console.log(`no node: imports in ${dirs.join(', ')}`);
