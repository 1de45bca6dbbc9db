import { type Clock, RateLimitedError } from '@stockade/core';
import { Emitter } from './events.js';
import type { AcquireOptions, QueuedEvent, RejectedEvent, RejectionReason } from './rate-limiter.js';
import type { ScriptReply } from './shared-bucket-script.js';
import type { GrantedEvent } from './shared-token-bucket.js';
import type { TimerWheel, WheelTimer } from './timer-wheel.js';
import type { WaitQueueLimits } from './wait-queue.js';

/** What the queue asks of the shared bucket. */
export interface SharedQueueHooks {
  /** Asks Redis for `cost` tokens. */
  ask(cost: number): Promise<ScriptReply>;
  /** Waits on the local fallback instead. */
  useLocal(cost: number, options: AcquireOptions): Promise<void>;
  /** Redis failed or was too slow. */
  onRedisError(err: unknown): void;
  /** Redis answered. */
  onRedisOk(): void;
  /** Whether the fallback is in use now. */
  onFallbackNow(): boolean;
}

class SharedWaiter {
  timer: WheelTimer | undefined;
  queued = true;
  resolve!: () => void;
  reject!: (err: unknown) => void;
  readonly promise = new Promise<void>((resolve, reject) => {
    this.resolve = resolve;
    this.reject = reject;
  });

  constructor(
    readonly queue: SharedQueue,
    readonly cost: number,
    readonly priority: number,
    readonly signal: AbortSignal | undefined,
    readonly deadlineAt: number,
  ) {}

  handleEvent(): void {
    if (this.queue.remove(this)) this.reject(this.signal?.reason);
  }
}

function expire(waiter: SharedWaiter): void {
  waiter.timer = undefined;
  waiter.queue.expire(waiter);
}

/**
 * This process's waiters for a shared bucket, in priority-then-arrival order. One "pump" asks
 * Redis for the head's tokens; when Redis says "not yet" it sleeps for the wait Redis computed
 * (one round trip per grant or per refill, no polling loop), and when Redis fails every waiter
 * moves to the local fallback with what is left of its wait.
 */
export class SharedQueue {
  private waiters: SharedWaiter[] = [];
  private pumping = false;
  private closed = false;
  private hintUntil = 0;
  private wake: (() => void) | undefined;
  /** Tokens granted by Redis. */
  readonly granted = new Emitter<GrantedEvent>();
  /** A caller started waiting. */
  readonly queued = new Emitter<QueuedEvent>();
  /** A caller was refused. */
  readonly rejected = new Emitter<RejectedEvent>();

  constructor(
    private readonly name: string,
    private readonly limits: WaitQueueLimits,
    private readonly clock: Clock,
    private readonly timers: TimerWheel,
    private readonly hooks: SharedQueueHooks,
    /** Added to every wait: the Redis round trip that even a caller who will not wait needs. */
    private readonly graceMs: number,
  ) {}

  /** Waiters now. */
  get length(): number {
    return this.waiters.length;
  }

  /** A guess at a newcomer's wait, from Redis's last "not yet". */
  expectedWaitMs(): number {
    const left = this.hintUntil - this.clock.now();
    return left > 0 ? left : this.waiters.length > 0 ? 1 : 0;
  }

  enqueue(cost: number, options: AcquireOptions): Promise<void> {
    if (this.closed) return Promise.reject(this.rejection('closed', 'closed', undefined));
    if (this.waiters.length >= this.limits.maxSize) {
      return Promise.reject(
        this.rejection('queue_full', `queue full (${this.waiters.length} waiting); try later`, undefined),
      );
    }
    const now = this.clock.now();
    const maxWaitMs = Math.min(options.maxWaitMs ?? this.limits.maxWaitMs, this.limits.maxWaitMs);
    const priority = options.priority ?? 0;
    const waiter = new SharedWaiter(this, cost, priority, options.signal, now + maxWaitMs + this.graceMs);
    let i = this.waiters.length;
    while (i > 0 && (this.waiters[i - 1] as SharedWaiter).priority < priority) i--;
    this.waiters.splice(i, 0, waiter);
    options.signal?.addEventListener('abort', waiter, { once: true });
    waiter.timer = this.timers.schedule(waiter.deadlineAt, expire, waiter);
    if (this.queued.active && this.waiters.length > 1) {
      this.queued.emit({ limiter: this.name, queueLength: this.waiters.length, estimatedWaitMs: undefined, priority });
    }
    this.pump().catch((err: unknown) => this.failAll(err));
    return waiter.promise;
  }

