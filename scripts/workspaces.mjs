// The workspace packages in dependency order (each after the @stockade packages it depends on).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const repoRoot = new URL('..', import.meta.url).pathname;

/** @returns {{ name: string, dir: string, pkg: any }[]} */
export function workspacePackages() {
  const dir = join(repoRoot, 'packages');
  const pkgs = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(dir, d.name, 'package.json')))
    .map((d) => {
      const pkgDir = join(dir, d.name);
      return { name: d.name, dir: pkgDir, pkg: JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) };
    });
  const byName = new Map(pkgs.map((p) => [p.pkg.name, p]));
  const ordered = [];
  const state = new Map();
  const visit = (p, trail) => {
    if (state.get(p.pkg.name) === 'done') return;
    if (state.get(p.pkg.name) === 'visiting')
      throw new Error(`dependency cycle: ${[...trail, p.pkg.name].join(' → ')}`);
    state.set(p.pkg.name, 'visiting');
    for (const dep of Object.keys({ ...p.pkg.dependencies, ...p.pkg.peerDependencies })) {
      const d = byName.get(dep);
      if (d) visit(d, [...trail, p.pkg.name]);
    }
    state.set(p.pkg.name, 'done');
    ordered.push(p);
  };
  for (const p of pkgs.sort((a, b) => a.name.localeCompare(b.name))) visit(p, []);
  return ordered;
}
