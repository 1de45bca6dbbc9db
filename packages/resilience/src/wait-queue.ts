import { type Clock, RateLimitedError } from '@stockade/core';
import { Emitter } from './events.js';
import type { AcquireOptions, QueuedEvent, RejectedEvent, RejectionReason } from './rate-limiter.js';
import type { TimerWheel, WheelTimer } from './timer-wheel.js';

/** What a `WaitQueue` waits on: tokens, or a concurrency slot. */
export interface Gate {
  /**
   * Ms until `cost` could be granted at `now`: 0 means now; `Infinity` means "cannot tell", and
   * the owner calls `WaitQueue.drain` when things change (a bulkhead slot freed).
   */
  waitMs(cost: number, now: number): number;
  /** Takes `cost`; only called right after `waitMs` said 0. */
  take(cost: number, now: number): void;
}

/** Limits of a `WaitQueue`. */
export interface WaitQueueLimits {
  /** Most callers waiting at once; the next one is refused. */
  readonly maxSize: number;
  /** Longest wait, ms; a caller who would wait longer is refused at once. */
  readonly maxWaitMs: number;
}

class Waiter {
  prev: Waiter | null = null;
  next: Waiter | null = null;
  timer: WheelTimer | undefined = undefined;
  queued = false;
  resolve!: () => void;
  reject!: (err: unknown) => void;
  readonly promise: Promise<void>;

  constructor(
    readonly queue: WaitQueue,
    readonly cost: number,
    readonly priority: number,
    readonly signal: AbortSignal | undefined,
    readonly maxWaitMs: number,
  ) {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** The signal's abort listener (an object listener: no closure per waiter). */
  handleEvent(): void {
    if (!this.queue.remove(this)) return;
    this.reject(this.signal?.reason);
    this.queue.drain();
  }
}

/** Ms left before an absolute deadline (a cap on a wait), or undefined when there is none. */
export function remainingMs(deadline: number | undefined, clock: Clock): number | undefined {
  return deadline === undefined ? undefined : Math.max(0, deadline - clock.now());
}

function expire(waiter: Waiter): void {
  waiter.timer = undefined;
  waiter.queue.expire(waiter);
}

function drainQueue(queue: WaitQueue): void {
  queue.timerFired();
}

/**
 * A first-come-first-served queue with priorities in front of a {@link Gate}. Waiters are a
 * doubly linked list, so an abort removes one at once; one timer (only while someone waits) wakes
 * the head when the gate says it can pass; a caller whose expected wait already exceeds the limit
 * is refused at once instead of waiting to fail.
 */
export class WaitQueue {
  private head: Waiter | null = null;
  private tail: Waiter | null = null;
  private count = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;
  /** A caller started waiting. */
  readonly queued = new Emitter<QueuedEvent>();
  /** A caller was refused. */
  readonly rejected = new Emitter<RejectedEvent>();

  constructor(
    readonly name: string,
    private readonly gate: Gate,
    private readonly limits: WaitQueueLimits,
    private readonly clock: Clock,
    private readonly timers: TimerWheel,
  ) {}

  /** Callers waiting now. */
  get length(): number {
    return this.count;
  }

  /** Sum of the costs of waiters that would be served before a newcomer of `priority`. */
  costAhead(priority: number): number {
    let sum = 0;
    for (let w = this.head; w !== null && w.priority >= priority; w = w.next) sum += w.cost;
    return sum;
  }

