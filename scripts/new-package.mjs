// Creates packages/<name> with the repository's package conventions (used once per package).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';

const [name, description, depsJson = '{}', peersJson = '{}'] = process.argv.slice(2);
const dir = `packages/${name}`;
if (existsSync(`${dir}/package.json`)) process.exit(0);
mkdirSync(`${dir}/src`, { recursive: true });
const peers = JSON.parse(peersJson);
const pkg = {
  name: `@stockade/${name}`,
  version: '0.1.0',
  description,
  type: 'module',
  license: 'MIT',
  engines: { node: '>=20.19' },
  sideEffects: false,
  exports: {
    '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
    './package.json': './package.json',
  },
  main: './dist/index.js',
  types: './dist/index.d.ts',
  files: ['dist'],
  scripts: { build: 'tsup' },
  dependencies: JSON.parse(depsJson),
  ...(Object.keys(peers).length > 0
    ? {
        peerDependencies: peers,
        peerDependenciesMeta: Object.fromEntries(Object.keys(peers).map((p) => [p, { optional: true }])),
      }
    : {}),
};
writeFileSync(`${dir}/package.json`, `${JSON.stringify(pkg, null, 2)}\n`);
writeFileSync(
  `${dir}/tsconfig.json`,
  `${JSON.stringify({ extends: '../../tsconfig.base.json', compilerOptions: { customConditions: [], rootDir: 'src', outDir: 'dist' }, include: ['src'], exclude: ['src/**/*.test.ts'] }, null, 2)}\n`,
);
writeFileSync(
  `${dir}/tsup.config.ts`,
  `import { defineConfig } from 'tsup';\n\nexport default defineConfig({\n  entry: ['src/index.ts'],\n  format: ['esm'],\n  dts: true,\n  sourcemap: true,\n  clean: true,\n  target: 'node20',\n  tsconfig: 'tsconfig.json',\n});\n`,
);
