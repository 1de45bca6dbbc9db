import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import projects, { packageNames } from './vitest.workspace.js';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    // Tests run against the packages' sources: `npm test` needs no build for the code under test.
    alias: packageNames.map((name) => ({
      find: new RegExp(`^@stockade/${name}$`),
      replacement: here(`./packages/${name}/src/index.ts`),
    })),
  },
  test: {
    projects,
    globalSetup: [here('./test/support/global-setup.ts')],
    testTimeout: 20_000,
    hookTimeout: 30_000,
    pool: 'forks',
    reporters: ['default'],
  },
});
