import { endpointUrl } from '../http/endpoint-url.js';
import { responseError } from '../http/errors.js';
import { parseJsonBody, tryParseJson } from '../http/response-body.js';
import type { Transport, TransportResponse } from '../http/transport.js';
import type { KeySource } from '../key-source.js';
import { classifyPolygonAnswer } from './errors.js';

/** A successful Polygon answer, parsed. */
export interface PolygonAnswer {
  /** The JSON body. */
  body: unknown;
  /** The response (status, headers, request id). */
  response: TransportResponse;
  /** The body's `status` was `DELAYED`: the key's plan delays this data. */
  delayed: boolean;
}

/** Sends authenticated GETs to Polygon or Massive and classifies their errors. */
export interface PolygonRequester {
  /** GETs `url` (absolute, or a path built on the base URL). */
  get(
    target: URL | { path: string; query?: Record<string, string | number | undefined> },
    operation: string,
    symbols: readonly string[],
    signal?: AbortSignal,
  ): Promise<PolygonAnswer>;
}

/**
 * Creates a {@link PolygonRequester}. The key goes as `Authorization: Bearer`, never in a URL; an
 * auth failure asks the key source for a fresh key once before it counts.
 */
export function createPolygonRequester(
  name: string,
  baseUrl: string,
  transport: Transport,
  keys: KeySource,
): PolygonRequester {
  return {
    async get(target, operation, symbols, signal) {
      const url = target instanceof URL ? target : endpointUrl(baseUrl, target.path, target.query);
      const ctx = { provider: name, operation, symbols };
      for (let attempt = 0; ; attempt++) {
        const key = await keys.get(signal);
        const response = await transport.get(url, {
          headers: { authorization: `Bearer ${key}` },
          signal,
          operation,
          symbols,
        });
        const failure = classifyPolygonAnswer(response.status, response.text, tryParseJson(response.text));
        if (failure === undefined) {
          const body = parseJsonBody(response.text, ctx, response);
          const status = (body as { status?: unknown } | null)?.status;
          return { body, response, delayed: typeof status === 'string' && status.toUpperCase() === 'DELAYED' };
        }
        if (failure.kind === 'auth' && attempt === 0 && (await keys.refresh())) continue;
        throw responseError(
          ctx,
          { ...response, requestId: response.requestId ?? failure.requestId },
          failure.kind,
          failure.detail,
        );
      }
    },
  };
}
