import { type Clock, systemClock, ValidationError } from '@stockade/core';
import { z } from 'zod';
import {
  abortError,
  CallContext,
  type ExecuteOptions,
  executeOptions,
  invoke,
  type Policy,
  type PolicyContext,
} from './call-context.js';
import { Emitter, type Event } from './events.js';
import { type LatencyWindow, type LatencyWindowOptions, latencyWindow } from './latency-window.js';
import { ClockSchema, parseOptions } from './options.js';
import { type RetryBudget, type RetryBudgetOptions, retryBudget } from './retry-budget.js';
import { sharedTimerWheel, type TimerWheel, type WheelTimer } from './timer-wheel.js';

/** Options of {@link hedge}. Give `afterMs`, `afterPercentile`, or both. */
export interface HedgeOptions {
  /**
   * Fire a hedge when the first attempt has not answered after this many ms; with
   * `afterPercentile`, the delay used until enough latencies are known.
   * @default undefined
   */
  afterMs?: number;
  /**
   * Fire a hedge after this percentile (0–100, e.g. 95) of recent successful latencies.
   * @default undefined
   */
  afterPercentile?: number;
  /**
   * Hedges per call at most.
   * @default 1
   */
  maxHedges?: number;
  /**
   * Hedges may be at most this share of calls.
   * @default retryBudget({ ratio: 0.05, minPerWindow: 0 }) — at most 5 % of calls
   */
  budget?: RetryBudget | RetryBudgetOptions;
  /**
   * Where recent latencies are kept.
   * @default latencyWindow()
   */
  latency?: LatencyWindow | LatencyWindowOptions;
  /**
   * Name in events.
   * @default undefined
   */
  name?: string;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Where hedge delays are registered.
   * @default sharedTimerWheel(clock)
   */
  timers?: TimerWheel;
}

/** Where a hedged call may go: the caller's own list, best first. */
export interface HedgeTarget<T> {
  /** Name in events (usually the provider). */
  readonly name?: string;
  /** Makes the call. */
  run(context: PolicyContext): PromiseLike<T> | T;
  /** Whether it has quota now; a target without is skipped. @default always */
  hasQuota?(): boolean;
}

/** A hedge was fired. */
export interface HedgeEvent {
  /** Policy name, when set. */
  readonly name: string | undefined;
  /** 1 for the first hedge of a call, 2 for the second, … */
  readonly hedge: number;
  /** The delay it waited, ms. */
  readonly afterMs: number;
  /** The target it went to, when named. */
  readonly target: string | undefined;
}

/** Starts another attempt when the first is slow; the first success wins, the others are aborted. */
export interface HedgePolicy extends Policy {
  /** Name in events, when set. */
  readonly name: string | undefined;
  /** Hedges a call across targets: the first now, the next ones (those with quota) after the delay. */
  executeAcross<T>(targets: readonly HedgeTarget<T>[], options?: ExecuteOptions | AbortSignal): Promise<T>;
  /** The delay now, ms: fixed, or the live percentile; undefined when there is none yet. */
  delayMs(): number | undefined;
  /** Hedges per call at most. */
  readonly maxHedges: number;
  /** Whether the delay follows recent latency (so successful latencies are recorded). */
  readonly tracksLatency: boolean;
  /** Recent successful latencies. */
  readonly latency: LatencyWindow;
  /** The hedge budget. */
  readonly budget: RetryBudget;
  /** A hedge was fired. */
  readonly onHedge: Event<HedgeEvent>;
  /** @internal */
  readonly fired: Emitter<HedgeEvent>;
}

const Options = z
  .object({
    afterMs: z.number().min(0).optional(),
    afterPercentile: z.number().gt(0).max(100).optional(),
    maxHedges: z.number().int().min(0).optional(),
    budget: z.record(z.string(), z.unknown()).optional(),
    latency: z.record(z.string(), z.unknown()).optional(),
    name: z.string().optional(),
    clock: ClockSchema.optional(),
    timers: z.custom<TimerWheel>((t) => typeof (t as TimerWheel | undefined)?.schedule === 'function').optional(),
  })
  .strict()
  .refine((o) => o.afterMs !== undefined || o.afterPercentile !== undefined, {
    message: 'give afterMs, afterPercentile, or both',
    path: ['afterMs'],
  });

/** @internal The error a losing twin is aborted with. */
export const HEDGE_LOST = 'another hedged attempt answered first';

class HedgeRun<T> {
  readonly branches: CallContext[] = [];
  failures = 0;
  firstError: unknown;
  hasError = false;
  primaryError: unknown;
  primaryFailed = false;
  timer: WheelTimer | undefined;
  done = false;
  next = 1;
  resolve!: (value: T) => void;
  reject!: (err: unknown) => void;

  constructor(
    readonly policy: HedgePolicy,
    readonly targets: readonly HedgeTarget<T>[],
    readonly sameTarget: boolean,
    readonly options: ExecuteOptions,
    readonly clock: Clock,
    readonly timers: TimerWheel,
  ) {}

