/** A deadline being watched; pass it back to {@link Deadlines.done}. */
export interface Deadline {
  /** The sweep count when it started. */
  readonly startTick: number;
  /** Called once if it expires. */
  readonly onExpire: () => void;
}

/**
 * Deadlines of many short operations on one shared timer, instead of a `setTimeout` per call:
 * starting and finishing a deadline is a set insertion and deletion, and no clock is read. The
 * timer runs only while deadlines are pending and is `unref()`ed.
 */
export interface Deadlines {
  /** Starts a deadline; `onExpire` runs once after the timeout unless {@link done} runs first. */
  start(onExpire: () => void): Deadline;
  /** The operation finished: forget its deadline. */
  done(deadline: Deadline): void;
  /** Stops the timer and forgets every pending deadline. */
  close(): void;
}

/**
 * Creates {@link Deadlines} that expire no earlier than `timeoutMs` after they start and at most
 * two ticks (a tick is a quarter of the timeout, at least 5 ms) later.
 */
export function createDeadlines(timeoutMs: number): Deadlines {
  const tickMs = Math.max(5, Math.floor(timeoutMs / 4));
  const ticksToExpire = Math.ceil(timeoutMs / tickMs);
  const pending = new Set<Deadline>();
  let ticks = 0;
  let timer: NodeJS.Timeout | undefined;

  const sweep = () => {
    ticks++;
    for (const deadline of pending) {
      // A deadline started just before a tick waits one extra tick: never early, at most a tick late.
      if (ticks - deadline.startTick > ticksToExpire) {
        pending.delete(deadline);
        deadline.onExpire();
      }
    }
    if (pending.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    start(onExpire) {
      const deadline = { startTick: ticks, onExpire };
      pending.add(deadline);
      if (timer === undefined) {
        timer = setInterval(sweep, tickMs);
        timer.unref();
      }
      return deadline;
    },
    done(deadline) {
      pending.delete(deadline);
    },
    close() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      pending.clear();
    },
  };
}
