import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

interface CorrelationContext {
  correlationId: string;
}

// One store per process: core is ESM-only, so there is exactly one copy of this module.
const storage = new AsyncLocalStorage<CorrelationContext>();

/**
 * Runs `fn` inside a request context carrying a correlation id: every line logged while it runs
 * — across awaits, timers and callbacks it starts — carries the id. Nested calls replace the id
 * for their own extent.
 *
 * @param id the id to use, e.g. an incoming `x-request-id`. @default a random UUID
 * @returns what `fn` returns (its promise, if it is async).
 * @example
 * await withCorrelation(async () => {
 *   log.info('fetching quotes'); // {"…","correlationId":"5f0c…","msg":"fetching quotes"}
 *   await md.quotes(['AAPL']);
 * });
 */
export function withCorrelation<T>(fn: () => T, id?: string): T {
  return storage.run({ correlationId: id ?? randomUUID() }, fn);
}

/** The correlation id of the request being served, or undefined outside {@link withCorrelation}. */
export function currentCorrelationId(): string | undefined {
  return storage.getStore()?.correlationId;
}
