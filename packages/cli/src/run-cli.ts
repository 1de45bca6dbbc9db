import { systemClock } from '@stockade/core';
import type { CliIo } from './cli-io.js';
import type { Command, CommandContext } from './command.js';
import { COMMANDS } from './command-catalog.js';
import { ExitCode } from './exit-codes.js';
import { GLOBAL_OPTIONS_HELP, splitCommandLine } from './global-options.js';
import { reportError } from './output/error-report.js';
import { createOutput } from './output/output.js';
import { UsageError } from './usage-error.js';
import { CLI_VERSION } from './version.js';

/** What `stockade --help` prints. */
export const CLI_USAGE = `Usage: stockade <command> [arguments] [options]

Market data from several providers that keeps coming when one of them fails, and trading
signals from it. With no provider key in the environment every command runs on an embedded
simulator: no keys and no network needed.

Commands:
${COMMANDS.map((c) => `  ${c.name.padEnd(11)} ${c.summary}`).join('\n')}
  help <cmd>  the help of a command (same as stockade <cmd> --help)

${GLOBAL_OPTIONS_HELP}

Exit codes: 0 done; 1 the command failed (a failed check, a symbol without an answer, an
unhealthy report, a provider or config error); 2 usage error; 130 interrupted.`;

const FOOTER = '\nGlobal options: --json, --simulator <url>, --config <file>, --verbose (see stockade --help).';

function find(name: string): Command {
  const command = COMMANDS.find((c) => c.name === name);
  if (command !== undefined) return command;
  const near = COMMANDS.find((c) => c.name.startsWith(name.slice(0, 3)) && name.length >= 3);
  throw new UsageError(
    `unknown command ${JSON.stringify(name)}${near === undefined ? '' : `; did you mean ${near.name}?`}`,
  );
}

/**
 * Runs the `stockade` command line `argv` (without `node` and the script) and resolves with the
 * exit code; it never throws and never calls `process.exit`, so it can be embedded and tested.
 * Results go to `io.stdout` (a table on a terminal, aligned text in a pipe, one JSON document with
 * `--json`); errors, progress and warnings go to `io.stderr`.
 *
 * @example
 * import { runCli } from '@stockade/cli';
 *
 * const code = await runCli(['quote', 'AAPL', '--json'], { stdout: process.stdout, stderr: process.stderr });
 * process.exitCode = code;
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const signal = io.signal ?? new AbortController().signal;
  let verbose = false;
  try {
    const split = splitCommandLine(argv);
    verbose = split.global.verbose;
    if (split.version) {
      io.stdout.write(`${CLI_VERSION}\n`);
      return ExitCode.ok;
    }
    let name = split.command;
    let rest = split.rest;
    if (name === 'help') {
      name = rest[0];
      rest = [];
      if (name === undefined) split.help = true;
      else return printHelp(io, find(name));
    }
    if (name === undefined) {
      if (split.help) {
        io.stdout.write(`${CLI_USAGE}\n`);
        return ExitCode.ok;
      }
      io.stderr.write(`error: no command given\n\n${CLI_USAGE}\n`);
      return ExitCode.usage;
    }
    const command = find(name);
    if (split.help) return printHelp(io, command);
    const ctx: CommandContext = {
      argv: rest,
      global: split.global,
      out: createOutput(io.stdout, io.stderr, { json: split.global.json }),
      stderr: io.stderr,
      env: io.env ?? process.env,
      cwd: io.cwd ?? process.cwd(),
      signal,
      clock: io.clock ?? systemClock,
    };
    return await command.run(ctx);
  } catch (err) {
    const report = reportError(err, { signal, verbose });
    io.stderr.write(`${report.lines.join('\n')}\n`);
    return report.exitCode;
  }
}

function printHelp(io: CliIo, command: Command): ExitCode {
  io.stdout.write(`${command.usage}\n${FOOTER}\n`);
  return ExitCode.ok;
}
