import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { moduleReferences, readTarball, verifyTarball } from './release/verify-tarball.mjs';

const work = mkdtempSync(join(tmpdir(), 'stockade-verify-tarball-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes a package folder shaped like ours (dist/index.js loading a tsup chunk) and packs it with npm. */
function packFixture(
  name: string,
  options: { files: string[]; dependencies?: Record<string, string>; indexSource?: string },
): { dir: string; tarball: string } {
  const dir = join(work, name);
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({
      name: `@fixture/${name}`,
      version: '1.0.0',
      type: 'module',
      exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
      files: options.files,
      dependencies: options.dependencies ?? {},
    }),
  );
  writeFileSync(
    join(dir, 'dist', 'index.js'),
    options.indexSource ?? 'export { quote } from "./chunk-ABC123.js";\n//# sourceMappingURL=index.js.map\n',
  );
  writeFileSync(join(dir, 'dist', 'index.js.map'), '{"version":3,"sources":[],"mappings":""}');
  writeFileSync(join(dir, 'dist', 'index.d.ts'), 'export declare function quote(): number;\n');
  writeFileSync(join(dir, 'dist', 'chunk-ABC123.js'), 'export function quote() { return 187.25; }\n');
  const dest = join(work, `${name}-tgz`);
  mkdirSync(dest);
  const r = spawnSync('npm', ['pack', '--pack-destination', dest, '--loglevel=error'], { cwd: dir, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  const [file] = readdirSync(dest);
  return { dir, tarball: join(dest, file as string) };
}

describe('tarball check', () => {
  it('finds a module the entry point imports that the package left out', () => {
    const { dir, tarball } = packFixture('missing-chunk', {
      files: ['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map'],
    });
    const check = verifyTarball(tarball, { packageDir: dir });
    expect(check.ok).toBe(false);
    expect(check.missing).toEqual([
      { from: 'dist/index.js', specifier: './chunk-ABC123.js', resolved: 'dist/chunk-ABC123.js' },
    ]);
    expect(check.notPacked).toEqual(['dist/chunk-ABC123.js']);
  });

  it('passes a package that ships its whole dist/', () => {
    const { dir, tarball } = packFixture('complete', { files: ['dist'] });
    const check = verifyTarball(tarball, { packageDir: dir });
    expect(check.files).toEqual([
      'dist/chunk-ABC123.js',
      'dist/index.d.ts',
      'dist/index.js',
      'dist/index.js.map',
      'package.json',
    ]);
    expect(check).toMatchObject({ ok: true, missing: [], undeclared: [], notPacked: [], warnings: [] });
  });

  it('finds a file the exports map points at that is not in the package', () => {
    const { tarball } = packFixture('no-types', { files: ['dist/*.js', 'dist/*.map'] });
    expect(verifyTarball(tarball).missing).toEqual([
      { from: 'package.json exports["."]["types"]', specifier: './dist/index.d.ts', resolved: 'dist/index.d.ts' },
    ]);
  });

  it('finds a package the code imports without declaring it, and accepts built-ins and declared ones', () => {
    const { tarball } = packFixture('undeclared', {
      files: ['dist'],
      dependencies: { zod: '^4.1.0' },
      indexSource:
        'import { z } from "zod";\nimport { readFileSync } from "node:fs";\nimport { EventEmitter } from "events";\n' +
        'import LRU from "lru-cache/min";\nexport * from "./chunk-ABC123.js";\n',
    });
    const check = verifyTarball(tarball);
    expect(check.undeclared).toEqual([{ from: 'dist/index.js', specifier: 'lru-cache/min' }]);
    expect(check.ok).toBe(false);
  });

  it('reads the contents npm packed', () => {
    const { tarball } = packFixture('contents', { files: ['dist'] });
    expect(readTarball(tarball).get('dist/chunk-ABC123.js')?.toString()).toBe(
      'export function quote() { return 187.25; }\n',
    );
  });
});

describe('module references', () => {
  it('sees static, dynamic, re-export, require, createRequire and asset references, not strings in comments', () => {
    const refs = moduleReferences(
      [
        'import a from "./a.js";',
        'export * from "./b.js";',
        'const c = await import("./c.js");',
        'const d = require("./d.cjs");',
        'const pkg = createRequire(import.meta.url)("../package.json");',
        'const proto = new URL("./quotes.proto", import.meta.url);',
        '// import x from "./commented-out.js";',
        '//# sourceMappingURL=index.js.map',
      ].join('\n'),
    );
    expect(refs).toEqual([
      { specifier: './a.js', kind: 'import' },
      { specifier: './b.js', kind: 'import' },
      { specifier: './c.js', kind: 'import' },
      { specifier: './d.cjs', kind: 'import' },
      { specifier: '../package.json', kind: 'import' },
      { specifier: './quotes.proto', kind: 'asset' },
      { specifier: 'index.js.map', kind: 'sourcemap' },
    ]);
  });
});
