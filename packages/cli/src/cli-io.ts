import type { Clock } from '@stockade/core';

/** Where the command writes: `process.stdout`, `process.stderr`, or anything with `write()` (tests capture it). */
export interface CliWritable {
  /** Writes text as it is (the command adds its own newlines). */
  write(text: string): unknown;
  /** True when a person is watching (a terminal): tables get borders and progress redraws in place. */
  isTTY?: boolean;
}

/** The process surroundings `runCli()` works in; everything but the two streams defaults to the current process. */
export interface CliIo {
  /** Receives results: tables, text, or one JSON document with `--json`. */
  stdout: CliWritable;
  /** Receives errors, progress, notes and logs. */
  stderr: CliWritable;
  /** Environment variables config is read from. @default process.env */
  env?: Readonly<Record<string, string | undefined>>;
  /** Directory `stockade.config.json` (or `--config`) is read from. @default process.cwd() */
  cwd?: string;
  /** Aborting it interrupts a command; `simulate` runs until it is aborted. @default never aborted */
  signal?: AbortSignal;
  /** Time source: "today" for default date ranges, and the manager's clock. @default systemClock */
  clock?: Clock;
}
