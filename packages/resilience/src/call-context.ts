import { getEventListeners } from 'node:events';

/**
 * What a policy passes to the function it runs. Compatible with cockatiel's
 * `IDefaultPolicyContext` (`{ signal }`), so a cockatiel policy can run inside ours and the other
 * way round; and with {@link ExecuteOptions}, so an inner policy can take it as is:
 * `retry.execute((ctx) => breaker.execute(call, ctx))`.
 */
export interface PolicyContext {
  /**
   * Aborts when this attempt must stop: the caller aborted, the attempt or overall deadline
   * passed, or a hedged twin already won. Created on first read: a call that never reads it
   * costs no `AbortController`.
   */
  readonly signal: AbortSignal;
  /** 1 for the first attempt, 2 for the first retry, … */
  readonly attempt: number;
  /** Epoch ms by which the whole operation must end, when a deadline is set. */
  readonly deadline: number | undefined;
}

/** Per-call options of every policy's `execute`. */
export interface ExecuteOptions {
  /** Aborts the operation: it rejects at once with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
  /** Epoch ms by which the operation must end; inner policies never wait past it. */
  readonly deadline?: number | undefined;
  /** Place in a rate-limit or bulkhead queue: higher goes first, equal is first come first served. @default 0 */
  readonly priority?: number | undefined;
  /** What is being done (`quotes`, `bars`), for events and the once-per-capability `notEntitled` event. */
  readonly operation?: string | undefined;
}

/**
 * A function a policy runs.
 * @typeParam T - what it resolves to.
 */
export type PolicyFn<T> = (context: PolicyContext) => PromiseLike<T> | T;

/**
 * Every policy has this shape: cockatiel's `execute(fn, signal)`, also accepting an options
 * object (or a {@link PolicyContext} from an outer policy) instead of the signal.
 */
export interface Policy {
  /** Runs `fn` under the policy. */
  execute<T>(fn: PolicyFn<T>, options?: ExecuteOptions | AbortSignal): Promise<T>;
}

const EMPTY: ExecuteOptions = Object.freeze({});

/** Normalizes the second argument of `execute` (a signal, as cockatiel passes it, or options). */
export function executeOptions(arg: ExecuteOptions | AbortSignal | undefined): ExecuteOptions {
  if (arg === undefined) return EMPTY;
  if (arg instanceof AbortSignal) return { signal: arg };
  return arg;
}

/** A signal that never aborts, handed to calls when no one can cancel them. */
export const neverAbortedSignal: AbortSignal = new AbortController().signal;

const spare: AbortController[] = [];
const MAX_SPARE = 64;

/**
 * A {@link PolicyContext} whose `AbortController` is made on the first read of `signal` (here
 * making one and its signal costs ~3 µs; most calls through a pipeline never read it). An abort
 * that happens before that read is remembered: the signal is then born aborted.
 *
 * A signal belongs to its attempt and ends with it. When the attempt settles without an abort and
 * the call has removed every listener it added (as undici does when a request completes),
 * {@link CallContext.recycle} keeps the controller for a later attempt instead of making another:
 * so do not keep using `signal` after the call has settled.
 */
export class CallContext implements PolicyContext {
  private controller: AbortController | undefined = undefined;
  private reason: unknown = undefined;
  private ended = false;
  /** Whether {@link CallContext.abort} was called. */
  aborted = false;

  constructor(
    readonly attempt: number,
    readonly deadline: number | undefined,
  ) {}

  get signal(): AbortSignal {
    let c = this.controller;
    if (c === undefined) {
      // A read after the attempt ended gets a controller of its own, never one handed on.
      c = (this.ended ? undefined : spare.pop()) ?? new AbortController();
      this.controller = c;
      if (this.aborted) c.abort(this.reason);
    }
    return c.signal;
  }

  /** The attempt settled: keep its controller for reuse when nothing can observe it any more. */
  recycle(): void {
    this.ended = true;
    const c = this.controller;
    if (c === undefined || this.aborted) return;
    this.controller = undefined;
    const signal = c.signal;
    if (spare.length < MAX_SPARE && !signal.aborted && signal.onabort === null && listenerCount(signal) === 0) {
      spare.push(c);
    }
  }

  /** Aborts the signal (now if it exists, at birth otherwise); the first reason wins. */
  abort(reason: unknown): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    this.controller?.abort(reason);
  }
}

/**
 * The context for a policy that makes no signal of its own (breaker, bucket, bulkhead): an outer
 * policy's context passes straight through, lazy signal and all; otherwise the caller's signal.
 */
export function passThroughContext(options: ExecuteOptions): PolicyContext {
  if (options instanceof CallContext) return options;
  return {
    signal: options.signal ?? neverAbortedSignal,
    attempt: 1,
    deadline: options.deadline,
  };
}

/** An `AbortError` DOMException with a message, like `AbortSignal.abort()` makes. */
export function abortError(message: string): DOMException {
  return new DOMException(message, 'AbortError');
}

/** Calls `fn` and turns a synchronous throw into a rejection, so every failure takes one path. */
export function invoke<T>(fn: PolicyFn<T>, context: PolicyContext): PromiseLike<T> | T {
  try {
    return fn(context);
  } catch (err) {
    return Promise.reject(err);
  }
}

function listenerCount(signal: AbortSignal): number {
  return getEventListeners(signal, 'abort').length;
}
