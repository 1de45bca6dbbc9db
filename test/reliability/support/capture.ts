import { type Clock, createLogger, type Logger } from '@stockade/core';

/** Everything a run let out of the process, kept as text so it can be scanned for secrets. */
export interface Capture {
  /** A debug-level JSON logger whose lines land in {@link Capture.texts}. */
  readonly logger: Logger;
  /** Keeps an error: its message, its JSON form and every cause, recursively. */
  error(err: unknown): void;
  /** Keeps any other text (a metrics scrape, span attributes). */
  text(label: string, value: string): void;
  /** Every captured piece, labelled. */
  texts(): ReadonlyArray<{ label: string; value: string }>;
  /** How many log lines were written. */
  readonly logLines: number;
}

function describeError(err: unknown, depth = 0): string[] {
  if (depth > 8 || err === undefined || err === null) return [];
  if (!(err instanceof Error)) return [typeof err === 'string' ? err : safeJson(err)];
  const own = safeJson(err);
  const nested = (err as { attempts?: Array<{ error?: unknown }> }).attempts ?? [];
  return [
    `${err.name}: ${err.message}`,
    err.stack ?? '',
    own,
    ...describeError((err as { cause?: unknown }).cause, depth + 1),
    ...nested.flatMap((a) => describeError(a.error, depth + 1)),
  ];
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) =>
      v instanceof Error ? { name: v.name, message: v.message, ...(v as object) } : v,
    );
  } catch {
    return String(value);
  }
}

/** Creates a capture with a logger at `debug` on the given clock. */
export function createCapture(clock?: Clock): Capture {
  const pieces: Array<{ label: string; value: string }> = [];
  let logLines = 0;
  const logger = createLogger({
    level: 'debug',
    name: 'stockade',
    ...(clock === undefined ? {} : { clock }),
    destination: {
      write(line: string) {
        logLines++;
        pieces.push({ label: 'log', value: line });
      },
    },
  });
  return {
    logger,
    error(err) {
      for (const value of describeError(err)) pieces.push({ label: 'error', value });
    },
    text(label, value) {
      pieces.push({ label, value });
    },
    texts: () => pieces,
    get logLines() {
      return logLines;
    },
  };
}
