import type { Clock } from '@stockade/core';
import type { CliWritable } from './cli-io.js';
import type { ExitCode } from './exit-codes.js';
import type { Output } from './output/output.js';

/** Options every command accepts, before or after its name. */
export interface GlobalOptions {
  /** `--json`: results as one JSON document on stdout. */
  json: boolean;
  /** `--simulator URL`: base URL of a running `stockade simulate` server to use instead of an embedded one. */
  simulator: string | undefined;
  /** `--config FILE`: the config file to read instead of `./stockade.config.json`. */
  config: string | undefined;
  /** `--verbose`: info-level logs and error causes on stderr. */
  verbose: boolean;
}

/** What a command runs with. */
export interface CommandContext {
  /** The command's own arguments: the name and every global option removed. */
  readonly argv: readonly string[];
  /** The global options. */
  readonly global: GlobalOptions;
  /** Where results go, in the run's format. */
  readonly out: Output;
  /** stderr, for progress and notes. */
  readonly stderr: CliWritable;
  /** Environment variables config is read from. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory config is read from. */
  readonly cwd: string;
  /** Fires when the run is interrupted; pass it to every wait. */
  readonly signal: AbortSignal;
  /** Time source of the run. */
  readonly clock: Clock;
}

/** One `stockade` command. */
export interface Command {
  /** What is typed: `quote`. */
  readonly name: string;
  /** One line for `stockade --help`. */
  readonly summary: string;
  /** What `stockade <name> --help` prints. */
  readonly usage: string;
  /** Runs it; throws on failure (the caller prints the error and picks the exit code). */
  run(ctx: CommandContext): Promise<ExitCode>;
}
