import {
  AllProvidersFailedError,
  isAbortError,
  isProviderError,
  type ProviderAttempt,
  ProviderError,
  type Quote,
  StockadeError,
} from '@stockade/core';
import type { QuoteResults } from '@stockade/providers';
import type { HedgeTarget } from '@stockade/resilience';
import type { ProviderRuntime } from './provider-runtime.js';

/** What every routing strategy is given. */
export interface RouteOptions {
  /** Aborts the whole request. */
  signal?: AbortSignal | undefined;
  /** Ranked providers for a symbol (already filtered by capability and health). */
  candidates(symbol: string): readonly ProviderRuntime[];
  /** Time source for attempt and batch durations. */
  now(): number;
  /** Told about every batch sent: provider, outcome (`ok` or an error kind), duration. */
  onBatch?(provider: string, outcome: string, durationMs: number): void;
  /** Runs one provider attempt inside a span (the manager's tracer). @default runs it as is */
  attemptSpan?: AttemptSpan;
}

/** How one set of symbols is fetched across providers with failover. */
export interface QuoteRouteOptions extends RouteOptions {
  /** Fire a hedge to the next provider when the first is slower than its live percentile. */
  hedged?: boolean;
}

/** Wraps one provider attempt in a tracing span. */
export type AttemptSpan = <T>(
  provider: string,
  attributes: { attempt?: number; symbolCount?: number; endpoint?: string },
  fn: () => Promise<T>,
) => Promise<T>;

const untraced: AttemptSpan = (_provider, _attributes, fn) => fn();

/** One traced `quotes()` attempt of a provider. */
export function quotesAttempt(runtime: ProviderRuntime, batch: readonly string[], span: AttemptSpan | undefined) {
  const traced = span ?? untraced;
  return ({ signal, attempt }: { signal: AbortSignal; attempt: number }) =>
    traced(runtime.name, { attempt, symbolCount: batch.length, endpoint: 'quotes' }, async () => {
      const result = await runtime.provider.quotes(batch, { signal });
      // A plan that refuses the whole batch is the provider's answer, not one symbol's: thrown, the
      // pipeline reports it once and the operation is switched off for this provider.
      const refusal = result.errors[0]?.error;
      if (
        result.quotes.length === 0 &&
        refusal !== undefined &&
        result.errors.every((e) => isProviderError(e.error, 'not_entitled'))
      ) {
        throw refusal;
      }
      return result;
    });
}

/** The outcome per symbol: its quote, or every attempt that failed. */
export interface QuoteRoute {
  /** Quotes by canonical symbol. */
  quotes: Map<string, Quote>;
  /** Typed errors by canonical symbol (`AllProvidersFailedError`, or a `not_found` every provider agreed on). */
  errors: Map<string, StockadeError>;
  /** Upstream batches sent, by provider. */
  batches: Map<string, number>;
}

interface Pending {
  order: readonly ProviderRuntime[];
  next: number;
  attempts: ProviderAttempt[];
}

function asStockadeError(err: unknown, provider: string): StockadeError {
  if (err instanceof StockadeError) return err;
  return new ProviderError('unexpected failure', { provider, kind: 'transient', cause: err });
}

/** Splits symbols into the largest batches one upstream call can carry. */
function chunk(symbols: readonly string[], runtime: ProviderRuntime): string[][] {
  const caps = runtime.provider.capabilities;
  const size = caps.batchQuotes ? Math.max(1, caps.maxBatchSize) : 1;
  const out: string[][] = [];
  for (let i = 0; i < symbols.length; i += size) out.push(symbols.slice(i, i + size));
  return out;
}

/**
 * Fetches quotes with failover: symbols are grouped by their best provider into batches sent in
 * parallel; only the symbols a batch did not answer move on to their next provider, until every
 * symbol has a quote or has run out of providers.
 */
