import { defineConfig } from 'tsup';

export default defineConfig({
  // src/bin.ts starts with `#!/usr/bin/env node`: esbuild keeps it and tsup marks dist/bin.js executable.
  entry: ['src/index.ts', 'src/bin.ts'],
  format: ['esm'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.json',
});
