import type { CachedValue, TieredCache } from '@stockade/cache';
import {
  type Clock,
  type KeyBuilder,
  parseSymbol,
  type Quote,
  StockadeError,
  TimeoutError,
  ValidationError,
} from '@stockade/core';
import type { TimerWheel } from '@stockade/resilience';
import type { HealthMonitor } from './health/health-monitor.js';
import type { QuoteOptions, QuoteStrategy } from './manager-options.js';
import type { ManagerMetrics } from './metrics/manager-metrics.js';
import { type ConsensusInfo, routeConsensus } from './routing/consensus-router.js';
import type { ProviderRuntime } from './routing/provider-runtime.js';
import { type AttemptSpan, routeQuotes } from './routing/quote-router.js';
import { rankProviders, snapshotProviders } from './routing/rank-providers.js';
import type { ManagerTracer } from './tracing/manager-tracer.js';

/** The answer for one symbol: its quote, or its typed error. */
export type QuoteResult =
  | {
      /** The symbol as asked. */
      symbol: string;
      /** Discriminant. */
      ok: true;
      /** The quote (its `symbol` is canonical; `stale` when served from last known good). */
      quote: Quote;
      /** How providers agreed, for the `consensus` strategy. */
      consensus?: ConsensusInfo;
    }
  | {
      /** The symbol as asked. */
      symbol: string;
      /** Discriminant. */
      ok: false;
      /** Why: `ValidationError`, `AllProvidersFailedError`, or a `ProviderError` such as `not_found`. */
      error: StockadeError;
    };

/** What a cached quote holds. */
interface QuoteValue {
  quote: Quote;
  consensus?: ConsensusInfo;
}

interface Waiter {
  resolve(v: QuoteValue): void;
  reject(e: unknown): void;
}

/** Parts the quote service needs. */
export interface QuoteServiceParts {
  runtimes: readonly ProviderRuntime[];
  cache: TieredCache;
  keys: KeyBuilder;
  clock: Clock;
  monitor: HealthMonitor;
  metrics: ManagerMetrics;
  tracer: ManagerTracer;
  maxStaleMs: number;
  /** Strategy when a call names none (`hedged` when config enables hedging). */
  defaultStrategy: QuoteStrategy;
  /** Longest one `quotes()` call waits, ms (config `resilience.deadlineMs`); past it each symbol gets its last known good quote, else a `TimeoutError`. */
  deadlineMs: number;
  /** Where the call deadline is registered (the manager's wheel, on `clock`). */
  timers: TimerWheel;
}

/** One call's deadline: the caller's signal and the manager's deadline in one signal. */
interface CallDeadline {
  /** Aborts when the caller aborts or the deadline passes. */
  signal: AbortSignal;
  /** Whether the deadline (not the caller) ended the wait. */
  passed(): boolean;
  /** Forgets the timer. */
  done(): void;
}

/**
 * Quotes through the cache: each symbol is one `getOrLoad` (so overlapping requests share the
 * symbols they have in common, across processes too), and every symbol that misses in the same
 * turn of the event loop joins one routed batch per strategy.
 */
