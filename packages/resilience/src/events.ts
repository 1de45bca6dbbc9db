/** Something that can be released: a listener subscription, an isolation handle. */
export interface Disposable {
  /** Releases it; calling twice is harmless. */
  dispose(): void;
}

/**
 * Subscribes a listener to one kind of event; dispose the result to unsubscribe. Same shape as
 * cockatiel's `Event<T>`, so listeners written for either library fit both.
 */
export type Event<T> = (listener: (event: T) => void) => Disposable;

const noopDisposable: Disposable = { dispose() {} };

/**
 * A tiny typed event source. Emitting with no listener costs one property read, and callers check
 * {@link Emitter.active} before building an event object so a quiet policy allocates nothing.
 *
 * A listener that throws does not break the policy that emitted: the error is reported as a
 * process warning and the remaining listeners still run.
 */
export class Emitter<T> {
  private listeners: Array<(event: T) => void> = [];

  /** Subscribes a listener; the returned handle removes it. */
  readonly on: Event<T> = (listener) => {
    // Copy on write: an emit in progress keeps iterating the array it started with.
    this.listeners = [...this.listeners, listener];
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  /** Whether anyone listens; check it before building an event object. */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  /** Calls every listener with `event`. */
  emit(event: T): void {
    const listeners = this.listeners;
    for (let i = 0; i < listeners.length; i++) {
      try {
        (listeners[i] as (event: T) => void)(event);
      } catch (err) {
        process.emitWarning(`a @stockade/resilience event listener threw: ${String(err)}`, 'StockadeListenerWarning');
      }
    }
  }
}

/** One event made of several sources (say, the queue events of a bucket and of a bulkhead). */
export function mergeEvents<T>(...events: ReadonlyArray<Event<T> | undefined>): Event<T> {
  const present = events.filter((e): e is Event<T> => e !== undefined);
  if (present.length === 0) return () => noopDisposable;
  if (present.length === 1) return present[0] as Event<T>;
  return (listener) => {
    const subs = present.map((e) => e(listener));
    return {
      dispose: () => {
        for (const s of subs) s.dispose();
      },
    };
  };
}

/** An event that never fires, for a policy slot left empty. */
export const neverEvent: Event<never> = () => noopDisposable;
