import { CircuitOpenError, type ProviderError, RateLimitedError } from '@stockade/core';
import { CallContext } from './call-context.js';
import type { Admission, BreakerOutcome } from './circuit-breaker.js';
import { breakerOutcome } from './circuit-breaker.js';
import { type Classification, classify } from './classify.js';
import { type PipelineCore, type RejectedBy, reportNotEntitled, reportRejected } from './pipeline-core.js';
import type { Operation } from './pipeline-operation.js';
import type { RetryRun } from './retry.js';
import { timeoutError } from './timeout.js';

/**
 * One attempt: the context the call receives (lazy signal) and the bookkeeping of what it holds
 * (a breaker admission, a bulkhead slot, a time limit that the operation's one timer watches).
 */
export class Attempt extends CallContext {
  settled = false;
  startedAt = 0;
  expiresAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly branch: Branch,
    attempt: number,
    deadline: number | undefined,
    readonly admission: Admission,
    readonly holdsSlot: boolean,
  ) {
    super(attempt, deadline);
  }

  /** Ends the attempt's holdings; false when it had already ended. */
  end(core: PipelineCore, outcome: BreakerOutcome, error: unknown): boolean {
    if (this.settled) return false;
    this.settled = true;
    if (this.holdsSlot) core.bulkhead?.release();
    core.breaker?.record(this.admission, outcome, error);
    this.recycle();
    return true;
  }
}

/** @internal The attempt's time limit passed. */
export function expireAttempt(attempt: Attempt): void {
  if (attempt.settled) return;
  const core = attempt.branch.op.core;
  const err = timeoutError(core.provider, 'attempt', core.timeoutMs ?? 0);
  if (core.timeouts.active)
    core.timeouts.emit({ name: core.provider, scope: 'attempt', timeoutMs: core.timeoutMs ?? 0 });
  // Abort first: the call must hear of it before the attempt ends and its signal could be recycled.
  attempt.abort(err);
  attempt.branch.failed(attempt, err);
}

function wake(branch: Branch): void {
  branch.sleep = undefined;
  branch.next(branch.op.core.clock.now());
}

/**
 * One line of attempts of an operation: the first call, or a hedge. Runs retry → breaker → rate
 * limit → bulkhead → attempt timeout → call, synchronously while nothing has to wait.
 */
export class Branch {
  attempt = 0;
  current: Attempt | undefined = undefined;
  sleep: ReturnType<typeof setTimeout> | undefined = undefined;
  private run: RetryRun | undefined = undefined;
  private admission: Admission = 'pass';
  private lastError: unknown = undefined;

  constructor(
    readonly op: Operation,
    readonly index: number,
  ) {}

  /** Starts the next attempt; `now` is the time just read. */
  next(now: number): void {
    const op = this.op;
    const core = op.core;
    if (op.done) return;
    this.attempt++;
    this.admission = 'pass';
    if (core.breaker !== undefined) {
      this.admission = core.breaker.admit();
      if (this.admission === 'refused') {
        // The failure that opened it travels along as the cause, for the logs.
        const err = new CircuitOpenError(
          core.breaker.name,
          core.breaker.retryAt,
          this.lastError === undefined ? {} : { cause: this.lastError },
        );
        reportRejected(core, 'breaker', err);
        op.branchFailed(this, err);
        return;
      }
    }
    if (core.limiter !== undefined && !core.limiter.tryAcquire(1, now)) {
      core.limiter.acquire(1, { signal: op.signal, priority: op.options.priority, maxWaitMs: op.remainingMs() }).then(
        () => this.afterToken(this.op.core.clock.now()),
        (err: unknown) => this.waitFailed(err, 'rate_limit'),
      );
      return;
    }
    this.afterToken(now);
  }

  private slotGranted(): void {
    if (this.op.done) {
      this.op.core.bulkhead?.release();
      this.op.core.breaker?.record(this.admission, 'ignore');
      return;
    }
    this.call(true, this.op.core.clock.now());
  }

  private afterToken(now: number): void {
    const op = this.op;
    const core = op.core;
    if (op.done) {
      core.breaker?.record(this.admission, 'ignore');
      return;
    }
    const bulkhead = core.bulkhead;
    if (bulkhead === undefined) this.call(false, now);
    else if (bulkhead.tryEnter()) this.call(true, now);
    else {
      bulkhead.enter({ signal: op.signal, priority: op.options.priority, maxWaitMs: op.remainingMs() }).then(
        () => this.slotGranted(),
        (err: unknown) => this.waitFailed(err, 'bulkhead'),
      );
    }
  }

  private waitFailed(err: unknown, by: RejectedBy): void {
    const core = this.op.core;
    core.breaker?.record(this.admission, 'ignore');
    if (this.op.done) return;
    if (err instanceof RateLimitedError) reportRejected(core, by, err);
    this.op.branchFailed(this, err);
  }

