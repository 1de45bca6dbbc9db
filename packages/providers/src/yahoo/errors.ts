import type { ProviderErrorKind } from '@stockade/core';
import { statusKind } from '../http/errors.js';

/** What a Yahoo error answer means. */
export interface YahooFailure {
  /** Error kind. */
  kind: ProviderErrorKind;
  /** Yahoo's own words (or the status when it said nothing). */
  detail: string;
  /** 401 "Invalid Crumb" / "Invalid Cookie": a fresh cookie and crumb may fix it. */
  crumbRejected: boolean;
  /** 401 "User is unable to access this feature": the endpoint is shut for us, try another. */
  featureBlocked: boolean;
}

function errorObjectOf(body: unknown): { code?: string; description?: string } | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  for (const envelope of Object.values(body as Record<string, unknown>)) {
    if (typeof envelope !== 'object' || envelope === null) continue;
    const error = (envelope as { error?: unknown }).error;
    if (typeof error === 'object' && error !== null) return error as { code?: string; description?: string };
  }
  return undefined;
}

/**
 * Classifies a Yahoo error answer from its status and body. Yahoo puts the error in
 * `chart.error`, `finance.error`, `quoteResponse.error` or `quoteSummary.error`, and throttles
 * with a plain-text `Edge: Too Many Requests`. Returns `undefined` for a 2xx answer with no error.
 */
export function classifyYahooAnswer(status: number, text: string, body: unknown): YahooFailure | undefined {
  const error = errorObjectOf(body);
  const description = typeof error?.description === 'string' ? error.description : '';
  const code = typeof error?.code === 'string' ? error.code : '';
  const detail =
    description || code || (body === undefined && text.trim() !== '' ? text.trim().slice(0, 200) : `HTTP ${status}`);
  const failure = (kind: ProviderErrorKind): YahooFailure => ({
    kind,
    detail,
    crumbRejected: status === 401 && /invalid (crumb|cookie)/i.test(description),
    featureBlocked: /unable to access this feature/i.test(description),
  });
  if (status === 429 || /too many requests/i.test(body === undefined ? text : '')) return failure('rate_limited');
  if (status >= 200 && status < 300 && error === undefined) return undefined;
  if (/no data found|delisted|doesn't exist|does not exist|not found/i.test(description) || /^not found$/i.test(code)) {
    return failure('not_found');
  }
  if (status === 401 || /^unauthorized$/i.test(code)) return failure('auth');
  if (/^bad request$/i.test(code) && status < 300) return failure('bad_request');
  return failure(status >= 200 && status < 300 ? 'bad_response' : statusKind(status));
}
