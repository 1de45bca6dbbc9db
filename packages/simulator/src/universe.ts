import { ValidationError } from '@stockade/core';
import type { PriceModel, PricePath } from './price-path.js';
import { DEFAULT_SYMBOLS, profileOf } from './symbol-profiles.js';
import { canonicalOrNull } from './symbols.js';

/** The instruments a simulator serves. */
export interface Universe {
  /** The path of a canonical symbol, or null when the simulator does not list it (answered as unknown). */
  lookup(canonical: string): PricePath | null;
  /** The listed symbols, in the order given (empty when every symbol is served). */
  listed(): readonly string[];
}

/**
 * Creates the universe from the `symbols` option: the canonical symbols listed, or every valid
 * symbol when the list holds `'*'` (unlisted ones get a hash-derived profile).
 *
 * @throws {ValidationError} naming any entry that is not a valid symbol.
 */
export function createUniverse(symbols: readonly string[] | undefined, model: PriceModel): Universe {
  const list = symbols ?? DEFAULT_SYMBOLS;
  const wildcard = list.includes('*');
  const listed: string[] = [];
  const issues: { path: string; message: string }[] = [];
  list.forEach((s, i) => {
    if (s === '*') return;
    const canonical = canonicalOrNull(s);
    if (canonical === null)
      issues.push({ path: `symbols.${i}`, message: `${JSON.stringify(s)} is not a valid symbol` });
    else if (!listed.includes(canonical)) listed.push(canonical);
  });
  if (issues.length > 0) {
    throw new ValidationError(
      `Invalid simulator symbols: ${issues.map((i) => i.message).join('; ')}; use canonical symbols such as AAPL, BRK.B, BTC-USD, ^GSPC, EURUSD=X, or '*' for any`,
      issues,
    );
  }
  const set = new Set(listed);
  return {
    lookup(canonical) {
      if (!wildcard && !set.has(canonical)) return null;
      return model.path(profileOf(canonical));
    },
    listed: () => listed,
  };
}