  private call(holdsSlot: boolean, now: number): void {
    const op = this.op;
    const core = op.core;
    const attempt = new Attempt(this, this.attempt, op.deadline, this.admission, holdsSlot);
    this.current = attempt;
    attempt.startedAt = now;
    if (core.timeoutMs !== undefined) {
      attempt.expiresAt = now + core.timeoutMs;
      op.armAt(attempt.expiresAt);
    }
    let result: unknown;
    try {
      result = op.fn(attempt);
    } catch (err) {
      this.failed(attempt, err);
      return;
    }
    if (result !== null && typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') {
      // The two closures passed here are the only ones made per attempt.
      (result as PromiseLike<unknown>).then(
        (value) => this.succeeded(attempt, value),
        (err: unknown) => this.failed(attempt, err),
      );
    } else {
      this.succeeded(attempt, result);
    }
  }

  /** @internal */
  succeeded(attempt: Attempt, value: unknown): void {
    const core = this.op.core;
    if (!attempt.end(core, 'success', undefined)) return;
    this.current = undefined;
    if (this.op.done) return;
    const durationMs = core.hedge?.tracksLatency || core.attempts.active ? core.clock.now() - attempt.startedAt : 0;
    if (core.attempts.active) {
      core.attempts.emit({
        provider: core.provider,
        attempt: attempt.attempt,
        hedge: this.index,
        durationMs,
        outcome: 'success',
      });
    }
    this.op.succeeded(value, durationMs);
  }

  /** @internal */
  failed(attempt: Attempt, err: unknown): void {
    const op = this.op;
    const core = op.core;
    if (attempt.settled) return;
    if (op.done) {
      attempt.end(core, 'ignore', err);
      return;
    }
    this.lastError = err;
    const cls = classify(err);
    const refresh = cls.refreshesKey && core.onAuthFailure !== undefined && !op.authRefreshed;
    attempt.end(core, refresh ? 'ignore' : breakerOutcome(cls), err);
    this.current = undefined;
    if (core.attempts.active) {
      core.attempts.emit({
        provider: core.provider,
        attempt: attempt.attempt,
        hedge: this.index,
        durationMs: core.clock.now() - attempt.startedAt,
        outcome: 'failure',
        error: err,
        kind: cls.kind,
      });
    }
    if (refresh) {
      this.refreshKey(err as ProviderError);
      return;
    }
    if (cls.disablesCapability) reportNotEntitled(core, err as ProviderError, op.options.operation);
    if (cls.honoursRetryAfter && cls.retryAfterMs !== undefined) {
      core.limiter?.pauseUntil(core.clock.now() + cls.retryAfterMs);
    }
    this.retryOrFail(err, cls);
  }

  /** Stops this branch: no further attempt; an attempt in flight is cut off with `reason`. */
  stop(outcome: BreakerOutcome, reason: () => unknown): void {
    if (this.sleep !== undefined) clearTimeout(this.sleep);
    this.sleep = undefined;
    const attempt = this.current;
    this.current = undefined;
    if (attempt === undefined || attempt.settled) return;
    const r = reason();
    attempt.abort(r);
    attempt.end(this.op.core, outcome, r);
    // An attempt cut off by the overall deadline failed like one that timed out: health hears of it.
    const core = this.op.core;
    if (outcome === 'failure' && core.attempts.active) {
      core.attempts.emit({
        provider: core.provider,
        attempt: attempt.attempt,
        hedge: this.index,
        durationMs: core.clock.now() - attempt.startedAt,
        outcome: 'failure',
        error: r,
        kind: 'timeout',
      });
    }
  }

  private retryOrFail(err: unknown, cls: Classification): void {
    const op = this.op;
    const retry = op.core.retry;
    if (retry === undefined) {
      op.branchFailed(this, err);
      return;
    }
    this.run ??= retry.start();
    const delay = this.run.next(this.attempt, cls, op.core.clock.now(), op.deadline);
    if (typeof delay !== 'number') {
      if (delay === 'retry_budget') reportRejected(op.core, 'retry_budget', err);
      if (retry.gaveUp.active) {
        retry.gaveUp.emit({ name: op.core.provider, attempts: this.attempt, reason: delay, error: err });
      }
      op.branchFailed(this, err);
      return;
    }
    if (retry.retried.active) {
      retry.retried.emit({ name: op.core.provider, attempt: this.attempt, delayMs: delay, error: err, kind: cls.kind });
    }
    // Ref'd: the caller awaits this sleep; an abort or the deadline clears it at once.
    this.sleep = setTimeout(wake, delay, this);
  }

  private refreshKey(err: ProviderError): void {
    const op = this.op;
    op.authRefreshed = true;
    const giveUp = (): void => {
      if (op.done) return;
      op.core.breaker?.open(err);
      op.branchFailed(this, err);
    };
    let refreshed: Promise<boolean>;
    try {
      refreshed = Promise.resolve((op.core.onAuthFailure as NonNullable<typeof op.core.onAuthFailure>)(err, op));
    } catch {
      refreshed = Promise.resolve(false);
    }
    refreshed.then(
      (changed) => {
        if (changed === true && !op.done) this.next(op.core.clock.now());
        else giveUp();
      },
      () => giveUp(),
    );
  }
}
