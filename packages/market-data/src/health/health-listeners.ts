import { redact } from '@stockade/core';

/** A subscription; dispose it to stop listening. */
export interface HealthSubscription {
  /** Stops the listener; calling twice is harmless. */
  dispose(): void;
}

/** Listeners of one kind of health event. */
export interface ListenerSet<T> {
  /** Adds a listener; the same function may subscribe twice, each subscription disposing only itself. */
  subscribe(listener: (event: T) => void): HealthSubscription;
  /**
   * Calls every listener. One that throws is reported as a process warning and the others still
   * run: a listener's bug must not break the provider call that reported the attempt.
   */
  notify(event: T): void;
}

/** Creates a {@link ListenerSet}. */
export function listenerSet<T>(): ListenerSet<T> {
  const listeners = new Set<(event: T) => void>();
  return {
    subscribe(listener) {
      const entry = (event: T) => listener(event);
      listeners.add(entry);
      return { dispose: () => listeners.delete(entry) };
    },
    notify(event) {
      for (const listener of [...listeners]) {
        try {
          listener(event);
        } catch (err) {
          process.emitWarning(`a health monitor listener threw: ${redact(String(err))}`, 'StockadeListenerWarning');
        }
      }
    },
  };
}
