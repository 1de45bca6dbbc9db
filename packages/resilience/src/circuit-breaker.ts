import { type BreakerState, CircuitOpenError, type Clock, systemClock } from '@stockade/core';
import { CircuitState, type IBackoff, type IBackoffFactory } from 'cockatiel';
import { z } from 'zod';
import { type BreakerCounting, BreakerCountingSchema, counterOf } from './breaker-counting.js';
import { executeOptions, invoke, neverAbortedSignal, type Policy, passThroughContext } from './call-context.js';
import { type Classification, classify } from './classify.js';
import { type Disposable, Emitter, type Event } from './events.js';
import { ClockSchema, parseOptions } from './options.js';

/** Options of {@link circuitBreaker}. */
export interface CircuitBreakerOptions {
  /**
   * Name in errors and events; usually the provider.
   * @default 'breaker'
   */
  name?: string;
  /**
   * How failures are counted.
   * @default { consecutive: 5 }
   */
  breaker?: BreakerCounting;
  /**
   * How long the circuit stays open before one probe may pass: ms, or a cockatiel backoff
   * (e.g. `new ExponentialBackoff({ initialDelay: 5_000 })`) that grows while probes keep failing.
   * @default 10000
   */
  halfOpenAfterMs?: number | IBackoffFactory<unknown>;
  /**
   * Calls let through at once while half-open; the others are refused with `CircuitOpenError`.
   * @default 1
   */
  halfOpenProbes?: number;
  /**
   * State from a previous {@link CircuitBreaker.toJSON}, so a restart does not forget an open circuit.
   * @default closed
   */
  initialState?: CircuitBreakerSnapshot;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
}

/** A breaker's state as plain JSON (store it under core's `keys.breaker(provider)`). */
export interface CircuitBreakerSnapshot {
  /** `open` also stands for half-open and isolated: the next process probes after the delay. */
  readonly state: 'closed' | 'open';
  /** When it opened, epoch ms (open only). */
  readonly openedAt?: number | undefined;
  /** How many times in a row it has opened (drives a growing half-open backoff). */
  readonly openCount: number;
  /** The counting breaker's own state (cockatiel `IBreaker.state`). */
  readonly counts?: unknown;
}

/** A breaker changed state. */
export interface BreakerStateEvent {
  /** Breaker name. */
  readonly breaker: string;
  /** State before. */
  readonly from: BreakerState;
  /** State now. */
  readonly to: BreakerState;
  /** When, epoch ms. */
  readonly at: number;
  /** The failure that opened it, when it opened on one. */
  readonly error?: unknown;
}

/** What {@link CircuitBreaker.admit} decided. */
export type Admission = 'pass' | 'probe' | 'refused';

/** What an attempt's outcome means to the breaker; see {@link breakerOutcome}. */
export type BreakerOutcome = 'success' | 'failure' | 'open' | 'ignore';

/**
 * A circuit breaker classifying failures with the package's table: cockatiel's counting breakers
 * underneath, our state machine on top (so the clock is injectable, half-open admits a set
 * number of probes and refuses the rest at once, and `auth` can open it immediately).
 */
export interface CircuitBreaker extends Policy {
  /** Breaker name. */
  readonly name: string;
  /** Current state; `open` turns into `half_open` when a call arrives after the delay. */
  readonly state: BreakerState;
  /** When a probe will be let through, epoch ms; undefined unless open. */
  readonly retryAt: number | undefined;
  /** State changes, for health and metrics. */
  readonly onStateChange: Event<BreakerStateEvent>;
  /** Holds the circuit open (an operator's switch) until every handle is disposed; then it closes. */
  isolate(): Disposable;
  /** Opens the circuit now, whatever the counts (an `auth` failure after the key refresh). */
  open(error?: unknown): void;
  /** Asks to pass. A `probe` or `pass` must be followed by exactly one {@link CircuitBreaker.record}. */
  admit(): Admission;
  /** Records the outcome of an admitted call. */
  record(admission: Admission, outcome: BreakerOutcome, error?: unknown): void;
  /** The state as JSON, for {@link CircuitBreakerOptions.initialState} after a restart. */
  toJSON(): CircuitBreakerSnapshot;
}

const Snapshot = z.object({
  state: z.enum(['closed', 'open']),
  openedAt: z.number().optional(),
  openCount: z.number().int().min(0),
  counts: z.unknown().optional(),
});

const Options = z
  .object({
    name: z.string().min(1).optional(),
    breaker: BreakerCountingSchema.optional(),
    halfOpenAfterMs: z
      .union([
        z.number().min(0),
        z.custom<IBackoffFactory<unknown>>((b) => typeof (b as IBackoffFactory<unknown>)?.next === 'function'),
      ])
      .optional(),
    halfOpenProbes: z.number().int().positive().optional(),
    initialState: Snapshot.optional(),
    clock: ClockSchema.optional(),
  })
  .strict();

/**
 * What an attempt's outcome means to the breaker, from the classification table: `auth` opens it,
 * failures count, our own refusals and aborts are not recorded, anything else the provider
 * answered (404, 400, 429, not entitled) shows it is alive and counts as a success.
 */
export function breakerOutcome(c: Classification): BreakerOutcome {
  if (c.origin === 'aborted' || c.origin === 'local') return 'ignore';
  if (c.opensBreaker) return 'open';
  return c.countsAgainstBreaker ? 'failure' : 'success';
}

