import { setImmediate as nextTurn } from 'node:timers/promises';
import type { MarketDataManager } from '@stockade/market-data';

/** What a stretch of load saw. */
export interface LoadTally {
  /** Calls made (one symbol each). */
  calls: number;
  /** Answered with a fresh quote. */
  fresh: number;
  /** Answered with a quote marked stale. */
  stale: number;
  /** Answered with a typed error, by error name and kind. */
  errors: Record<string, number>;
  /** `quotes()` itself rejected (never expected). */
  rejected: number;
}

/** An empty tally. */
export function emptyTally(): LoadTally {
  return { calls: 0, fresh: 0, stale: 0, errors: {}, rejected: 0 };
}

/**
 * Asks for `symbols` one at a time from `concurrency` loops until `until()` says stop, counting
 * every answer into `tally` (shared, so phases can be summed).
 */
export async function driveQuotes(
  md: MarketDataManager,
  symbols: readonly string[],
  tally: LoadTally,
  options: { concurrency: number; until: () => boolean; quoteOptions?: Parameters<MarketDataManager['quotes']>[1] },
): Promise<void> {
  const loop = async (offset: number) => {
    for (let i = offset; !options.until(); i++) {
      const symbol = symbols[i % symbols.length] as string;
      tally.calls++;
      try {
        const [answer] = await md.quotes([symbol], options.quoteOptions);
        if (answer?.ok) {
          if (answer.quote.stale) tally.stale++;
          else tally.fresh++;
        } else {
          const err = answer?.error as { name?: string; kind?: string } | undefined;
          const label = `${err?.name ?? 'unknown'}${err?.kind === undefined ? '' : ` ${err.kind}`}`;
          tally.errors[label] = (tally.errors[label] ?? 0) + 1;
        }
      } catch {
        tally.rejected++;
      }
      // An L1 hit settles in microtasks only: yield so timers and Redis replies are not starved.
      await nextTurn();
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, (_, i) => loop(i)));
}

/** Calls answered with a typed error. */
export function errorCount(tally: LoadTally): number {
  return Object.values(tally.errors).reduce((a, b) => a + b, 0);
}
