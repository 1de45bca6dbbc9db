import { type ParseArgsConfig, parseArgs } from 'node:util';
import { UsageError } from './usage-error.js';

/** The `options` of a `parseArgs` call: each option's type and short name. */
export type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCommandLine} returns for an option set `T`. */
export type ParsedCommandLine<T extends ParseArgsOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>
>;

/** How many positional arguments a command takes. */
export interface PositionalRule {
  /** What they are, for the error message: `symbol`. */
  name: string;
  /** Fewest accepted. @default 0 */
  min?: number;
  /** Most accepted. @default unlimited */
  max?: number;
}

/**
 * Parses a command's own arguments with `node:util` `parseArgs` (strict), turning its errors and a
 * wrong number of positionals into {@link UsageError}s that name the command.
 *
 * @throws {UsageError} for an unknown option, an option missing its value, or too few or too many positionals.
 */
export function parseCommandLine<T extends ParseArgsOptionsConfig>(
  command: string,
  argv: readonly string[],
  options: T,
  positionals: PositionalRule,
): ParsedCommandLine<T> {
  let parsed: ParsedCommandLine<T>;
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(commandLineMessage(err), command);
  }
  const count = parsed.positionals.length;
  const min = positionals.min ?? 0;
  if (count < min) {
    throw new UsageError(
      `${command} needs ${min === 1 ? `a ${positionals.name}` : `${min} ${positionals.name}s`}`,
      command,
    );
  }
  if (positionals.max !== undefined && count > positionals.max) {
    const extra = parsed.positionals.slice(positionals.max).join(' ');
    throw new UsageError(
      positionals.max === 0
        ? `${command} takes no arguments, got ${extra}`
        : `${command} takes at most ${positionals.max} ${positionals.name}${positionals.max === 1 ? '' : 's'}, got also ${extra}`,
      command,
    );
  }
  return parsed;
}

/** parseArgs' messages suggest `--` tricks; say what was wrong in a line instead. */
function commandLineMessage(err: unknown): string {
  const code = (err as { code?: unknown }).code;
  const message = err instanceof Error ? err.message : String(err);
  const option = /'(-[^' ]+)/.exec(message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option !== undefined) return `unknown option ${option}`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option !== undefined) {
    return message.includes('argument missing') ? `option ${option} needs a value` : `option ${option} takes no value`;
  }
  return message;
}
