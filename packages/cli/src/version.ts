import { createRequire } from 'node:module';

// One level up from both src/ and dist/: the version is read from the package.json that ships.
const manifest = createRequire(import.meta.url)('../package.json') as { version: string };

/** The version of `@stockade/cli`, from its package.json. */
export const CLI_VERSION: string = manifest.version;
