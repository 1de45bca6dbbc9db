import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@stockade/core';
import type { CliWritable } from './cli-io.js';
import { runCli } from './run-cli.js';

/** What a captured run printed and returned. */
export interface CapturedRun {
  /** The exit code. */
  code: number;
  /** Everything written to stdout. */
  stdout: string;
  /** Everything written to stderr. */
  stderr: string;
}

/** A writable that keeps what it is given. */
export function capture(isTTY = false): CliWritable & { text: string } {
  const sink = {
    text: '',
    isTTY,
    write(chunk: string) {
      sink.text += chunk;
      return true;
    },
  };
  return sink;
}

let emptyDir: string | undefined;
/** A directory with no stockade.config.json, so a developer's own file cannot change a test. */
export function emptyCwd(): string {
  emptyDir ??= mkdtempSync(join(tmpdir(), 'stockade-cli-'));
  return emptyDir;
}

/** Options of {@link runCaptured}. */
export interface RunCapturedOptions {
  /** Environment; no provider keys by default, so config mode is simulator. @default {} */
  env?: Record<string, string | undefined>;
  /** Working directory. @default an empty temporary directory */
  cwd?: string;
  /** Pretend stdout and stderr are a terminal. @default false */
  tty?: boolean;
  /** Interrupts the run. */
  signal?: AbortSignal;
  /** The run's clock. @default systemClock */
  clock?: Clock;
  /** Receives stdout as it is written (for long-running commands). */
  stdout?: CliWritable & { text: string };
}

/** Runs `stockade <argv>` in-process with captured streams. */
export async function runCaptured(argv: readonly string[], options: RunCapturedOptions = {}): Promise<CapturedRun> {
  const stdout = options.stdout ?? capture(options.tty);
  const stderr = capture(options.tty);
  const code = await runCli(argv, {
    stdout,
    stderr,
    env: options.env ?? {},
    cwd: options.cwd ?? emptyCwd(),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
  });
  return { code, stdout: stdout.text, stderr: stderr.text };
}
