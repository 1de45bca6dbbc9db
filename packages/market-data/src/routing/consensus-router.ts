import { type PriceConsensusOptions, priceConsensus } from '@stockade/consensus';
import {
  AllProvidersFailedError,
  isAbortError,
  type ProviderAttempt,
  ProviderError,
  type Quote,
  StockadeError,
} from '@stockade/core';
import { type ProviderRuntime, quotaLeft } from './provider-runtime.js';
import { outcomeOf, quotesAttempt, type RouteOptions } from './quote-router.js';

/** How the providers agreed on one symbol's price. */
export interface ConsensusInfo {
  /** Share of answering providers whose price was accepted, 0..1. */
  agreement: number;
  /** Relative spread of the accepted prices (MAD / median). */
  dispersion: number;
  /** Providers whose price was accepted, with it. */
  accepted: Array<{ provider: string; price: number }>;
  /** Providers whose price was rejected as an outlier, with it. */
  rejected: Array<{ provider: string; price: number }>;
  /** Providers left out of this answer and why (out of quota, breaker open, failed). */
  skipped: Array<{ provider: string; reason: string }>;
}

/** The consensus answer per symbol. */
export interface ConsensusRoute {
  /** The consensus quote by symbol: the median price, the best-ranked accepted provider's other fields. */
  quotes: Map<string, { quote: Quote; consensus: ConsensusInfo }>;
  /** Typed errors by symbol. */
  errors: Map<string, StockadeError>;
  /** Upstream batches sent, by provider. */
  batches: Map<string, number>;
}

/** Options of {@link routeConsensus}. */
export interface ConsensusRouteOptions extends RouteOptions {
  /** Outlier rejection settings. */
  consensus?: PriceConsensusOptions;
}

/**
 * Asks every capable provider with quota left for every symbol (batched per provider, in
 * parallel), takes the median price, rejects outliers by MAD and distance from the median, and
 * says which providers agreed, which were rejected and which were left out.
 */
export async function routeConsensus(
  symbols: readonly string[],
  options: ConsensusRouteOptions,
): Promise<ConsensusRoute> {
  const perProvider = new Map<ProviderRuntime, string[]>();
  const skipped = new Map<string, Array<{ provider: string; reason: string }>>();
  // Plan only the calls each provider has tokens for: a symbol that would need one more batch
  // than the quota allows is left out of that provider's share, and the answer says so.
  const tokens = new Map<ProviderRuntime, number>();
  for (const symbol of symbols) {
    skipped.set(symbol, []);
    for (const runtime of options.candidates(symbol)) {
      if (runtime.breaker.state === 'open' || runtime.breaker.state === 'isolated') {
        skipped.get(symbol)?.push({ provider: runtime.name, reason: `breaker ${runtime.breaker.state}` });
        continue;
      }
      const list = perProvider.get(runtime) ?? [];
      const caps = runtime.provider.capabilities;
      const size = caps.batchQuotes ? Math.max(1, caps.maxBatchSize) : 1;
      const left = tokens.get(runtime) ?? quotaLeft(runtime) ?? Number.POSITIVE_INFINITY;
      tokens.set(runtime, left);
      if (Math.ceil((list.length + 1) / size) > left) {
        skipped.get(symbol)?.push({ provider: runtime.name, reason: 'out of quota' });
        continue;
      }
      list.push(symbol);
      perProvider.set(runtime, list);
    }
  }
  const answers = new Map<string, Quote[]>();
  const failures = new Map<string, ProviderAttempt[]>();
  const batches = new Map<string, number>();
  const calls: Promise<void>[] = [];
  for (const [runtime, list] of perProvider) {
    const caps = runtime.provider.capabilities;
    const size = caps.batchQuotes ? Math.max(1, caps.maxBatchSize) : 1;
    for (let i = 0; i < list.length; i += size) {
      const batch = list.slice(i, i + size);
      batches.set(runtime.name, (batches.get(runtime.name) ?? 0) + 1);
      const started = options.now();
      calls.push(
        runtime.pipeline
          .execute(quotesAttempt(runtime, batch, options.attemptSpan), {
            signal: options.signal,
            operation: 'quotes',
          })
          .then(
            (r) => {
              options.onBatch?.(runtime.name, 'ok', options.now() - started);
              for (const q of r.quotes) push(answers, q.symbol, q);
              for (const e of r.errors) push(failures, e.symbol, { provider: runtime.name, error: e.error });
            },
            (err: unknown) => {
              if (isAbortError(err) && options.signal?.aborted) throw err;
              const error =
                err instanceof StockadeError
                  ? err
                  : new ProviderError('unexpected failure', { provider: runtime.name, kind: 'transient', cause: err });
              options.onBatch?.(runtime.name, outcomeOf(error), options.now() - started);
              for (const s of batch) push(failures, s, { provider: runtime.name, error });
            },
          ),
      );
    }
  }
  await Promise.all(calls);

  const quotes = new Map<string, { quote: Quote; consensus: ConsensusInfo }>();
  const errors = new Map<string, StockadeError>();
  for (const symbol of symbols) {
    const got = answers.get(symbol) ?? [];
    const left = [
      ...(skipped.get(symbol) ?? []),
      ...(failures.get(symbol) ?? []).map((f) => ({ provider: f.provider, reason: f.error.message })),
    ];
    if (got.length === 0) {
      errors.set(symbol, new AllProvidersFailedError([symbol], failures.get(symbol) ?? []));
      continue;
    }
    const c = priceConsensus(
      got.map((q) => ({ source: q.provider, price: q.price })),
      options.consensus,
    );
    const acceptedSources = new Set(c.accepted.map((a) => a.source));
    const base = got.find((q) => acceptedSources.has(q.provider)) ?? (got[0] as Quote);
    quotes.set(symbol, {
      quote: {
        ...base,
        price: c.price,
        provider: 'consensus',
        ...(base.previousClose === undefined || base.previousClose === 0
          ? {}
          : {
              change: c.price - base.previousClose,
              changePercent: ((c.price - base.previousClose) / base.previousClose) * 100,
            }),
      },
      consensus: {
        agreement: c.agreement,
        dispersion: c.dispersion,
        accepted: c.accepted.map((a) => ({ provider: a.source, price: a.price })),
        rejected: c.rejected.map((r) => ({ provider: r.source, price: r.price })),
        skipped: left,
      },
    });
  }
  return { quotes, errors, batches };
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}
