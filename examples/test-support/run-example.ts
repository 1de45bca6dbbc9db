import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { defaultKeyEnvNames } from '@stockade/core';

/** The repository root: examples run from there, as their header comments say. */
export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The node arguments that run a TypeScript example: tsx, and the `source` export condition so that
 * `@stockade/*` resolves to the packages' `src/` (what the test suite checks) instead of a `dist/`
 * that may predate them.
 */
export const NODE_ARGS = ['--conditions=source', '--import', 'tsx'] as const;

/**
 * The environment of this process without provider keys or `STOCKADE_*` settings, so an example
 * under test can neither reach a real API nor pick up someone's configuration.
 */
export function cleanEnv(extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('STOCKADE_')) delete env[name];
  for (const names of Object.values(defaultKeyEnvNames)) for (const name of names) delete env[name];
  return { ...env, ...extra };
}

/** What a finished example printed, and how it ended. */
export interface ExampleRun {
  /** Exit code; null when a signal ended it. */
  code: number | null;
  /** Everything on stdout. */
  stdout: string;
  /** Everything on stderr. */
  stderr: string;
}

/**
 * Runs `examples/<file>` with `args` in a child process and resolves once it has ended by itself
 * (`close`: no handle kept it alive and its output is complete). It is killed after `timeoutMs`,
 * which then shows as a null `code`.
 */
export function runExample(file: string, args: readonly string[] = [], timeoutMs = 60_000): Promise<ExampleRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, `examples/${file}`, ...args], {
      cwd: repoRoot,
      env: cleanEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
