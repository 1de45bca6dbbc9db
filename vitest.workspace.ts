import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('.', import.meta.url));

/** The packages of the monorepo that have a `src/` folder: one vitest project each. */
export const packageNames: string[] = readdirSync(new URL('./packages/', import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory() && existsSync(`${root}packages/${d.name}/src`))
  .map((d) => d.name)
  .sort();

/**
 * One test project per package, plus the repository-level suites under `test/`.
 * `vitest.config.ts` feeds this list to `test.projects`.
 */
export default [
  ...packageNames.map((name) => ({
    extends: true as const,
    test: {
      name,
      root: `packages/${name}`,
      include: ['src/**/*.test.ts'],
    },
  })),
  {
    extends: true as const,
    test: {
      name: 'repo',
      root: '.',
      include: ['test/**/*.test.ts', 'examples/**/*.test.ts', 'scripts/**/*.test.ts'],
    },
  },
];
