import type { CallContext } from './call-context.js';

/**
 * Waits `ms`, or rejects with the signal's reason the moment it aborts (cockatiel's retry sleep
 * does not). The timer stays ref'd: someone awaits it, and the process must not exit under an
 * awaited wait; it is cleared on abort.
 *
 * @example
 * await abortableSleep(250, AbortSignal.timeout(100)); // rejects after ~100 ms with a TimeoutError DOMException
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Settles with `work`, or rejects with the signal's reason as soon as it aborts — then also aborts
 * `context` so the call, if it listens, stops too.
 */
export function raceSignal<T>(
  work: PromiseLike<T> | T,
  signal: AbortSignal | undefined,
  context?: CallContext,
): Promise<T> {
  if (signal === undefined) return Promise.resolve(work);
  if (signal.aborted) {
    context?.abort(signal.reason);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => {
      context?.abort(signal.reason);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(work).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}
