import type { GlobalOptions } from './command.js';
import { UsageError } from './usage-error.js';

/** Global options and the command, split from the rest of the command line. */
export interface SplitCommandLine {
  /** The global options. */
  global: GlobalOptions;
  /** `--help` or `-h` was given. */
  help: boolean;
  /** `--version` was given. */
  version: boolean;
  /** The first word that is not an option: the command. */
  command: string | undefined;
  /** Everything else, in order, for the command's own parser. */
  rest: string[];
}

/** Help text of the global options. */
export const GLOBAL_OPTIONS_HELP = `Global options (before or after the command):
  --json              results as JSON on stdout, for scripts (errors stay on stderr)
  --simulator <url>   use a running \`stockade simulate\` server (e.g. http://127.0.0.1:4010)
                      instead of an embedded one; implies mode simulator
  --config <file>     config file to read (default ./stockade.config.json when present)
  --verbose           info logs and error causes on stderr
  -h, --help          help for stockade or for a command
  --version           the version`;

const FLAGS: Readonly<Record<string, 'json' | 'verbose' | 'help' | 'version'>> = {
  '--json': 'json',
  '--verbose': 'verbose',
  '--help': 'help',
  '-h': 'help',
  '--version': 'version',
};
const WITH_VALUE: Readonly<Record<string, 'simulator' | 'config'>> = {
  '--simulator': 'simulator',
  '--config': 'config',
};

/**
 * Takes the global options out of a command line, wherever they are, and finds the command:
 * the first word that is not an option. Before the command only global options may appear.
 * Everything after `--` is passed on untouched.
 *
 * @throws {UsageError} for an unknown option before the command, or a global option missing its value.
 */
export function splitCommandLine(argv: readonly string[]): SplitCommandLine {
  const out: SplitCommandLine = {
    global: { json: false, simulator: undefined, config: undefined, verbose: false },
    help: false,
    version: false,
    command: undefined,
    rest: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      out.rest.push(...argv.slice(i));
      break;
    }
    const flag = FLAGS[token];
    if (flag === 'json' || flag === 'verbose') out.global[flag] = true;
    else if (flag !== undefined) out[flag] = true;
    else {
      const [name, inline] = token.startsWith('--') && token.includes('=') ? token.split(/=(.*)/s) : [token, undefined];
      const option = WITH_VALUE[name as string];
      if (option !== undefined) {
        const value = inline ?? argv[i + 1];
        if (value === undefined || (inline === undefined && value.startsWith('-'))) {
          throw new UsageError(`option ${name} needs a value`, out.command);
        }
        if (inline === undefined) i++;
        out.global[option] = value;
      } else if (out.command === undefined && token.startsWith('-')) {
        throw new UsageError(`unknown option ${token} (command options go after the command)`);
      } else if (out.command === undefined) {
        out.command = token;
      } else {
        out.rest.push(token);
      }
    }
  }
  return out;
}
