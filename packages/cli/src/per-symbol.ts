import type { Progress } from './output/progress.js';

/** What one symbol's job came to. */
export type SymbolOutcome<T> =
  | {
      /** The symbol. */
      symbol: string;
      /** Discriminant. */
      ok: true;
      /** What the job returned. */
      value: T;
    }
  | {
      /** The symbol. */
      symbol: string;
      /** Discriminant. */
      ok: false;
      /** What the job threw. */
      error: unknown;
    };

/** Options of {@link forEachSymbol}. */
export interface ForEachSymbolOptions {
  /** Jobs in flight at once: the manager batches and rate-limits below this. @default 4 */
  concurrency?: number;
  /** Told of each finished symbol. @default none */
  progress?: Progress;
  /** Stops starting new jobs; the run then rejects with its reason. @default undefined */
  signal?: AbortSignal;
}

/**
 * Runs `job` for every symbol, a few at a time, and returns each outcome in the order given: one
 * symbol's failure is its outcome, not the end of the run (an abort is).
 */
export async function forEachSymbol<T>(
  symbols: readonly string[],
  job: (symbol: string) => Promise<T>,
  options: ForEachSymbolOptions = {},
): Promise<SymbolOutcome<T>[]> {
  const outcomes: SymbolOutcome<T>[] = new Array(symbols.length);
  let next = 0;
  const worker = async () => {
    while (next < symbols.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      const symbol = symbols[index] as string;
      try {
        outcomes[index] = { symbol, ok: true, value: await job(symbol) };
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        outcomes[index] = { symbol, ok: false, error };
      }
      options.progress?.step(symbol);
    }
  };
  const workers = Math.max(1, Math.min(options.concurrency ?? 4, symbols.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    options.progress?.done();
  }
  return outcomes;
}