  /** Waits for `cost`. */
  enqueue(cost: number, options: AcquireOptions): Promise<void> {
    const signal = options.signal;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.closed) return this.refuse('closed', 'closed', undefined);
    const priority = options.priority ?? 0;
    const maxWaitMs = Math.min(options.maxWaitMs ?? this.limits.maxWaitMs, this.limits.maxWaitMs);
    const now = this.clock.now();
    const estimate = this.gate.waitMs(this.costAhead(priority) + cost, now);
    if (this.count >= this.limits.maxSize) {
      return this.refuse(
        'queue_full',
        `queue full (${this.count} waiting); try later`,
        Number.isFinite(estimate) ? estimate : undefined,
      );
    }
    if (Number.isFinite(estimate) && estimate > maxWaitMs) {
      return this.refuse(
        'wait_too_long',
        `a token would take ${Math.ceil(estimate)} ms, longer than maxWaitMs ${maxWaitMs}`,
        estimate,
      );
    }
    const waiter = new Waiter(this, cost, priority, signal, maxWaitMs);
    this.insert(waiter);
    signal?.addEventListener('abort', waiter, { once: true });
    waiter.timer = this.timers.schedule(now + maxWaitMs, expire, waiter);
    if (this.queued.active) {
      this.queued.emit({
        limiter: this.name,
        queueLength: this.count,
        estimatedWaitMs: Number.isFinite(estimate) ? estimate : undefined,
        priority,
      });
    }
    this.drain();
    return waiter.promise;
  }

  /** Grants the head (and the next ones) while the gate lets them pass; re-arms the timer. */
  drain(): void {
    if (this.head === null) return;
    const now = this.clock.now();
    let w: Waiter | null = this.head;
    while (w !== null) {
      const wait = this.gate.waitMs(w.cost, now);
      if (wait > 0) {
        this.arm(now, wait);
        return;
      }
      this.gate.take(w.cost, now);
      this.remove(w);
      w.resolve();
      w = this.head;
    }
  }

  /** @internal The drain timer fired. */
  timerFired(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.drain();
  }

  /** @internal A waiter's `maxWaitMs` passed. */
  expire(waiter: Waiter): void {
    if (!this.remove(waiter)) return;
    this.drain();
    const retryAfter = this.gate.waitMs(this.costAhead(waiter.priority) + waiter.cost, this.clock.now());
    waiter.reject(
      this.rejection(
        'wait_too_long',
        `no token within maxWaitMs ${waiter.maxWaitMs}`,
        Number.isFinite(retryAfter) ? retryAfter : undefined,
      ),
    );
  }

  /** Removes a waiter; false when it was no longer queued. */
  remove(waiter: Waiter): boolean {
    if (!waiter.queued) return false;
    waiter.queued = false;
    if (waiter.prev !== null) waiter.prev.next = waiter.next;
    else this.head = waiter.next;
    if (waiter.next !== null) waiter.next.prev = waiter.prev;
    else this.tail = waiter.prev;
    waiter.prev = null;
    waiter.next = null;
    this.count--;
    waiter.timer?.cancel();
    waiter.timer = undefined;
    waiter.signal?.removeEventListener('abort', waiter);
    if (this.count === 0) this.disarm();
    return true;
  }

  /** Refuses every waiter and every later caller. */
  close(): void {
    this.closed = true;
    while (this.head !== null) {
      const w = this.head;
      this.remove(w);
      w.reject(this.rejection('closed', 'closed', undefined));
    }
    this.disarm();
  }

  private insert(waiter: Waiter): void {
    // Behind everyone of equal or higher priority: FIFO within a priority.
    let after = this.tail;
    while (after !== null && after.priority < waiter.priority) after = after.prev;
    waiter.prev = after;
    waiter.next = after === null ? this.head : after.next;
    if (after === null) this.head = waiter;
    else after.next = waiter;
    if (waiter.next === null) this.tail = waiter;
    else waiter.next.prev = waiter;
    waiter.queued = true;
    this.count++;
  }

  private arm(now: number, waitMs: number): void {
    if (!Number.isFinite(waitMs)) return;
    const at = now + Math.max(1, Math.ceil(waitMs));
    if (this.timer !== undefined && this.timerAt <= at) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    // Ref'd on purpose: someone awaits this wait, and the process must not exit under it.
    this.timer = setTimeout(drainQueue, at - now, this);
    this.timerAt = at;
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
  }

  private rejection(reason: RejectionReason, message: string, retryAfterMs: number | undefined): RateLimitedError {
    const retry = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs);
    if (this.rejected.active) this.rejected.emit({ limiter: this.name, reason, retryAfterMs: retry });
    return new RateLimitedError(this.name, message, retry);
  }

  private refuse(reason: RejectionReason, message: string, retryAfterMs: number | undefined): Promise<never> {
    return Promise.reject(this.rejection(reason, message, retryAfterMs));
  }
}
