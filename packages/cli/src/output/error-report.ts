import { isAbortError, redact, StockadeError } from '@stockade/core';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

/** What `stockade` prints for an error and the code it exits with. */
export interface ErrorReport {
  /** Lines for stderr, the first starting `error: ` (or `interrupted`). */
  lines: string[];
  /** The exit code. */
  exitCode: ExitCode;
}

/** Options of {@link reportError}. */
export interface ErrorReportOptions {
  /** The run's abort signal: an abort error after it fired is an interruption, not a failure. @default undefined */
  signal?: AbortSignal;
  /** Add the error's cause chain. @default false */
  verbose?: boolean;
}

function causes(err: unknown): string[] {
  const out: string[] = [];
  let cause = (err as { cause?: unknown }).cause;
  for (let depth = 0; cause !== undefined && depth < 5; depth++) {
    out.push(`  cause: ${redact(cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause))}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return out;
}

/** The message of anything thrown, redacted: a key never reaches the terminal. */
export function errorMessage(err: unknown): string {
  if (err instanceof StockadeError) return err.message;
  return redact(err instanceof Error ? err.message : String(err));
}

/** Anything thrown as a secret-free JSON value: a Stockade error's `toJSON()`, else `{ name, message }`. */
export function errorJson(err: unknown): Record<string, unknown> {
  if (err instanceof StockadeError) return err.toJSON();
  return { name: err instanceof Error ? err.name : 'Error', message: errorMessage(err) };
}

/**
 * Turns anything a command threw into stderr lines and an exit code: a {@link UsageError} exits 2
 * with a pointer to `--help`; an abort after the run's signal fired exits 130; every other error
 * exits 1. A `ConfigError`'s message already lists each problem with its path, source and hint.
 * Messages are redacted, so an API key never reaches the terminal.
 */
export function reportError(err: unknown, options: ErrorReportOptions = {}): ErrorReport {
  if (options.signal?.aborted && isAbortError(err)) return { lines: ['interrupted'], exitCode: ExitCode.interrupted };
  if (err instanceof UsageError) {
    const help = err.command === undefined ? 'stockade --help' : `stockade ${err.command} --help`;
    return { lines: [`error: ${err.message}`, `(see ${help})`], exitCode: ExitCode.usage };
  }
  const lines = `error: ${errorMessage(err)}`.split('\n');
  if (options.verbose) lines.push(...causes(err));
  return { lines, exitCode: ExitCode.failure };
}
