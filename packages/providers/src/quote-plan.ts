import { ProviderError } from '@stockade/core';
import type { QuoteResults } from './provider.js';
import { type SymbolDialect, symbolInfoOrNull } from './symbols/dialect.js';

/** One symbol a provider will be asked for: canonical and in the provider's dialect. */
export interface PlannedSymbol<T> {
  /** Canonical symbol. */
  symbol: string;
  /** The provider's form. */
  native: T;
}

/** Symbols sorted into those to send and those answered at once (invalid or unsupported). */
export interface QuotePlan<T> {
  /** Symbols to send, deduplicated, in the order asked. */
  send: PlannedSymbol<T>[];
  /** Symbols answered without a request. */
  errors: QuoteResults['errors'];
}

/**
 * Plans a `quotes()` call: canonicalizes and deduplicates the symbols, maps each into the
 * provider's dialect, and answers at once — without any request — for input that is not a symbol
 * (`bad_request`) or a symbol the provider cannot serve (`unavailable`).
 */
export function planQuotes<T>(symbols: readonly string[], dialect: SymbolDialect<T>, provider: string): QuotePlan<T> {
  const plan: QuotePlan<T> = { send: [], errors: [] };
  const seen = new Set<string>();
  for (const input of symbols) {
    const info = typeof input === 'string' ? symbolInfoOrNull(input) : null;
    const symbol = info?.symbol ?? String(input);
    if (seen.has(symbol)) continue;
    seen.add(symbol);
    if (info === null) {
      plan.errors.push({
        symbol,
        error: new ProviderError(`${JSON.stringify(symbol)} is not a valid symbol`, {
          provider,
          kind: 'bad_request',
          operation: 'quotes',
          symbols: [symbol],
        }),
      });
      continue;
    }
    const native = dialect.toProvider(symbol);
    if (native === null) {
      plan.errors.push({ symbol, error: unsupportedSymbol(provider, symbol, 'quotes') });
      continue;
    }
    plan.send.push({ symbol, native });
  }
  return plan;
}

/** The `unavailable` error of a symbol a provider cannot serve. */
export function unsupportedSymbol(provider: string, symbol: string, operation: string): ProviderError {
  return new ProviderError(`${symbol} is not served by ${provider}`, {
    provider,
    kind: 'unavailable',
    retryable: false,
    operation,
    symbols: [symbol],
  });
}

/**
 * Plans a single-symbol call (`bars`, `probe`): the symbol in the provider's dialect.
 *
 * @throws {ProviderError} kind `bad_request` for input that is not a symbol, `unavailable` for a
 * symbol the provider cannot serve — before anything is sent.
 */
export function planOne<T>(
  symbol: string,
  dialect: SymbolDialect<T>,
  provider: string,
  operation: string,
): PlannedSymbol<T> {
  const info = typeof symbol === 'string' ? symbolInfoOrNull(symbol) : null;
  if (info === null) {
    throw new ProviderError(`${JSON.stringify(symbol)} is not a valid symbol`, {
      provider,
      kind: 'bad_request',
      operation,
      symbols: [String(symbol)],
    });
  }
  const native = dialect.toProvider(info.symbol);
  if (native === null) throw unsupportedSymbol(provider, info.symbol, operation);
  return { symbol: info.symbol, native };
}