export function createQuoteService(parts: QuoteServiceParts) {
  const { cache, keys, clock, metrics } = parts;
  const queues = new Map<
    string,
    { strategy: QuoteStrategy; restrict: readonly string[] | undefined; waiters: Map<string, Waiter[]> }
  >();

  const attemptSpan: AttemptSpan = (provider, attributes, fn) => parts.tracer.withAttemptSpan(provider, attributes, fn);
  const recordBatch = (provider: string, outcome: string, ms: number) =>
    metrics.recordProviderRequest(provider, 'quotes', outcome, ms);

  /** Ranks providers per symbol from one health and quota snapshot taken for the whole batch. */
  function ranker(restrict: readonly string[] | undefined, batchSize: number): (symbol: string) => ProviderRuntime[] {
    const snapshot = snapshotProviders(parts.runtimes, parts.monitor);
    const now = clock.now();
    return (symbol) => rankProviders(parts.runtimes, symbol, { snapshot, restrict, batchSize, now });
  }

  /**
   * The deadline of one call. Each provider's pipeline has its own deadline, but failover asks
   * providers in turn and a symbol may join a load (in the batch or the cache's single flight)
   * started earlier, so without this a call could wait several deadlines.
   */
  function callDeadline(callerSignal: AbortSignal | undefined): CallDeadline {
    const controller = new AbortController();
    let passed = false;
    const timer = parts.timers.schedule(
      clock.now() + parts.deadlineMs,
      (c: AbortController) => {
        passed = true;
        c.abort(
          new TimeoutError(
            `quotes() did not complete within resilience.deadlineMs (${parts.deadlineMs} ms)`,
            parts.deadlineMs,
          ),
        );
      },
      controller,
    );
    const signal = callerSignal === undefined ? controller.signal : AbortSignal.any([callerSignal, controller.signal]);
    return { signal, passed: () => passed && callerSignal?.aborted !== true, done: () => timer.cancel() };
  }

  /** Settles with `work`, or rejects with the signal's reason when it aborts first. */
  function within<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      work.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }

  /** The last known good quote held in memory, marked stale: past the deadline there is no time to ask Redis. */
  async function lastKnownGood(key: string, maxStaleMs: number): Promise<CachedValue<QuoteValue> | undefined> {
    // An L1 entry resolves within microtasks; an L2 read needs the network and loses the race.
    const read = cache.get<QuoteValue>(key, { accept: 'lastKnownGood' }).catch(() => undefined);
    const notInMemory = new Promise<undefined>((resolve) => setImmediate(resolve, undefined));
    const held = await Promise.race([read, notInMemory]);
    if (held === undefined || !held.found || clock.now() - held.freshUntil > maxStaleMs) return undefined;
    return { ...held, stale: true };
  }

  function enqueue(
    strategy: QuoteStrategy,
    restrict: readonly string[] | undefined,
    symbol: string,
  ): Promise<QuoteValue> {
    const id = `${strategy}|${restrict?.join(',') ?? ''}`;
    let q = queues.get(id);
    if (q === undefined) {
      q = { strategy, restrict, waiters: new Map() };
      queues.set(id, q);
      setImmediate(() => {
        queues.delete(id);
        void flush(q as NonNullable<typeof q>);
      });
    }
    const queue = q;
    return new Promise<QuoteValue>((resolve, reject) => {
      const list = queue.waiters.get(symbol);
      if (list === undefined) queue.waiters.set(symbol, [{ resolve, reject }]);
      else list.push({ resolve, reject });
    });
  }

  async function flush(q: {
    strategy: QuoteStrategy;
    restrict: readonly string[] | undefined;
    waiters: Map<string, Waiter[]>;
  }): Promise<void> {
    const symbols = [...q.waiters.keys()];
    const settle = (symbol: string, f: (w: Waiter) => void) => {
      for (const w of q.waiters.get(symbol) ?? []) f(w);
    };
    try {
      if (q.strategy === 'consensus') {
        const route = await routeConsensus(symbols, {
          candidates: ranker(q.restrict, symbols.length),
          now: () => clock.now(),
          onBatch: recordBatch,
          attemptSpan,
        });
        for (const s of symbols) {
          const hit = route.quotes.get(s);
          if (hit !== undefined) {
            for (const a of hit.consensus.accepted) parts.monitor.recordConsensus(a.provider, true);
            for (const r of hit.consensus.rejected) parts.monitor.recordConsensus(r.provider, false);
          }
          if (hit !== undefined) settle(s, (w) => w.resolve(hit));
          else settle(s, (w) => w.reject(route.errors.get(s)));
        }
        return;
      }
      const route = await routeQuotes(symbols, {
        candidates: ranker(q.restrict, symbols.length),
        hedged: q.strategy === 'hedged',
        now: () => clock.now(),
        onBatch: recordBatch,
        attemptSpan,
      });
      for (const s of symbols) {
        const quote = route.quotes.get(s);
        if (quote !== undefined) settle(s, (w) => w.resolve({ quote }));
        else settle(s, (w) => w.reject(route.errors.get(s)));
      }
    } catch (err) {
      for (const s of symbols) settle(s, (w) => w.reject(err));
    }
  }

  async function one(symbol: string, options: QuoteOptions, deadline: CallDeadline): Promise<QuoteResult> {
    let canonical: string;
    try {
      canonical = parseSymbol(symbol).symbol;
    } catch (err) {
      return { symbol: String(symbol), ok: false, error: err as StockadeError };
    }
    const strategy = options.strategy ?? parts.defaultStrategy;
    const variant = strategy === 'consensus' ? 'consensus' : 'best';
    const restrict = options.providers;
    const key = keys.quote(restrict === undefined ? variant : `${variant}:${restrict.join('+')}`, canonical);
    const maxStaleMs = options.maxStaleMs ?? parts.maxStaleMs;
    const load = async () => {
      const value = await enqueue(strategy, restrict, canonical);
      return { value, source: value.quote.provider };
    };
    try {
      const served: CachedValue<QuoteValue> = await cache.getOrLoad<QuoteValue>(key, load, {
        signal: deadline.signal,
        policy: { kind: 'quote', symbol: canonical },
        staleIfError: maxStaleMs > 0,
      });
      if (served.stale && clock.now() - served.freshUntil > maxStaleMs) {
        // Older than this caller accepts: go upstream now, without the last-known-good safety net.
        const value = await within(enqueue(strategy, restrict, canonical), deadline.signal);
        const stored = await within(
          cache.set<QuoteValue>(key, value, {
            source: value.quote.provider,
            policy: { kind: 'quote', symbol: canonical },
            signal: deadline.signal,
          }),
          deadline.signal,
        );
        return answer(symbol, stored);
      }
      return answer(symbol, served);
    } catch (err) {
      if (options.signal?.aborted) throw options.signal.reason;
      if (deadline.passed()) {
        const held = maxStaleMs > 0 ? await lastKnownGood(key, maxStaleMs) : undefined;
        if (held !== undefined) return answer(symbol, held);
        return { symbol, ok: false, error: deadline.signal.reason as TimeoutError };
      }
      return { symbol, ok: false, error: err instanceof StockadeError ? err : new ValidationError(String(err)) };
    }
  }

  function answer(symbol: string, served: CachedValue<QuoteValue>): QuoteResult {
    const quote =
      served.stale === served.value.quote.stale ? served.value.quote : { ...served.value.quote, stale: served.stale };
    return served.value.consensus === undefined
      ? { symbol, ok: true, quote }
      : { symbol, ok: true, quote, consensus: served.value.consensus };
  }

  return {
    async quotes(symbols: readonly string[], options: QuoteOptions): Promise<QuoteResult[]> {
      if (!Array.isArray(symbols)) {
        throw new ValidationError('quotes() takes an array of symbols, e.g. quotes(["AAPL", "MSFT"])');
      }
      if (options.providers !== undefined) {
        const known = new Set(parts.runtimes.map((r) => r.name));
        const unknown = options.providers.filter((p) => !known.has(p));
        if (unknown.length > 0) {
          throw new ValidationError(`Unknown provider(s) ${unknown.join(', ')}; registered: ${[...known].join(', ')}`, [
            { path: 'providers', message: 'unknown provider' },
          ]);
        }
      }
      const started = clock.now();
      return parts.tracer.withManagerSpan('quotes', { symbolCount: symbols.length }, async (scope) => {
        const deadline = callDeadline(options.signal);
        let results: QuoteResult[];
        try {
          results = await Promise.all(symbols.map((s) => one(s, options, deadline)));
        } finally {
          deadline.done();
        }
        const failed = results.some((r) => !r.ok);
        if (failed) scope.setOutcome('partial');
        metrics.recordManagerRequest('quotes', failed ? 'partial' : 'ok', clock.now() - started);
        return results;
      });
    },
  };
}
