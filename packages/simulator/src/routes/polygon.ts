import { gatewayPage, type ProviderDialect } from '../route.js';
import type { Universe } from '../universe.js';
import { aggsRoute, prevRoute } from './polygon-aggs.js';
import { polyError, polyReply, pricingUrl } from './polygon-format.js';
import { indicesSnapshotRoute, lastTradeRoute, snapshotRoute, snapshotTickerRoute } from './polygon-snapshot.js';

const SNAPSHOT = /^\/v2\/snapshot\/locale\/(us|global)\/markets\/(stocks|crypto|forex)\/tickers(\/[^/]+)?$/;

/**
 * Polygon and Massive (one API on two hosts; Massive adds decimal-string share fields): aggregates,
 * previous close, snapshots, last trade; `apiKey` query parameter or `Authorization: Bearer`.
 */
export function createPolygonDialect(universe: Universe): ProviderDialect {
  const snapshots = {
    stocks: snapshotRoute(universe, 'stocks'),
    crypto: snapshotRoute(universe, 'crypto'),
    forex: snapshotRoute(universe, 'forex'),
  };
  return {
    match(path) {
      if (path.startsWith('/v2/aggs/ticker/')) {
        if (/^\/v2\/aggs\/ticker\/[^/]+\/prev$/.test(path)) return prevRoute;
        if (/^\/v2\/aggs\/ticker\/[^/]+\/range\//.test(path)) return aggsRoute;
        return null;
      }
      const s = SNAPSHOT.exec(path);
      if (s !== null) {
        const [, locale, market, single] = s;
        if ((locale === 'us') !== (market === 'stocks')) return null;
        return single === undefined ? snapshots[market as 'stocks' | 'crypto' | 'forex'] : snapshotTickerRoute;
      }
      if (path === '/v3/snapshot/indices') return indicesSnapshotRoute;
      if (/^\/v2\/last\/trade\/[^/]+$/.test(path)) return lastTradeRoute;
      return null;
    },
    apiKeyOf(query, headers) {
      const fromQuery = query.get('apiKey');
      if (fromQuery !== null) return fromQuery;
      const auth = headers.authorization;
      const m = typeof auth === 'string' ? /^Bearer\s+(.*)$/i.exec(auth) : null;
      return m?.[1]?.trim();
    },
    unauthorized: (ctx, reason) =>
      polyError(ctx, 401, reason === 'missing' ? 'API Key was not provided' : 'Unknown API Key'),
    quotaExceeded: (ctx) =>
      polyError(
        ctx,
        429,
        `You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. ${pricingUrl(ctx)}`,
      ),
    rateLimited(ctx, retryAfterSec) {
      const reply = polyError(
        ctx,
        429,
        `You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. ${pricingUrl(ctx)}`,
      );
      return { ...reply, headers: { ...reply.headers, 'retry-after': String(retryAfterSec) } };
    },
    serverError: (ctx, status) => (status === 500 ? polyError(ctx, 500, 'Internal server error') : gatewayPage(status)),
    notEntitled: (ctx) =>
      polyReply(ctx, 403, {
        status: 'NOT_AUTHORIZED',
        request_id: ctx.requestId,
        message: `You are not entitled to this data. Please upgrade your plan at ${pricingUrl(ctx)}`,
      }),
    notFound: (ctx) => polyReply(ctx, 404, { status: 'NOT_FOUND', request_id: ctx.requestId, message: 'Not found' }),
  };
}
