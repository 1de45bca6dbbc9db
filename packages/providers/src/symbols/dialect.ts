import { parseSymbol, type SymbolInfo } from '@stockade/core';

/**
 * How one provider spells symbols. `toProvider` maps a canonical symbol (any accepted spelling) to
 * the provider's form, or `null` when the provider cannot serve it — then nothing is sent and the
 * symbol is reported `unavailable`. `fromProvider` maps back to the canonical symbol.
 */
export interface SymbolDialect<T = string> {
  /** Provider name. */
  readonly provider: string;
  /** The provider's form of a canonical symbol, or `null` when it cannot serve it. */
  toProvider(symbol: string): T | null;
  /** The canonical symbol of a provider's form, or `null` when it is not one. */
  fromProvider(providerSymbol: string): string | null;
}

/** `parseSymbol` without the throw: `null` for input that is not a symbol. */
export function symbolInfoOrNull(symbol: string): SymbolInfo | null {
  try {
    return parseSymbol(symbol);
  } catch {
    return null;
  }
}
