// What a published package must contain: every module its own code loads, every file its
// package.json points at, and every dependency its code imports declared. Works on the tarball
// `npm pack` wrote, so it sees exactly what a user will install (a real deployment shipped without
// five of its modules because nothing looked inside the package before publishing).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { join, posix, relative, sep } from 'node:path';
import { gunzipSync } from 'node:zlib';
import ts from 'typescript';

/**
 * Reads a `.tgz` written by `npm pack` into a map of path (without the leading `package/`) to
 * contents. Understands ustar names with a prefix and pax `path=` records, which is what npm writes.
 * @param {string} tgzPath
 * @returns {Map<string, Buffer>}
 */
export function readTarball(tgzPath) {
  const tar = gunzipSync(readFileSync(tgzPath));
  const files = new Map();
  let offset = 0;
  let paxPath;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) => header.toString('utf8', start, start + length).replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = field(156, 1) || '0';
    const ustar = field(257, 6).startsWith('ustar');
    const name = ustar && field(345, 155) ? `${field(345, 155)}/${field(0, 100)}` : field(0, 100);
    const body = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x') {
      const match = /\d+ path=([^\n]*)\n/.exec(body.toString('utf8'));
      paxPath = match?.[1];
      continue;
    }
    if (type === '0' || type === '7') {
      const path = (paxPath ?? name).replace(/^[^/]+\//, '');
      files.set(path, Buffer.from(body));
    }
    paxPath = undefined;
  }
  return files;
}

/**
 * The files and packages a module refers to: static and dynamic imports, `export … from`,
 * `require()`, `createRequire(import.meta.url)(…)`, `new URL(…, import.meta.url)` assets, and
 * the source map comment.
 * @param {string} source
 * @returns {{ specifier: string, kind: 'import' | 'asset' | 'sourcemap' }[]}
 */
