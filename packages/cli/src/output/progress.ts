import type { CliWritable } from '../cli-io.js';

/** Reports how far a job over several items has got. */
export interface Progress {
  /** One more item is done. */
  step(item: string): void;
  /** Clears a terminal's progress line; call it once, when the job ends. */
  done(): void;
}

/** Options of {@link createProgress}. */
export interface ProgressOptions {
  /** Items in the job. */
  total: number;
  /** What is being done, e.g. `backtest`. */
  label: string;
}

const silent: Progress = { step() {}, done() {} };

/**
 * Progress on stderr for a job over several items (a single item gets none): on a terminal one
 * line redrawn in place, `backtest 3/10 MSFT`; elsewhere one such line per item, so a log shows
 * how far a run got before it stopped.
 */
export function createProgress(stderr: CliWritable, options: ProgressOptions): Progress {
  if (options.total < 2) return silent;
  const tty = stderr.isTTY === true;
  let done = 0;
  let drawn = false;
  return {
    step(item) {
      done += 1;
      const text = `${options.label} ${done}/${options.total} ${item}`;
      if (tty) {
        stderr.write(`\r\x1b[2K${text}`);
        drawn = true;
      } else {
        stderr.write(`${text}\n`);
      }
    },
    done() {
      if (drawn) stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
