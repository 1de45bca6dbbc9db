import type { CliWritable } from '../cli-io.js';
import { formatTable, type TableColumn } from './table.js';

/** How a command's results are written, chosen once per run. */
export interface Output {
  /** `--json` was given: stdout gets exactly one JSON document. */
  readonly json: boolean;
  /** stdout is a terminal: tables get borders, captions are shown. */
  readonly tty: boolean;
  /** Writes `value` as indented JSON and a newline. */
  writeJson(value: unknown): void;
  /** Writes a table: boxed on a terminal, aligned plain text otherwise. */
  writeTable(columns: readonly TableColumn[], rows: ReadonlyArray<readonly string[]>): void;
  /** Writes a line of results. */
  writeLine(text: string): void;
  /** Writes a caption above a table, on a terminal only (a pipe gets nothing but rows). */
  writeCaption(text: string): void;
  /** Writes a note for the person (`wrote spy.svg`) on stderr. */
  note(text: string): void;
}

/** Options of `createOutput`. */
export interface OutputOptions {
  /** Results as JSON. @default false */
  json?: boolean;
}

/** The {@link Output} of one run over `stdout` and `stderr`. */
export function createOutput(stdout: CliWritable, stderr: CliWritable, options: OutputOptions = {}): Output {
  const tty = stdout.isTTY === true;
  return {
    json: options.json ?? false,
    tty,
    writeJson(value) {
      stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
    writeTable(columns, rows) {
      stdout.write(`${formatTable(columns, rows, { style: tty ? 'boxed' : 'plain' })}\n`);
    },
    writeLine(text) {
      stdout.write(`${text}\n`);
    },
    writeCaption(text) {
      if (tty) stdout.write(`${text}\n`);
    },
    note(text) {
      stderr.write(`${text}\n`);
    },
  };
}
