import { type Clock, systemClock } from '@stockade/core';
import { z } from 'zod';
import { executeOptions, invoke, type Policy, passThroughContext } from './call-context.js';
import type { Event } from './events.js';
import { ClockSchema, parseOptions, QueueSchema } from './options.js';
import type { AcquireOptions, QueuedEvent, RejectedEvent } from './rate-limiter.js';
import { sharedTimerWheel, type TimerWheel } from './timer-wheel.js';
import type { QueueOptions } from './token-bucket.js';
import { type Gate, remainingMs, WaitQueue } from './wait-queue.js';

/** Options of {@link bulkhead}. */
export interface BulkheadOptions {
  /**
   * Name in errors and events; usually the provider.
   * @default 'bulkhead'
   */
  name?: string;
  /** Calls running at once. Required. */
  maxConcurrent: number;
  /**
   * Callers who wait for a free slot (none by default: a full bulkhead refuses at once).
   * @default { maxSize: 0, maxWaitMs: 30000 }
   */
  queue?: QueueOptions;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Wheel for waiters' deadlines.
   * @default sharedTimerWheel(clock)
   */
  timers?: TimerWheel;
}

/** At most `maxConcurrent` calls at once per provider, plus a bounded queue. */
export interface Bulkhead extends Policy {
  /** Name. */
  readonly name: string;
  /** Calls running now. */
  readonly active: number;
  /** Callers waiting now. */
  readonly queueLength: number;
  /** Takes a slot if one is free now; pair with {@link Bulkhead.release}. */
  tryEnter(): boolean;
  /** Takes a slot, waiting in the queue; `RateLimitedError` when full or too long, the signal's reason when aborted. */
  enter(options?: AcquireOptions): Promise<void>;
  /** Frees a slot taken by `tryEnter` or `enter`. */
  release(): void;
  /** A caller started waiting. */
  readonly onQueued: Event<QueuedEvent>;
  /** A caller was refused. */
  readonly onRejected: Event<RejectedEvent>;
  /** Refuses every waiter and later caller. */
  close(): void;
}

const Options = z
  .object({
    name: z.string().min(1).optional(),
    maxConcurrent: z.number().int().positive(),
    queue: QueueSchema.optional(),
    clock: ClockSchema.optional(),
    timers: z.custom<TimerWheel>((t) => typeof (t as TimerWheel | undefined)?.schedule === 'function').optional(),
  })
  .strict();

class Slots implements Gate {
  active = 0;
  constructor(readonly max: number) {}

  waitMs(): number {
    // A slot frees when a call ends, which no clock can tell: release() drains the queue.
    return this.active < this.max ? 0 : Number.POSITIVE_INFINITY;
  }

  take(): void {
    this.active++;
  }
}

/**
 * Creates a {@link Bulkhead}.
 *
 * @example
 * const pool = bulkhead({ name: 'yahoo', maxConcurrent: 8, queue: { maxSize: 100, maxWaitMs: 2_000 } });
 * const chart = await pool.execute(({ signal }) => yahoo.chart('AAPL', { signal }));
 */
export function bulkhead(options: BulkheadOptions): Bulkhead {
  const o = parseOptions(Options, options, 'bulkhead');
  const name = o.name ?? 'bulkhead';
  const clock = o.clock ?? systemClock;
  const slots = new Slots(o.maxConcurrent);
  const queue = new WaitQueue(
    name,
    slots,
    { maxSize: o.queue?.maxSize ?? 0, maxWaitMs: o.queue?.maxWaitMs ?? 30_000 },
    clock,
    o.timers ?? sharedTimerWheel(clock),
  );
  let closed = false;

  const tryEnter = (): boolean => {
    if (closed || queue.length > 0 || slots.active >= slots.max) return false;
    slots.active++;
    return true;
  };
  const enter = (acquire: AcquireOptions = {}): Promise<void> => {
    if (acquire.signal?.aborted) return Promise.reject(acquire.signal.reason);
    return tryEnter() ? Promise.resolve() : queue.enqueue(1, acquire);
  };
  const release = (): void => {
    if (slots.active > 0) slots.active--;
    queue.drain();
  };
  const run = <T>(fn: Parameters<Policy['execute']>[0], opts: ReturnType<typeof executeOptions>): Promise<T> =>
    Promise.resolve(invoke(fn, passThroughContext(opts))).finally(release) as Promise<T>;

  return {
    name,
    get active() {
      return slots.active;
    },
    get queueLength() {
      return queue.length;
    },
    tryEnter,
    enter,
    release,
    onQueued: queue.queued.on,
    onRejected: queue.rejected.on,
    execute(fn, arg) {
      const opts = executeOptions(arg);
      if (tryEnter()) return run(fn, opts);
      return enter({ signal: opts.signal, priority: opts.priority, maxWaitMs: remainingMs(opts.deadline, clock) }).then(
        () => run(fn, opts),
      );
    },
    close() {
      closed = true;
      queue.close();
    },
  };
}
