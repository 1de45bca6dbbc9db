import type { ProviderErrorKind } from '@stockade/core';
import { statusKind } from '../http/errors.js';
import { ErrorBody } from './schemas.js';

/** What a Polygon (or Massive) error answer means. */
export interface PolygonFailure {
  /** Error kind. */
  kind: ProviderErrorKind;
  /** Polygon's own words. */
  detail: string;
  /** The body's `request_id`, used when the `X-Request-Id` header is missing. */
  requestId?: string;
}

/**
 * Classifies a Polygon answer by status and body `status`: 401 → `auth`; 403 `NOT_AUTHORIZED` →
 * `not_entitled` (the key's plan lacks this endpoint or timeframe); 404 → `not_found`; 429 →
 * `rate_limited`; 5xx → `transient`. A 2xx whose `status` is `ERROR`, `NOT_FOUND` or
 * `NOT_AUTHORIZED` is classified the same way; any other status value (`OK`, `DELAYED`,
 * v3's `POLYFEEDPLUS`…) is a success, and `undefined` is returned.
 */
export function classifyPolygonAnswer(status: number, text: string, body: unknown): PolygonFailure | undefined {
  const parsed = ErrorBody.safeParse(body);
  const b = parsed.success ? parsed.data : {};
  const detail = b.error ?? b.message ?? (text.trim().slice(0, 200) || `HTTP ${status}`);
  const out = (kind: ProviderErrorKind): PolygonFailure =>
    b.request_id === undefined ? { kind, detail } : { kind, detail, requestId: b.request_id };
  const bodyStatus = b.status?.toUpperCase();
  if (status >= 200 && status < 300) {
    if (bodyStatus === 'ERROR') return out('bad_response');
    if (bodyStatus === 'NOT_FOUND') return out('not_found');
    if (bodyStatus === 'NOT_AUTHORIZED') return out('not_entitled');
    return undefined;
  }
  if (status === 401) return out('auth');
  if (status === 403) return out(bodyStatus !== 'NOT_AUTHORIZED' && /api key/i.test(detail) ? 'auth' : 'not_entitled');
  return out(statusKind(status));
}
