import { type Bar, BarSeries, ProviderError, Quote } from '@stockade/core';

function firstIssue(error: { issues: ReadonlyArray<{ path: readonly PropertyKey[]; message: string }> }): string {
  const issue = error.issues[0];
  return issue === undefined ? 'invalid' : `${issue.path.map(String).join('.') || '(root)'}: ${issue.message}`;
}

/**
 * Checks a normalized quote against core's `Quote` schema. A provider answer that normalizes to
 * something invalid (a negative price, a symbol outside the grammar) is the provider's fault:
 * `bad_response`, never a malformed value handed on.
 */
export function checkedQuote(candidate: Quote, provider: string, operation = 'quotes'): Quote {
  const parsed = Quote.safeParse(candidate);
  if (parsed.success) return parsed.data;
  throw new ProviderError(`normalized quote of ${candidate.symbol} is invalid at ${firstIssue(parsed.error)}`, {
    provider,
    kind: 'bad_response',
    operation,
    symbols: [candidate.symbol],
    cause: parsed.error,
  });
}

/** Sorts bars by `t` and keeps the last of any duplicate stamp (a provider's live bar repeats one). */
export function orderedBars(bars: Bar[]): Bar[] {
  const byT = new Map<number, Bar>();
  for (const b of bars) byT.set(b.t, b);
  return [...byT.values()].sort((a, b) => a.t - b.t);
}

/** Checks a normalized series against core's `BarSeries` schema (see {@link checkedQuote}). */
export function checkedSeries(candidate: BarSeries, provider: string): BarSeries {
  const parsed = BarSeries.safeParse(candidate);
  if (parsed.success) return parsed.data;
  throw new ProviderError(`normalized bars of ${candidate.symbol} are invalid at ${firstIssue(parsed.error)}`, {
    provider,
    kind: 'bad_response',
    operation: 'bars',
    symbols: [candidate.symbol],
    cause: parsed.error,
  });
}
