import { type Clock, ProviderError, systemClock, TimeoutError } from '@stockade/core';
import { z } from 'zod';
import { CallContext, executeOptions, invoke, type Policy, type PolicyFn } from './call-context.js';
import { Emitter, type Event } from './events.js';
import { ClockSchema, parseOptions } from './options.js';
import { sharedTimerWheel, type TimerWheel, type WheelTimer } from './timer-wheel.js';

/** Options of {@link timeout}. */
export interface TimeoutOptions {
  /** Time limit of one attempt, ms. Required. */
  ms: number;
  /**
   * Provider name: when set the timeout is a `ProviderError` of kind `timeout` (so the breaker and
   * retry see a provider failure), otherwise core's `TimeoutError`.
   * @default undefined
   */
  provider?: string;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
  /**
   * Where the deadline is registered.
   * @default sharedTimerWheel(clock)
   */
  timers?: TimerWheel;
}

/** A time limit passed. */
export interface TimeoutEvent {
  /** Provider or policy name, when known. */
  readonly name: string | undefined;
  /** `attempt`: one attempt's limit; `deadline`: the whole operation's. */
  readonly scope: 'attempt' | 'deadline';
  /** The limit, ms. */
  readonly timeoutMs: number;
}

/** A per-attempt time limit without a timer per call. */
export interface TimeoutPolicy extends Policy {
  /** The limit, ms. */
  readonly ms: number;
  /** A limit passed. */
  readonly onTimeout: Event<TimeoutEvent>;
}

/** @internal Makes the error of a passed limit. */
export function timeoutError(provider: string | undefined, scope: 'attempt' | 'deadline', ms: number): Error {
  const what = scope === 'attempt' ? `no answer within the attempt timeout of ${ms} ms` : `deadline of ${ms} ms passed`;
  return provider === undefined || scope === 'deadline'
    ? new TimeoutError(provider === undefined ? what : `${provider}: ${what}`, ms)
    : new ProviderError(what, { provider, kind: 'timeout' });
}

/**
 * One timed run: the call's promise races a deadline on the wheel and the caller's signal. Object
 * listeners (`handleEvent`) and a wheel callback with an argument: no closure per call.
 */
class TimedRun<T> {
  resolve!: (value: T) => void;
  reject!: (err: unknown) => void;
  timer: WheelTimer | undefined;
  done = false;

  constructor(
    readonly context: CallContext,
    readonly signal: AbortSignal | undefined,
    readonly error: () => Error,
    readonly onExpire: (() => void) | undefined,
  ) {}

  start(fn: PolicyFn<T>, at: number, timers: TimerWheel): Promise<T> {
    const promise = new Promise<T>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timer = timers.schedule(at, expire, this as TimedRun<unknown>);
    this.signal?.addEventListener('abort', this, { once: true });
    Promise.resolve(invoke(fn, this.context)).then(
      (value) => this.settle(true, value),
      (err: unknown) => this.settle(false, err),
    );
    return promise;
  }

  settle(ok: boolean, outcome: unknown): void {
    if (this.done) return;
    this.done = true;
    this.timer?.cancel();
    this.signal?.removeEventListener('abort', this);
    if (ok) this.resolve(outcome as T);
    else this.reject(outcome);
  }

  handleEvent(): void {
    if (this.done) return;
    this.context.abort(this.signal?.reason);
    this.settle(false, this.signal?.reason);
  }
}

function expire(run: TimedRun<unknown>): void {
  if (run.done) return;
  run.timer = undefined;
  const err = run.error();
  run.context.abort(err);
  run.onExpire?.();
  run.settle(false, err);
}

/** @internal Runs `fn` with a lazily signalled context that aborts at `at` (epoch ms). */
export function runTimed<T>(
  fn: PolicyFn<T>,
  arg: Parameters<Policy['execute']>[1],
  at: (now: number, deadline: number | undefined) => { at: number; deadline: number | undefined },
  error: () => Error,
  onExpire: (() => void) | undefined,
  clock: Clock,
  timers: TimerWheel,
): Promise<T> {
  const opts = executeOptions(arg);
  if (opts.signal?.aborted) return Promise.reject(opts.signal.reason);
  const limits = at(clock.now(), opts.deadline);
  const context = new CallContext(opts instanceof CallContext ? opts.attempt : 1, limits.deadline);
  return new TimedRun<T>(context, opts.signal, error, onExpire).start(fn, limits.at, timers);
}

const Options = z
  .object({
    ms: z.number().positive(),
    provider: z.string().min(1).optional(),
    clock: ClockSchema.optional(),
    timers: z.custom<TimerWheel>((t) => typeof (t as TimerWheel | undefined)?.schedule === 'function').optional(),
  })
  .strict();

/**
 * Creates a per-attempt {@link TimeoutPolicy}. The deadline sits on a shared timer wheel (no
 * `setTimeout` per call) and the call's promise races it, so a call that ignores its signal is
 * still cut off; a call that reads `signal` also sees it abort.
 *
 * @example
 * const attemptTimeout = timeout({ ms: 2_000, provider: 'polygon' });
 * const quote = await attemptTimeout.execute(({ signal }) => request(url, { signal }));
 */
export function timeout(options: TimeoutOptions): TimeoutPolicy {
  const o = parseOptions(Options, options, 'timeout');
  const clock = o.clock ?? systemClock;
  const timers = o.timers ?? sharedTimerWheel(clock);
  const timeouts = new Emitter<TimeoutEvent>();
  const onExpire = (): void => {
    if (timeouts.active) timeouts.emit({ name: o.provider, scope: 'attempt', timeoutMs: o.ms });
  };
  const error = (): Error => timeoutError(o.provider, 'attempt', o.ms);
  const limits = (now: number, deadline: number | undefined) => ({ at: now + o.ms, deadline });
  return {
    ms: o.ms,
    onTimeout: timeouts.on,
    execute: (fn, arg) => runTimed(fn, arg, limits, error, onExpire, clock, timers),
  };
}