export async function routeQuotes(symbols: readonly string[], options: QuoteRouteOptions): Promise<QuoteRoute> {
  const quotes = new Map<string, Quote>();
  const errors = new Map<string, StockadeError>();
  const batches = new Map<string, number>();
  const pending = new Map<string, Pending>();
  for (const s of symbols) pending.set(s, { order: options.candidates(s), next: 0, attempts: [] });

  while (pending.size > 0) {
    const groups = new Map<ProviderRuntime, string[]>();
    for (const [symbol, p] of pending) {
      const runtime = p.order[p.next];
      if (runtime === undefined) {
        errors.set(symbol, finalError(symbol, p.attempts));
        pending.delete(symbol);
        continue;
      }
      const group = groups.get(runtime);
      if (group === undefined) groups.set(runtime, [symbol]);
      else group.push(symbol);
    }
    const rounds: Promise<void>[] = [];
    for (const [runtime, group] of groups) {
      for (const batch of chunk(group, runtime)) {
        batches.set(runtime.name, (batches.get(runtime.name) ?? 0) + 1);
        rounds.push(runBatch(runtime, batch));
      }
    }
    await Promise.all(rounds);
    options.signal?.throwIfAborted();
  }
  return { quotes, errors, batches };

  async function runBatch(runtime: ProviderRuntime, batch: string[]): Promise<void> {
    const started = options.now();
    let result: QuoteResults | undefined;
    let failure: StockadeError | undefined;
    try {
      result = options.hedged
        ? await hedgedCall(
            runtime,
            batch,
            pending.get(batch[0] as string)?.order ?? [],
            options.signal,
            options.attemptSpan,
          )
        : await runtime.pipeline.execute(quotesAttempt(runtime, batch, options.attemptSpan), {
            signal: options.signal,
            operation: 'quotes',
          });
    } catch (err) {
      if (isAbortError(err) && options.signal?.aborted) throw err;
      failure = asStockadeError(err, runtime.name);
    }
    const durationMs = options.now() - started;
    options.onBatch?.(runtime.name, failure === undefined ? 'ok' : outcomeOf(failure), durationMs);
    const answered = new Set<string>();
    for (const q of result?.quotes ?? []) {
      if (!pending.has(q.symbol)) continue;
      quotes.set(q.symbol, q);
      pending.delete(q.symbol);
      answered.add(q.symbol);
    }
    const perSymbol = new Map((result?.errors ?? []).map((e) => [e.symbol, e.error]));
    for (const symbol of batch) {
      if (answered.has(symbol)) continue;
      const p = pending.get(symbol);
      if (p === undefined) continue;
      const error =
        failure ??
        perSymbol.get(symbol) ??
        new ProviderError(`answered without ${symbol}`, {
          provider: runtime.name,
          kind: 'not_found',
          symbols: [symbol],
        });
      p.attempts.push({ provider: runtime.name, error, durationMs });
      p.next += 1;
    }
  }
}

/** Asks `runtime` first and, past its live latency percentile, the next provider that serves the whole batch. */
async function hedgedCall(
  runtime: ProviderRuntime,
  batch: readonly string[],
  order: readonly ProviderRuntime[],
  signal: AbortSignal | undefined,
  span: AttemptSpan | undefined,
): Promise<QuoteResults> {
  const target = (r: ProviderRuntime): HedgeTarget<QuoteResults> => ({
    name: r.name,
    hasQuota: () => r.pipeline.hasQuota(),
    run: ({ signal: s }) =>
      r.pipeline.execute(quotesAttempt(r, batch, span), {
        signal: s,
        operation: 'quotes',
      }),
  });
  const backups = order
    .filter((r) => r !== runtime && batch.every((s) => r.provider.supports(s)))
    .slice(0, runtime.hedge.maxHedges);
  return runtime.hedge.executeAcross([target(runtime), ...backups.map(target)], { signal });
}

function finalError(symbol: string, attempts: readonly ProviderAttempt[]): StockadeError {
  const first = attempts[0]?.error;
  if (
    first instanceof ProviderError &&
    attempts.every((a) => a.error instanceof ProviderError && a.error.kind === 'not_found')
  ) {
    return first;
  }
  return new AllProvidersFailedError([symbol], attempts);
}

/** The metric outcome of a failure: its kind, else its code. */
export function outcomeOf(err: StockadeError): string {
  return err instanceof ProviderError ? err.kind : err.code.toLowerCase();
}
