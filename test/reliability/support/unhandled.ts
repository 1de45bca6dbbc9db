/** Counts unhandled rejections and uncaught exceptions while installed. */
export interface UnhandledCounter {
  /** How many were seen so far. */
  readonly count: number;
  /** What they were (first 20). */
  readonly samples: readonly string[];
  /** Removes the process listeners. */
  dispose(): void;
}

/**
 * Installs process listeners that count every unhandled rejection and uncaught exception. A
 * listener on `unhandledRejection` also stops Node's default crash, so the count is what the
 * matrix asserts on.
 */
export function countUnhandled(): UnhandledCounter {
  let count = 0;
  const samples: string[] = [];
  const onEvent = (reason: unknown) => {
    count++;
    if (samples.length < 20)
      samples.push(reason instanceof Error ? `${reason.name}: ${reason.message}` : String(reason));
  };
  process.on('unhandledRejection', onEvent);
  process.on('uncaughtException', onEvent);
  return {
    get count() {
      return count;
    },
    samples,
    dispose() {
      process.off('unhandledRejection', onEvent);
      process.off('uncaughtException', onEvent);
    },
  };
}