export function moduleReferences(source) {
  const info = ts.preProcessFile(source, true, true);
  const refs = info.importedFiles.map((f) => ({ specifier: f.fileName, kind: /** @type {const} */ ('import') }));
  for (const m of source.matchAll(/createRequire\(\s*import\.meta\.url\s*\)\(\s*["'`]([^"'`]+)["'`]\s*\)/g))
    refs.push({ specifier: /** @type {string} */ (m[1]), kind: 'import' });
  for (const m of source.matchAll(/new URL\(\s*["'`]([^"'`$]+)["'`]\s*,\s*import\.meta\.url\s*\)/g))
    refs.push({ specifier: /** @type {string} */ (m[1]), kind: 'asset' });
  const map = /\/\/# sourceMappingURL=([^\s]+)\s*$/.exec(source);
  if (map && !map[1]?.startsWith('data:')) refs.push({ specifier: /** @type {string} */ (map[1]), kind: 'sourcemap' });
  return refs;
}

/** The package a bare specifier names: `zod` → `zod`, `@a/b/c` → `@a/b`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Candidate files a relative reference may mean: exact for ESM, extension search for CJS and types. */
function candidates(resolved, from, kind) {
  if (kind !== 'import') return [resolved];
  if (from.endsWith('.d.ts') || from.endsWith('.d.mts') || from.endsWith('.d.cts')) {
    const base = resolved.replace(/\.(m|c)?js$/, '');
    return [`${base}.d.ts`, `${base}.d.mts`, `${base}.d.cts`, resolved, `${resolved}/index.d.ts`];
  }
  if (from.endsWith('.cjs'))
    return [resolved, `${resolved}.js`, `${resolved}.cjs`, `${resolved}.json`, `${resolved}/index.js`];
  // ESM resolution needs the exact file name: `./chunk` does not find `./chunk.js`.
  return [resolved];
}

/** Every string an exports map (or a `main`/`types` field) points at, with its condition path. */
function exportTargets(value, where, out) {
  if (typeof value === 'string') out.push({ where, target: value });
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) exportTargets(v, `${where}[${i}]`, out);
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) exportTargets(v, `${where}[${JSON.stringify(k)}]`, out);
  return out;
}

/**
 * Checks a package's files (as published) for what it would need at run time and cannot find.
 *
 * - `missing`: a file its code imports, or its package.json `main`/`types`/`exports`/`bin`
 *   points at, that is not in the package;
 * - `undeclared`: a package its code imports that is neither a dependency, a peer, an optional
 *   dependency, a Node built-in nor itself;
 * - `warnings`: references that do not break a user (a source map left out, an exports
 *   condition such as `source` that only bundlers asked for it read).
 * @param {Map<string, Buffer | string>} files path inside the package → contents
 * @returns {{ name: string, version: string, files: string[], missing: {from: string, specifier: string, resolved: string}[], undeclared: {from: string, specifier: string}[], warnings: string[] }}
 */
export function verifyPackageFiles(files) {
  const manifest = files.get('package.json');
  if (manifest === undefined) {
    return {
      name: '?',
      version: '?',
      files: [...files.keys()],
      missing: [{ from: '(package)', specifier: 'package.json', resolved: 'package.json' }],
      undeclared: [],
      warnings: [],
    };
  }
  const pkg = JSON.parse(manifest.toString());
  const declared = new Set([
    pkg.name,
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
    ...Object.keys(pkg.optionalDependencies ?? {}),
  ]);
  const missing = [];
  const undeclared = [];
  const warnings = [];
  const has = (p) => files.has(p);

  for (const [path, contents] of files) {
    if (!/\.(m|c)?js$|\.d\.(m|c)?ts$/.test(path)) continue;
    for (const { specifier, kind } of moduleReferences(contents.toString())) {
      if (specifier.startsWith('.') || specifier.startsWith('/')) {
        const clean = specifier.replace(/[?#].*$/, '');
        const resolved = posix.normalize(posix.join(posix.dirname(path), clean));
        if (candidates(resolved, path, kind).some(has)) continue;
        if (kind === 'sourcemap') warnings.push(`${path}: source map ${specifier} is not in the package`);
        else missing.push({ from: path, specifier, resolved });
      } else if (kind === 'import' && !specifier.startsWith('node:') && !isBuiltin(specifier)) {
        if (!declared.has(packageOf(specifier))) undeclared.push({ from: path, specifier });
      }
    }
  }

  const targets = [
    ...exportTargets(pkg.main, 'main', []),
    ...exportTargets(pkg.types, 'types', []),
    ...exportTargets(pkg.module, 'module', []),
    ...exportTargets(pkg.exports, 'exports', []),
    ...exportTargets(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : pkg.bin, 'bin', []),
  ];
  for (const { where, target } of targets) {
    if (target.includes('*')) continue; // a subpath pattern: checked by what the code loads
    const resolved = posix.normalize(target.replace(/^\.\//, ''));
    if (has(resolved)) continue;
    // Only bundlers that ask for the `source` condition read it; Node and TypeScript users never do.
    if (where.endsWith('["source"]')) warnings.push(`package.json ${where} → ${target} is not in the package`);
    else missing.push({ from: `package.json ${where}`, specifier: target, resolved });
  }
  return { name: pkg.name, version: pkg.version, files: [...files.keys()].sort(), missing, undeclared, warnings };
}

/**
 * Files of a built `dist/` folder that are not in the package: the build made them, the code may
 * load them, and the package would ship without them.
 * @param {string} packageDir the workspace package folder (holding `dist/`)
 * @param {Iterable<string>} packedFiles paths in the tarball
 * @param {string} [distFolder]
 * @returns {string[]}
 */
export function unpackedBuildFiles(packageDir, packedFiles, distFolder = 'dist') {
  const packed = new Set(packedFiles);
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else {
        const rel = relative(packageDir, full).split(sep).join('/');
        if (!packed.has(rel)) out.push(rel);
      }
    }
  };
  try {
    walk(join(packageDir, distFolder));
  } catch (err) {
    if (/** @type {NodeJS.ErrnoException} */ (err).code !== 'ENOENT') throw err;
    return [`${distFolder}/ (not built)`];
  }
  return out.sort();
}

/**
 * Verifies one tarball: {@link verifyPackageFiles} on its contents, plus (when the package's
 * folder is given) every built file left out of it.
 * @param {string} tgzPath
 * @param {{ packageDir?: string }} [options]
 */
export function verifyTarball(tgzPath, options = {}) {
  const files = readTarball(tgzPath);
  const result = verifyPackageFiles(files);
  const notPacked = options.packageDir === undefined ? [] : unpackedBuildFiles(options.packageDir, files.keys());
  return {
    ...result,
    notPacked,
    ok: result.missing.length === 0 && result.undeclared.length === 0 && notPacked.length === 0,
  };
}
