import { BarSeries, ProviderError, type ProviderErrorKind, Quote } from '@stockade/core';
import fc from 'fast-check';
import type { QuoteResults } from '../provider.js';
import { type FuzzBody, fuzzBodies, undefinedFields } from './json-mutations.js';
import type { ReplayResponse } from './replay-server.js';

/** One fuzz case: the status and body the loopback server answers with. */
export interface ParserCase {
  /** HTTP status. */
  status: number;
  /** Body. */
  body: FuzzBody;
  /** How the body travels: as is, gzip-compressed, or raw under a `content-encoding: gzip` that lies. */
  encoding: 'identity' | 'gzip' | 'false-gzip';
}

/** The replay server's answer for a case. */
export function answerOf(c: ParserCase): ReplayResponse {
  if (c.encoding === 'gzip') return { status: c.status, body: c.body.body, gzip: true };
  if (c.encoding === 'false-gzip')
    return { status: c.status, body: c.body.body, headers: { 'content-encoding': 'gzip' } };
  return { status: c.status, body: c.body.body };
}

/** A harmless first case, before fast-check sets one. */
export const EMPTY_CASE: ParserCase = {
  status: 200,
  body: { origin: 'json', body: Buffer.from('{}') },
  encoding: 'identity',
};

/**
 * Cases for a parser fuzz: mostly HTTP 200 (the parser's job), some error statuses, each with a
 * body from {@link fuzzBodies}.
 */
export function parserCases(payloads: readonly string[]): fc.Arbitrary<ParserCase> {
  return fc.record({
    status: fc.oneof(
      { weight: 8, arbitrary: fc.constant(200) },
      { weight: 2, arbitrary: fc.constantFrom(203, 400, 401, 403, 404, 410, 429, 500, 502, 503) },
    ),
    body: fuzzBodies(payloads),
    encoding: fc.oneof(
      { weight: 18, arbitrary: fc.constant<ParserCase['encoding']>('identity') },
      { weight: 1, arbitrary: fc.constant<ParserCase['encoding']>('gzip') },
      { weight: 1, arbitrary: fc.constant<ParserCase['encoding']>('false-gzip') },
    ),
  });
}

/** What the adapter did with a case. */
export type ParserOutcome = { results: QuoteResults } | { series: BarSeries } | { thrown: unknown };

/** What a 2xx body may legitimately be classified as, besides `bad_response`. */
export interface AllowedKinds {
  /** Kinds any well-formed but data-less answer may give (an empty result: `not_found`). */
  always: readonly ProviderErrorKind[];
  /** Kinds the provider's own error envelope maps to, allowed only when `hasEnvelope(body)`. */
  envelope: readonly ProviderErrorKind[];
  /** Whether the body carries the provider's error envelope (checked independently of the adapter). */
  hasEnvelope(text: string): boolean;
}

function checkError(err: unknown, c: ParserCase, allowed: AllowedKinds, where: string): string {
  if (!(err instanceof ProviderError)) {
    throw new Error(
      `${where}: threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}, not a ProviderError`,
    );
  }
  if (c.status >= 200 && c.status < 300 && err.kind !== 'bad_response' && !allowed.always.includes(err.kind)) {
    const envelope = allowed.envelope.includes(err.kind) && allowed.hasEnvelope(c.body.body.toString('utf8'));
    if (!envelope) throw new Error(`${where}: HTTP ${c.status} ended in ProviderError ${err.kind} (${err.message})`);
  }
  if (typeof err.message !== 'string' || err.message.trim() === '') throw new Error(`${where}: empty error message`);
  return `ProviderError ${err.kind}`;
}

function checkValue(value: unknown, what: 'quote' | 'series'): void {
  const parsed = what === 'quote' ? Quote.safeParse(value) : BarSeries.safeParse(value);
  if (!parsed.success) throw new Error(`a ${what} that core's schema rejects: ${parsed.error.issues[0]?.message}`);
  const holes = undefinedFields(value);
  if (holes.length > 0) throw new Error(`a ${what} with undefined fields: ${holes.join(', ')}`);
}

/**
 * Checks one outcome: only valid, hole-free results, or `ProviderError`s of the allowed kinds;
 * every symbol asked answered exactly once. Returns the outcome's name for the tally.
 */
export function checkParserOutcome(
  outcome: ParserOutcome,
  c: ParserCase,
  allowed: AllowedKinds,
  asked: readonly string[],
): string[] {
  if ('thrown' in outcome) return [checkError(outcome.thrown, c, allowed, 'the call')];
  if ('series' in outcome) {
    checkValue(outcome.series, 'series');
    if (outcome.series.symbol !== asked[0]) throw new Error(`series of ${outcome.series.symbol}, asked ${asked[0]}`);
    return ['series'];
  }
  const names: string[] = [];
  const answered = [...outcome.results.quotes.map((q) => q.symbol), ...outcome.results.errors.map((e) => e.symbol)];
  if ([...answered].sort().join(',') !== [...asked].sort().join(',')) {
    throw new Error(`answered ${answered.join(',')} for ${asked.join(',')}`);
  }
  for (const q of outcome.results.quotes) {
    checkValue(q, 'quote');
    names.push('quote');
  }
  for (const e of outcome.results.errors) names.push(checkError(e.error, c, allowed, `the error of ${e.symbol}`));
  return names;
}

/** Runs `call` and captures how it ended. */
export async function outcomeOf(call: () => Promise<QuoteResults | BarSeries>): Promise<ParserOutcome> {
  try {
    const r = await call();
    return 'quotes' in r ? { results: r } : { series: r };
  } catch (thrown) {
    return { thrown };
  }
}