/**
 * Creates a {@link CircuitBreaker}.
 *
 * @example
 * const breaker = circuitBreaker({ name: 'polygon', breaker: { consecutive: 5 }, halfOpenAfterMs: 10_000 });
 * breaker.onStateChange((e) => console.log(e.breaker, e.from, '→', e.to));
 * const quote = await breaker.execute(({ signal }) => fetchQuote('AAPL', { signal }));
 * await redis.set(keys.breaker('polygon'), JSON.stringify(breaker.toJSON())); // survives a restart
 */
export function circuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const o = parseOptions(Options, options, 'circuitBreaker');
  const name = o.name ?? 'breaker';
  const clock = o.clock ?? systemClock;
  const counter = counterOf(o.breaker);
  const halfOpenAfter = o.halfOpenAfterMs ?? 10_000;
  const factory: IBackoffFactory<unknown> =
    typeof halfOpenAfter === 'number' ? { next: () => constantBackoff(halfOpenAfter) } : halfOpenAfter;
  const maxProbes = o.halfOpenProbes ?? 1;
  const changes = new Emitter<BreakerStateEvent>();

  let state: BreakerState = 'closed';
  let openedAt = 0;
  let openCount = 0;
  let backoff: IBackoff<unknown> | undefined;
  let probes = 0;
  let isolations = 0;

  const transition = (to: BreakerState, error?: unknown): void => {
    const from = state;
    state = to;
    if (changes.active && from !== to) changes.emit({ breaker: name, from, to, at: clock.now(), error });
  };

  const openNow = (error: unknown): void => {
    if (state === 'isolated' || state === 'open') return;
    const context = { attempt: openCount + 1, result: { error }, signal: neverAbortedSignal };
    backoff = state === 'half_open' && backoff !== undefined ? backoff.next(context) : factory.next(context);
    openCount++;
    openedAt = clock.now();
    probes = 0;
    transition('open', error);
  };

  if (o.initialState?.state === 'open') {
    counter.state = o.initialState.counts ?? counter.state;
    openCount = Math.max(1, o.initialState.openCount);
    openedAt = o.initialState.openedAt ?? 0;
    const context = { attempt: 1, result: { error: undefined }, signal: neverAbortedSignal };
    backoff = factory.next(context);
    for (let i = 2; i <= openCount; i++) backoff = backoff.next({ ...context, attempt: i });
    state = 'open';
  } else if (o.initialState?.counts !== undefined) {
    counter.state = o.initialState.counts;
  }

  const admit = (): Admission => {
    if (state === 'closed') return 'pass';
    if (state === 'open') {
      if (clock.now() - openedAt < (backoff?.duration ?? 0)) return 'refused';
      transition('half_open');
    }
    if (state === 'half_open' && probes < maxProbes) {
      probes++;
      return 'probe';
    }
    return 'refused';
  };

  const record = (admission: Admission, outcome: BreakerOutcome, error?: unknown): void => {
    if (admission === 'refused') return;
    if (admission === 'probe') {
      if (state !== 'half_open') return;
      probes--;
      if (outcome === 'success') {
        counter.success(CircuitState.HalfOpen);
        openCount = 0;
        transition('closed');
      } else if (outcome === 'failure' || outcome === 'open') {
        counter.failure(CircuitState.HalfOpen);
        openNow(error);
      }
      return;
    }
    if (state !== 'closed') return;
    if (outcome === 'success') counter.success(CircuitState.Closed);
    else if (outcome === 'open') openNow(error);
    else if (outcome === 'failure' && counter.failure(CircuitState.Closed)) openNow(error);
  };

  const retryAt = (): number | undefined =>
    state === 'open' ? openedAt + (backoff?.duration ?? 0) : state === 'half_open' ? clock.now() : undefined;

  return {
    name,
    get state() {
      return state;
    },
    get retryAt() {
      return retryAt();
    },
    onStateChange: changes.on,
    isolate() {
      isolations++;
      transition('isolated');
      let disposed = false;
      return {
        dispose() {
          if (disposed) return;
          disposed = true;
          if (--isolations === 0) {
            counter.success(CircuitState.HalfOpen);
            probes = 0;
            openCount = 0;
            transition('closed');
          }
        },
      };
    },
    open(error?: unknown) {
      openNow(error);
    },
    admit,
    record,
    toJSON(): CircuitBreakerSnapshot {
      if (state === 'closed') return { state: 'closed', openCount: 0, counts: counter.state };
      // Half-open exports as open since long enough ago: the next process probes at once.
      const at = state === 'isolated' ? clock.now() : state === 'half_open' ? 0 : openedAt;
      return { state: 'open', openedAt: at, openCount: Math.max(1, openCount), counts: counter.state };
    },
    execute(fn, arg) {
      const opts = executeOptions(arg);
      const admission = admit();
      if (admission === 'refused') return Promise.reject(new CircuitOpenError(name, retryAt()));
      return Promise.resolve(invoke(fn, passThroughContext(opts))).then(
        (value) => {
          record(admission, 'success');
          return value;
        },
        (err: unknown) => {
          record(admission, opts.signal?.aborted ? 'ignore' : breakerOutcome(classify(err)), err);
          throw err;
        },
      );
    },
  };
}

function constantBackoff(duration: number): IBackoff<unknown> {
  const b: IBackoff<unknown> = { duration, next: () => b };
  return b;
}
