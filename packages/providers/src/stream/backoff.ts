/** Delays of a reconnect loop. */
export interface ReconnectBackoff {
  /** The delay before the next attempt, ms; grows until {@link ReconnectBackoff.reset}. */
  next(): number;
  /** Attempts since the last reset. */
  readonly attempts: number;
  /** Back to the first delay (after a connection reached `subscribed`). */
  reset(): void;
}

/**
 * Exponential backoff with "equal jitter": each delay is half its cap plus a random half, so
 * many clients dropped at once spread out instead of reconnecting in lockstep, and no delay is
 * ever near zero (a server that refuses at once does not see a storm).
 */
export function reconnectBackoff(initialDelayMs: number, maxDelayMs: number, random: () => number): ReconnectBackoff {
  let attempts = 0;
  return {
    next() {
      const cap = Math.min(maxDelayMs, initialDelayMs * 2 ** Math.min(attempts, 30));
      attempts += 1;
      return Math.round(cap / 2 + random() * (cap / 2));
    },
    get attempts() {
      return attempts;
    },
    reset() {
      attempts = 0;
    },
  };
}