  remove(waiter: SharedWaiter): boolean {
    if (!waiter.queued) return false;
    waiter.queued = false;
    const i = this.waiters.indexOf(waiter);
    if (i >= 0) this.waiters.splice(i, 1);
    waiter.timer?.cancel();
    waiter.timer = undefined;
    waiter.signal?.removeEventListener('abort', waiter);
    return true;
  }

  expire(waiter: SharedWaiter): void {
    if (!this.remove(waiter)) return;
    waiter.reject(this.rejection('wait_too_long', `no token within its maxWaitMs`, this.expectedWaitMs()));
  }

  close(): void {
    this.closed = true;
    for (const w of [...this.waiters]) {
      this.remove(w);
      w.reject(this.rejection('closed', 'closed', undefined));
    }
    this.wake?.();
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiters.length > 0 && !this.closed) {
        if (this.hooks.onFallbackNow()) {
          this.moveAllToLocal();
          return;
        }
        const head = this.waiters[0] as SharedWaiter;
        let reply: ScriptReply;
        try {
          reply = await this.hooks.ask(head.cost);
        } catch (err) {
          this.hooks.onRedisError(err);
          this.moveAllToLocal();
          return;
        }
        this.hooks.onRedisOk();
        if (reply.granted) {
          this.hintUntil = 0;
          // The head may have left (aborted) during the round trip: the token goes to the next in line.
          const next = this.waiters[0];
          if (next !== undefined && next.cost <= head.cost) this.grant(next, reply.at);
          continue;
        }
        const now = this.clock.now();
        this.hintUntil = now + reply.waitMs;
        const first = this.waiters[0];
        if (first === undefined) return;
        if (now + reply.waitMs > first.deadlineAt) {
          this.remove(first);
          first.reject(
            this.rejection(
              'wait_too_long',
              `a token would take ${Math.ceil(reply.waitMs)} ms, longer than its maxWaitMs`,
              reply.waitMs,
            ),
          );
          continue;
        }
        await this.sleep(Math.max(1, Math.ceil(reply.waitMs)));
      }
    } finally {
      this.pumping = false;
    }
  }

  private grant(waiter: SharedWaiter, at: number): void {
    this.remove(waiter);
    if (this.granted.active) this.granted.emit({ limiter: this.name, cost: waiter.cost, at });
    waiter.resolve();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      // Ref'd: a caller awaits the grant this sleep leads to.
      const timer = setTimeout(() => {
        this.wake = undefined;
        resolve();
      }, ms);
      this.wake = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
    });
  }

  private moveAllToLocal(): void {
    const now = this.clock.now();
    for (const w of [...this.waiters]) {
      this.remove(w);
      this.hooks
        .useLocal(w.cost, {
          signal: w.signal,
          priority: w.priority,
          maxWaitMs: Math.max(0, w.deadlineAt - this.graceMs - now),
        })
        .then(w.resolve, w.reject);
    }
  }

  private failAll(err: unknown): void {
    for (const w of [...this.waiters]) {
      this.remove(w);
      w.reject(err);
    }
  }

  private rejection(reason: RejectionReason, message: string, retryAfterMs: number | undefined): RateLimitedError {
    const retry = retryAfterMs === undefined ? undefined : Math.ceil(retryAfterMs);
    if (this.rejected.active) this.rejected.emit({ limiter: this.name, reason, retryAfterMs: retry });
    return new RateLimitedError(this.name, message, retry);
  }
}
