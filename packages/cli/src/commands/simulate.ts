import { ConfigError } from '@stockade/core';
import { type CliRequest, PROVIDER_NAMES, parseCliArgs, startSimulator, USAGE } from '@stockade/simulator';
import type { Command } from '../command.js';
import { ExitCode } from '../exit-codes.js';
import { UsageError } from '../usage-error.js';

const HELP = `${USAGE.replace('Usage: stockade-simulator [options]', 'Usage: stockade simulate [options]')}

Runs until Ctrl-C (SIGINT) or SIGTERM, then stops cleanly. Point other commands at it with
--simulator, e.g. stockade --simulator http://127.0.0.1:4010 quote AAPL.
With --json, the URLs are printed as one JSON line: { origin, providers: { yahoo, ... }, control }.

Examples:
  stockade simulate --port 4010
  stockade simulate --port 4010 --faults faults.json --seed 7`;

function parse(argv: readonly string[]): CliRequest {
  try {
    return parseCliArgs(argv);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const issue = err.issues[0];
    const text =
      issue === undefined ? err.message : `${issue.path}: ${issue.message}${issue.hint ? ` (${issue.hint})` : ''}`;
    throw new UsageError(text, 'simulate', issue?.path ?? '');
  }
}

function untilAborted(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
}

/** `stockade simulate --port 4010 [--faults file]`: the provider simulator, until interrupted. */
export const simulateCommand: Command = {
  name: 'simulate',
  summary: 'run the provider simulator: stockade simulate --port 4010 [--faults file]',
  usage: HELP,
  async run(ctx) {
    const { options } = parse(ctx.argv);
    const sim = await startSimulator({ ...options, signal: ctx.signal });
    try {
      const served = options.providers ?? PROVIDER_NAMES;
      const control = `${sim.origin}/__sim`;
      if (ctx.out.json) {
        const providers = Object.fromEntries(served.map((p) => [p, sim.url(p)]));
        // One line, so a script can read the URLs as soon as they are printed.
        ctx.out.writeLine(JSON.stringify({ origin: sim.origin, providers, control }));
      } else {
        ctx.out.writeLine(`stockade simulator listening on ${sim.origin} (seed ${String(options.seed ?? 1)})`);
        for (const provider of served) ctx.out.writeLine(`  ${provider.padEnd(13)} ${sim.url(provider)}`);
        ctx.out.writeLine(`  control       ${control}/faults, ${control}/stats`);
        ctx.out.note(`use it with: stockade --simulator ${sim.origin} quote AAPL; stop with Ctrl-C`);
      }
      await untilAborted(ctx.signal);
      ctx.out.note('stopping the simulator');
    } finally {
      await sim.stop();
    }
    return ExitCode.ok;
  },
};
