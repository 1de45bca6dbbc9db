import { ValidationError } from '@stockade/core';

/**
 * The command line is wrong: an unknown command or option, or an argument that is missing or
 * malformed. `stockade` prints it with a pointer to `--help` and exits with code 2; nothing was
 * sent anywhere.
 */
export class UsageError extends ValidationError {
  /** The command whose `--help` explains the fix, when known. */
  readonly command: string | undefined;

  constructor(message: string, command?: string, path = '') {
    super(message, [{ path, message }]);
    this.command = command;
  }
}
