import { gatewayPage, type ProviderDialect, type Route } from '../route.js';
import type { CrumbStore } from '../yahoo-crumbs.js';
import { chartRoute } from './yahoo-chart.js';
import { edgeTooManyRequests, financeError } from './yahoo-errors.js';
import { quoteRoute } from './yahoo-quote.js';

// The cookie lives a year, like Yahoo's; no Domain or Secure so that it sticks to a loopback host.
const COOKIE_ATTRIBUTES = 'Max-Age=31557600; Path=/; SameSite=Lax; HttpOnly';

/**
 * The cookie endpoints: `/fc` stands for `https://fc.yahoo.com`, which answers 404 and sets the
 * `A3` cookie, and `/` for `https://finance.yahoo.com/`, which answers 200 and sets it too.
 */
function cookieRoute(crumbs: CrumbStore, status: 200 | 404): Route {
  return {
    endpoint: 'cookie',
    keyed: false,
    handle: () => ({
      status,
      contentType: 'text/html; charset=utf-8',
      headers: { 'set-cookie': `A3=${crumbs.issueCookie()}; ${COOKIE_ATTRIBUTES}` },
      body:
        status === 404
          ? '<!DOCTYPE html><html><head><title>Yahoo</title></head><body>404 Not Found</body></html>'
          : '<!DOCTYPE html><html><head><title>Yahoo Finance</title></head><body></body></html>',
    }),
  };
}

/** `GET /v1/test/getcrumb`: the crumb of the `A3` cookie sent, as plain text. */
function getcrumbRoute(crumbs: CrumbStore): Route {
  return {
    endpoint: 'getcrumb',
    keyed: true,
    handle(ctx) {
      const session = crumbs.sessionOf(ctx.headers.cookie);
      if (session === null) return financeError(401, 'Unauthorized', 'Invalid Cookie');
      return { status: 200, contentType: 'text/plain;charset=utf-8', body: crumbs.crumbFor(session) };
    },
  };
}

/** Yahoo Finance: chart, quote, the cookie and crumb endpoints, and Yahoo's error shapes. */
export function createYahooDialect(crumbs: CrumbStore): ProviderDialect {
  const fc = cookieRoute(crumbs, 404);
  const home = cookieRoute(crumbs, 200);
  const getcrumb = getcrumbRoute(crumbs);
  const quote = quoteRoute(crumbs);
  return {
    match(path) {
      // `/consent` stands for the consent page Yahoo sends European visitors through; it ends with the same cookie.
      if (path === '' || path === '/' || path === '/consent') return home;
      if (path === '/fc') return fc;
      if (path === '/v1/test/getcrumb') return getcrumb;
      if (path === '/v7/finance/quote') return quote;
      if (/^\/v8\/finance\/chart\/[^/]+$/.test(path)) return chartRoute;
      return null;
    },
    apiKeyOf: () => undefined,
    unauthorized: () => financeError(401, 'Unauthorized', 'Invalid Cookie'),
    quotaExceeded: () => edgeTooManyRequests(),
    rateLimited: (_ctx, retryAfterSec) => edgeTooManyRequests({ 'retry-after': String(retryAfterSec) }),
    serverError: (_ctx, status) =>
      status === 500 ? financeError(500, 'Internal Server Error', 'Internal Server Error') : gatewayPage(status),
    notEntitled: () =>
      financeError(
        401,
        'Unauthorized',
        'User is unable to access this feature - https://bit.ly/yahoo-finance-api-feedback',
      ),
    notFound: () => financeError(404, 'Not Found', 'HTTP 404 Not Found'),
  };
}
