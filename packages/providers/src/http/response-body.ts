import type { ProviderError } from '@stockade/core';
import type { z } from 'zod';
import { type RequestContext, type ResponseFacts, responseError } from './errors.js';

/** Parses a JSON body; malformed JSON is a `bad_response` (the SyntaxError kept as `cause`). */
export function parseJsonBody(text: string, ctx: Omit<RequestContext, 'url'>, response: ResponseFacts): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw responseError(ctx, response, 'bad_response', `malformed JSON in the response (${text.length} bytes)`, err);
  }
}

/** Parses JSON without throwing: `undefined` when the text is not JSON (plain-text errors). */
export function tryParseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function pathOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? String(p) : `.${String(p)}`;
  return out === '' ? '(root)' : out;
}

/**
 * Validates a parsed body with a zod schema. A mismatch is a `bad_response` naming the first path
 * that failed (`chart.result[0].meta.regularMarketPrice: expected number`); the ZodError is kept
 * as `cause`, never thrown.
 */
export function validateBody<S extends z.ZodType>(
  schema: S,
  value: unknown,
  ctx: Omit<RequestContext, 'url'>,
  response: ResponseFacts,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue === undefined ? '(root)' : `${pathOf(issue.path)}: ${issue.message}`;
  const error: ProviderError = responseError(
    ctx,
    response,
    'bad_response',
    `${what} did not have the expected shape at ${where}`,
    parsed.error,
  );
  throw error;
}
