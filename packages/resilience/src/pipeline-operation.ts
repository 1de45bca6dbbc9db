import { abortError, type ExecuteOptions, type PolicyFn } from './call-context.js';
import type { BreakerOutcome } from './circuit-breaker.js';
import { HEDGE_LOST } from './hedge.js';
import { Branch, expireAttempt } from './pipeline-branch.js';
import type { PipelineCore } from './pipeline-core.js';
import { timeoutError } from './timeout.js';
import type { WheelTimer } from './timer-wheel.js';

const NEVER = Number.POSITIVE_INFINITY;

function onTimer(op: Operation): void {
  op.timerFired();
}

/**
 * One `pipeline.execute()`: the overall deadline and the hedges around one or more {@link Branch}es.
 *
 * Every time limit of the operation — the deadline, the hedge delay, each attempt's timeout —
 * shares one entry on the timer wheel, armed for the earliest of them: the success path registers
 * and cancels one entry. On that path it allocates itself, one branch, one attempt and the promise
 * chain; the caller's signal is listened to through `handleEvent` (no closure), and an
 * `AbortController` of its own is only made when something has to wait (a queue, the auth hook).
 */
export class Operation {
  done = false;
  authRefreshed = false;
  deadline: number | undefined;
  private hedgeAt = NEVER;
  private timer: WheelTimer | undefined = undefined;
  private timerAt = NEVER;
  private starting = true;
  private primary: Branch | undefined = undefined;
  private hedges: Branch[] | undefined = undefined;
  private failures = 0;
  private primaryError: unknown = undefined;
  private firstError: unknown = undefined;
  private controller: AbortController | undefined = undefined;
  private resolve!: (value: unknown) => void;
  private reject!: (err: unknown) => void;

  constructor(
    readonly core: PipelineCore,
    readonly fn: PolicyFn<unknown>,
    readonly options: ExecuteOptions,
  ) {}

  /** Aborts with the operation: waits in queues and the auth hook listen to it. */
  get signal(): AbortSignal {
    let c = this.controller;
    if (c === undefined) {
      c = new AbortController();
      this.controller = c;
      if (this.done) c.abort(abortError('operation ended'));
    }
    return c.signal;
  }

  /** Ms left before the deadline, when there is one. */
  remainingMs(): number | undefined {
    return this.deadline === undefined ? undefined : Math.max(0, this.deadline - this.core.clock.now());
  }

  start(): Promise<unknown> {
    const core = this.core;
    const promise = new Promise<unknown>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    const now = core.clock.now();
    let deadline = this.options.deadline;
    if (core.deadlineMs !== undefined && (deadline === undefined || now + core.deadlineMs < deadline)) {
      deadline = now + core.deadlineMs;
    }
    this.deadline = deadline;
    this.options.signal?.addEventListener('abort', this, { once: true });
    core.retry?.budget?.recordRequest(now);
    const hedge = core.hedge;
    if (hedge !== undefined) {
      hedge.budget.recordRequest(now);
      const delay = hedge.maxHedges > 0 ? hedge.delayMs() : undefined;
      if (delay !== undefined) this.hedgeAt = now + delay;
    }
    this.primary = new Branch(this, 0);
    this.primary.next(now);
    this.starting = false;
    if (!this.done) this.armAt(Math.min(deadline ?? NEVER, this.hedgeAt, this.timerAt));
    return promise;
  }

  /** Makes sure the one timer fires by `at` (an attempt's timeout, the hedge, the deadline). */
  armAt(at: number): void {
    if (this.starting) {
      // Collect during start and arm once at its end.
      if (at < this.timerAt) this.timerAt = at;
      return;
    }
    if (at === NEVER || (this.timer !== undefined && at >= this.timerAt)) return;
    this.timer?.cancel();
    this.timerAt = at;
    this.timer = this.core.timers.schedule(at, onTimer, this);
  }

