import type { Signal } from '@stockade/core';

/** A listener's handle: call `dispose()` to stop listening. */
export interface Disposable {
  /** Stops listening. Idempotent. */
  dispose(): void;
}

/**
 * Fan-out of emitted signals to listeners and to async iterators, each iterator with its own
 * bounded buffer (the oldest signal is dropped when a slow consumer falls `capacity` behind).
 */
export class SignalStream {
  private readonly listeners = new Set<(signal: Signal) => void>();
  private readonly iterators = new Set<{ push(s: Signal): void; end(): void }>();
  private closed = false;

  /** Calls `listener` for every emitted signal until disposed. */
  on(listener: (signal: Signal) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Delivers `signal` to every listener and iterator. A throwing listener does not stop the others. */
  emit(signal: Signal, onListenerError: (error: unknown) => void): void {
    for (const listener of this.listeners) {
      try {
        listener(signal);
      } catch (error) {
        onListenerError(error);
      }
    }
    for (const it of this.iterators) it.push(signal);
  }

  /** Signals as an async iterable; ends on `close()`, throws the abort reason when `signal` aborts. */
  iterate(options: { signal?: AbortSignal; capacity?: number } = {}): AsyncIterable<Signal> {
    const { signal, capacity = 10_000 } = options;
    return {
      [Symbol.asyncIterator]: () => {
        const buffer: Signal[] = [];
        let wake: (() => void) | undefined;
        let ended = this.closed;
        const sink = {
          push: (s: Signal) => {
            if (buffer.length >= capacity) buffer.shift();
            buffer.push(s);
            wake?.();
          },
          end: () => {
            ended = true;
            wake?.();
          },
        };
        const onAbort = () => wake?.();
        this.iterators.add(sink);
        signal?.addEventListener('abort', onAbort, { once: true });
        const finish = () => {
          this.iterators.delete(sink);
          signal?.removeEventListener('abort', onAbort);
        };
        return {
          next: async (): Promise<IteratorResult<Signal>> => {
            for (;;) {
              if (signal?.aborted) {
                finish();
                throw signal.reason;
              }
              const s = buffer.shift();
              if (s !== undefined) return { value: s, done: false };
              if (ended) {
                finish();
                return { value: undefined, done: true };
              }
              await new Promise<void>((resolve) => {
                wake = resolve;
              });
              wake = undefined;
            }
          },
          return: async (): Promise<IteratorResult<Signal>> => {
            finish();
            return { value: undefined, done: true };
          },
        };
      },
    };
  }

  /** Ends every iterator and drops every listener. */
  close(): void {
    this.closed = true;
    for (const it of this.iterators) it.end();
    this.listeners.clear();
  }
}
