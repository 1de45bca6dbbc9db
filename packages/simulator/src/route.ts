import type { IncomingHttpHeaders } from 'node:http';
import type { MarketCalendar } from '@stockade/core';
import type { ProviderFaults } from './faults.js';
import type { MarketView } from './market-view.js';
import type { ProviderName } from './provider-name.js';
import type { QuotaBreach } from './quota.js';
import type { FaultName } from './stats.js';

/** A response as a route builds it, before faults that mangle bodies are applied. */
export interface SimReply {
  /** HTTP status. */
  status: number;
  /** A JSON value, or a string sent as is. */
  body: unknown;
  /** Content type. @default 'application/json' */
  contentType?: string;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Indentation of the JSON body (Alpha Vantage pretty-prints with 4). @default 0 */
  indent?: number;
}

/** What a route sees of one request. */
export interface RouteContext {
  /** The provider being spoken for. */
  provider: ProviderName;
  /** Path after the provider prefix, e.g. `/v8/finance/chart/AAPL`. */
  path: string;
  /** Query parameters. */
  query: URLSearchParams;
  /** Request headers. */
  headers: IncomingHttpHeaders;
  /** The provider's view of the market for this request. */
  view: MarketView;
  /** The provider's faults for this request. */
  faults: Readonly<ProviderFaults>;
  /** The simulator clock's now (not delayed), epoch ms. */
  clockNow: number;
  /** Market calendar. */
  calendar: MarketCalendar;
  /** Deterministic id of this request (Polygon's `request_id`, Yahoo's `y-rid`). */
  requestId: string;
  /** Base URL of this provider on the simulator, e.g. `http://127.0.0.1:4010/polygon`. */
  baseUrl: string;
  /** The API key the request presented, if the provider takes one. */
  apiKey: string | undefined;
  /** Counts a fault the route served (wrong price, schema drift…). */
  served(fault: FaultName): void;
}

/** An endpoint of a provider. */
export interface Route {
  /** Endpoint name in stats (`chart`, `quote`, `GLOBAL_QUOTE`, `aggs`…). */
  endpoint: string;
  /** Whether the endpoint needs the provider's key (or, for Yahoo, its cookie). */
  keyed: boolean;
  /** Builds the answer. */
  handle(ctx: RouteContext): SimReply;
}

/** How a provider authenticates and words its errors. */
export interface ProviderDialect {
  /** The route for a request path and query, or null for an unknown path. */
  match(path: string, query: URLSearchParams): Route | null;
  /** The key a request presents (query parameter or header), if any. */
  apiKeyOf(query: URLSearchParams, headers: IncomingHttpHeaders): string | undefined;
  /** No key, or a key that is refused. */
  unauthorized(ctx: RouteContext, reason: 'missing' | 'invalid'): SimReply;
  /** A quota is spent. */
  quotaExceeded(ctx: RouteContext, breach: QuotaBreach): SimReply;
  /** Throttled with a Retry-After (the `rateLimit` fault). */
  rateLimited(ctx: RouteContext, retryAfterSec: number): SimReply;
  /** A 5xx. */
  serverError(ctx: RouteContext, status: number): SimReply;
  /** The plan does not include the endpoint. */
  notEntitled(ctx: RouteContext): SimReply;
  /** An unknown path. */
  notFound(ctx: RouteContext): SimReply;
}

/** A small HTML error page, as load balancers in front of every provider send for 502 and 503. */
export function gatewayPage(status: number): SimReply {
  const title =
    status === 502 ? '502 Bad Gateway' : status === 503 ? '503 Service Temporarily Unavailable' : `${status} Error`;
  return {
    status,
    contentType: 'text/html',
    body: `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n</body>\r\n</html>\r\n`,
  };
}

/** Rounds to `digits` decimals. */
export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Decimals a provider quotes an instrument's price with. */
export function priceDigits(assetClass: string, price: number): number {
  if (assetClass === 'fx') return price < 10 ? 5 : 3;
  return price < 1 ? 6 : 2;
}