  /** @internal The timer fired: handle whatever is due, arm for what is next. */
  timerFired(): void {
    this.timer = undefined;
    this.timerAt = NEVER;
    if (this.done) return;
    const now = this.core.clock.now();
    if (this.deadline !== undefined && now >= this.deadline) {
      this.expire();
      return;
    }
    if (now >= this.hedgeAt) {
      this.hedgeAt = NEVER;
      this.fireHedge(now);
    }
    let next = Math.min(this.deadline ?? NEVER, this.hedgeAt);
    next = this.expireAttempts(this.primary, now, next);
    if (this.hedges !== undefined) for (const b of this.hedges) next = this.expireAttempts(b, now, next);
    if (!this.done) this.armAt(next);
  }

  private expireAttempts(branch: Branch | undefined, now: number, next: number): number {
    const attempt = branch?.current;
    if (attempt === undefined || attempt.settled || this.done) return next;
    if (attempt.expiresAt <= now) {
      expireAttempt(attempt);
      return next;
    }
    return Math.min(next, attempt.expiresAt);
  }

  private fireHedge(now: number): void {
    const core = this.core;
    const hedge = core.hedge;
    if (this.done || hedge === undefined) return;
    const fired = this.hedges?.length ?? 0;
    if (fired >= hedge.maxHedges) return;
    // Skip when short on quota or not healthy: a hedge must not eat the token a real call needs.
    if (core.limiter !== undefined && core.limiter.waitTimeMs(1) > 0) return;
    if (core.breaker !== undefined && core.breaker.state !== 'closed') return;
    if (!hedge.budget.tryRetry(now)) return;
    const delay = hedge.delayMs() ?? 0;
    if (hedge.fired.active)
      hedge.fired.emit({ name: core.provider, hedge: fired + 1, afterMs: delay, target: core.provider });
    const branch = new Branch(this, fired + 1);
    this.hedges ??= [];
    this.hedges.push(branch);
    if (fired + 1 < hedge.maxHedges) this.hedgeAt = now + delay;
    branch.next(now);
  }

  /** @internal An attempt succeeded. */
  succeeded(value: unknown, durationMs: number): void {
    if (this.done) return;
    if (this.core.hedge?.tracksLatency) this.core.hedge.latency.record(durationMs);
    this.finish('ignore', hedgeLost);
    this.resolve(value);
  }

  /** @internal A branch will make no further attempt. */
  branchFailed(branch: Branch, err: unknown): void {
    if (this.done) return;
    if (branch.index === 0) this.primaryError = err;
    else if (this.failures === 0) this.firstError = err;
    this.failures++;
    if (this.failures < 1 + (this.hedges?.length ?? 0)) return;
    this.finish('ignore', hedgeLost);
    this.reject(this.primaryError ?? this.firstError ?? err);
  }

  /** @internal The overall deadline passed. */
  expire(): void {
    if (this.done) return;
    const core = this.core;
    const err = timeoutError(core.provider, 'deadline', core.deadlineMs ?? 0);
    if (core.timeouts.active)
      core.timeouts.emit({ name: core.provider, scope: 'deadline', timeoutMs: core.deadlineMs ?? 0 });
    // A call still in flight at the deadline did not answer in time: the breaker hears of it.
    this.finish('failure', () => err);
    this.reject(err);
  }

  /** The caller's signal aborted (object listener). */
  handleEvent(): void {
    if (this.done) return;
    const reason = this.options.signal?.reason;
    this.finish('ignore', () => reason);
    this.reject(reason);
  }

  private finish(inFlight: BreakerOutcome, reason: () => unknown): void {
    this.done = true;
    this.timer?.cancel();
    this.timer = undefined;
    this.options.signal?.removeEventListener('abort', this);
    this.primary?.stop(inFlight, reason);
    if (this.hedges !== undefined) for (const b of this.hedges) b.stop(inFlight, reason);
    this.controller?.abort(reason());
  }
}

function hedgeLost(): DOMException {
  return abortError(HEDGE_LOST);
}
