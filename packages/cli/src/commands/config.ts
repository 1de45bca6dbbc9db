import { formatExplain } from '@stockade/core';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-line.js';
import { ExitCode } from '../exit-codes.js';
import { loadRunConfig } from '../manager-session.js';
import { UsageError } from '../usage-error.js';

const USAGE = `Usage: stockade config explain [<path prefix>] [options]

Every configuration value in effect and where it came from: an override, an environment
variable, the config file, the profile or the default. API keys show as [REDACTED] with their
length. With a path prefix (e.g. providers.polygon), only the values under it.

Options:
  --json         the entries as JSON: [{ path, value, source }]
  -h, --help     this text

Exits 1 when the configuration is invalid, listing every problem with its fix.

Examples:
  stockade config explain
  STOCKADE_PROFILE=production stockade config explain health
  stockade --config ./prod.json config explain --json`;

/** `stockade config explain`: each config value and its source. */
export const configCommand: Command = {
  name: 'config',
  summary: 'each config value and its source: stockade config explain',
  usage: USAGE,
  async run(ctx) {
    const { positionals } = parseCommandLine('config', ctx.argv, {}, { name: 'argument', max: 2 });
    const [action, prefix] = positionals;
    if (action !== 'explain') {
      throw new UsageError(
        action === undefined
          ? 'config needs a subcommand: explain'
          : `unknown config subcommand ${action}; use explain`,
        'config',
      );
    }
    const loaded = loadRunConfig(ctx);
    const entries = loaded
      .explain()
      .filter((e) => prefix === undefined || e.path === prefix || e.path.startsWith(`${prefix}.`));
    if (entries.length === 0 && prefix !== undefined) {
      throw new UsageError(
        `no configuration value under ${prefix}; try providers, cache, resilience or health`,
        'config',
      );
    }
    if (ctx.out.json) {
      ctx.out.writeJson(entries);
      return ExitCode.ok;
    }
    ctx.out.writeCaption(
      `profile ${loaded.config.profile}, mode ${loaded.config.mode}, file ${loaded.file ?? '(none)'}`,
    );
    ctx.out.writeLine(formatExplain(entries));
    return ExitCode.ok;
  },
};