  start(): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.options.signal?.addEventListener('abort', this, { once: true });
    this.policy.budget.recordRequest();
    this.launch(this.targets[0] as HedgeTarget<T>);
    this.arm();
    return promise;
  }

  arm(): void {
    const delay = this.policy.delayMs();
    if (this.done || delay === undefined || this.branches.length > this.policy.maxHedges) return;
    this.timer = this.timers.schedule(this.clock.now() + delay, fireHedge, this as HedgeRun<unknown>);
  }

  fire(): void {
    this.timer = undefined;
    if (this.done) return;
    let target: HedgeTarget<T> | undefined;
    while (target === undefined && (this.sameTarget || this.next < this.targets.length)) {
      const candidate = this.targets[this.sameTarget ? 0 : this.next++] as HedgeTarget<T>;
      if (candidate.hasQuota?.() !== false) target = candidate;
      else if (this.sameTarget) return;
    }
    if (target === undefined || !this.policy.budget.tryRetry()) return;
    if (this.policy.fired.active) {
      this.policy.fired.emit({
        name: this.policy.name,
        hedge: this.branches.length,
        afterMs: this.policy.delayMs() ?? 0,
        target: target.name,
      });
    }
    this.launch(target);
    this.arm();
  }

  launch(target: HedgeTarget<T>): void {
    const context = new CallContext(1, this.options.deadline);
    this.branches.push(context);
    const started = this.clock.now();
    Promise.resolve(invoke((c) => target.run(c), context)).then(
      (value) => this.win(value, this.clock.now() - started, context),
      (err: unknown) => this.lose(err, context),
    );
  }

  win(value: T, ms: number, winner: CallContext): void {
    if (this.done) return;
    this.policy.latency.record(ms);
    this.finish(new DOMException(HEDGE_LOST, 'AbortError'), winner);
    this.resolve(value);
  }

  lose(err: unknown, loser: CallContext): void {
    if (this.done) return;
    if (loser === this.branches[0]) {
      this.primaryFailed = true;
      this.primaryError = err;
    } else if (!this.hasError) {
      this.hasError = true;
      this.firstError = err;
    }
    if (++this.failures < this.branches.length) return;
    this.finish(err, undefined);
    this.reject(this.primaryFailed ? this.primaryError : this.firstError);
  }

  /** Ends the run, aborting every call still going (all but `winner`). */
  finish(reason: unknown, winner: CallContext | undefined): void {
    this.done = true;
    this.timer?.cancel();
    this.options.signal?.removeEventListener('abort', this);
    for (const b of this.branches) if (b !== winner) b.abort(reason);
  }

  handleEvent(): void {
    if (this.done) return;
    const reason = this.options.signal?.reason ?? abortError('aborted');
    this.finish(reason, undefined);
    this.reject(reason);
  }
}

function fireHedge(run: HedgeRun<unknown>): void {
  run.fire();
}

const isBudget = (b: unknown): b is RetryBudget => typeof (b as RetryBudget | undefined)?.tryRetry === 'function';
const isWindow = (w: unknown): w is LatencyWindow => typeof (w as LatencyWindow | undefined)?.record === 'function';

/**
 * Creates a {@link HedgePolicy}: when the first attempt is slower than the delay (fixed, or a live
 * percentile of recent latency), another starts (same call, or the next target the caller gives);
 * the first success wins and the others are aborted. Hedges stay within a budget (5 % of calls by
 * default) and skip targets short on quota.
 *
 * @example
 * const hedging = hedge({ afterPercentile: 95, afterMs: 300 });
 * const quote = await hedging.executeAcross([
 *   { name: 'polygon', run: (ctx) => polygon.execute(getQuote, ctx), hasQuota: () => polygon.hasQuota() },
 *   { name: 'massive', run: (ctx) => massive.execute(getQuote, ctx), hasQuota: () => massive.hasQuota() },
 * ], { signal });
 */
export function hedge(options: HedgeOptions): HedgePolicy {
  const o = parseOptions(Options, options, 'hedge');
  const clock = o.clock ?? systemClock;
  const timers = o.timers ?? sharedTimerWheel(clock);
  const budget = isBudget(options.budget)
    ? options.budget
    : retryBudget({ ratio: 0.05, minPerWindow: 0, clock, ...(options.budget ?? {}) });
  const latency = isWindow(options.latency) ? options.latency : latencyWindow(options.latency ?? {});
  const fired = new Emitter<HedgeEvent>();
  const delayMs = (): number | undefined =>
    (o.afterPercentile === undefined ? undefined : latency.percentile(o.afterPercentile)) ?? o.afterMs;

  const policy: HedgePolicy = {
    name: o.name,
    tracksLatency: o.afterPercentile !== undefined,
    maxHedges: o.maxHedges ?? 1,
    latency,
    budget,
    fired,
    onHedge: fired.on,
    delayMs,
    execute<T>(fn: (context: PolicyContext) => PromiseLike<T> | T, arg?: ExecuteOptions | AbortSignal) {
      const opts = executeOptions(arg);
      if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
      return new HedgeRun<T>(policy, [{ run: fn }], true, opts, clock, timers).start();
    },
    executeAcross<T>(targets: readonly HedgeTarget<T>[], arg?: ExecuteOptions | AbortSignal) {
      const opts = executeOptions(arg);
      if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
      if (targets.length === 0) {
        return Promise.reject(
          new ValidationError('hedge.executeAcross needs at least one target', [{ path: 'targets', message: 'empty' }]),
        );
      }
      return new HedgeRun<T>(policy, targets, false, opts, clock, timers).start();
    },
  };
  return policy;
}
