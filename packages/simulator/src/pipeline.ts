import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock, MarketCalendar } from '@stockade/core';
import type { FaultStore, ProviderFaults } from './faults.js';
import { latencyFor } from './latency.js';
import type { Lifecycle } from './lifecycle.js';
import { createMarketView } from './market-view.js';
import { createRandom, hexIdOf, type Random } from './prng.js';
import type { ProviderName } from './provider-name.js';
import type { QuotaTracker } from './quota.js';
import { malformedReply, sendOversized, sendReply } from './responder.js';
import type { ProviderDialect, Route, RouteContext, SimReply } from './route.js';
import type { StatsRecorder } from './stats.js';
import type { Universe } from './universe.js';

/** What the request pipeline needs from the simulator. */
export interface PipelineDeps {
  seed: number | string;
  clock: Clock;
  calendar: MarketCalendar;
  universe: Universe;
  faults: FaultStore;
  stats: StatsRecorder;
  quotas: QuotaTracker;
  lifecycle: Lifecycle;
  keys: Partial<Record<ProviderName, string>>;
  dialects: Partial<Record<ProviderName, ProviderDialect>>;
  baseUrl(provider: ProviderName): string;
}

/** Per-provider draws of one request, always the same number so that runs stay aligned. */
interface Draws {
  latency: number;
  reset: number;
  hang: number;
  e500: number;
  e502: number;
  e503: number;
  rateLimit: number;
  malformed: number;
}

function drawsOf(r: Random): Draws {
  return {
    latency: r.normal(),
    reset: r.next(),
    hang: r.next(),
    e500: r.next(),
    e502: r.next(),
    e503: r.next(),
    rateLimit: r.next(),
    malformed: r.next(),
  };
}

/**
 * Serves one provider request. Faults apply in a fixed order: latency → reset → hang → 5xx
 * (500, 502, 503) → rate limit (429 + Retry-After) → key (badKey, missing or wrong key) → quota
 * (per day, then per minute) → entitlement (`notEntitled`) → the endpoint (crumb checks, the
 * quote feature switch, wrong prices, schema drift) → oversized body → malformed body → slow body.
 */
export function createPipeline(deps: PipelineDeps) {
  const generators = new Map<ProviderName, Random>();
  const counters = new Map<ProviderName, number>();
  const nextDraws = (provider: ProviderName): Draws => {
    let r = generators.get(provider);
    if (r === undefined) {
      r = createRandom(deps.seed, 'faults', provider);
      generators.set(provider, r);
    }
    return drawsOf(r);
  };

  /** The first fault that answers instead of the endpoint, or null to go on. */
  function gate(
    ctx: RouteContext,
    route: Route,
    dialect: ProviderDialect,
    f: Readonly<ProviderFaults>,
    d: Draws,
  ): SimReply | null {
    const { stats } = deps;
    const p = ctx.provider;
    const rates = f.errorRate ?? {};
    for (const [status, draw] of [
      [500, d.e500],
      [502, d.e502],
      [503, d.e503],
    ] as const) {
      const rate = rates[status];
      if (rate !== undefined && draw < rate) {
        stats.fault(p, `error${status}`);
        return dialect.serverError(ctx, status);
      }
    }
    if (f.rateLimit !== undefined && d.rateLimit < (f.rateLimit.probability ?? 1)) {
      stats.fault(p, 'rateLimit');
      return dialect.rateLimited(ctx, f.rateLimit.retryAfterSec ?? 1);
    }
    if (route.keyed) {
      if (f.badKey === true) {
        stats.fault(p, 'badKey');
        return dialect.unauthorized(ctx, 'invalid');
      }
      if (p !== 'yahoo') {
        if (ctx.apiKey === undefined || ctx.apiKey === '') return dialect.unauthorized(ctx, 'missing');
        const expected = deps.keys[p];
        if (expected !== undefined && ctx.apiKey !== expected) return dialect.unauthorized(ctx, 'invalid');
      }
    }
    const breach = deps.quotas.admit(p, f.quota, ctx.clockNow);
    if (breach !== null) {
      stats.fault(p, breach === 'day' ? 'quotaDay' : 'quotaMinute');
      return dialect.quotaExceeded(ctx, breach);
    }
    if ((f.notEntitled ?? []).includes(route.endpoint)) {
      stats.fault(p, 'notEntitled');
      return dialect.notEntitled(ctx);
    }
    return null;
  }

  return async function serve(
    req: IncomingMessage,
    res: ServerResponse,
    provider: ProviderName,
    path: string,
    query: URLSearchParams,
  ): Promise<void> {
    const { stats, lifecycle } = deps;
    const dialect = deps.dialects[provider];
    if (dialect === undefined) return;
    const route = dialect.match(path, query);
    stats.request(provider, route?.endpoint ?? 'unknown');
    stats.log({
      provider,
      endpoint: route?.endpoint ?? 'unknown',
      target: req.url ?? '',
      headers: { ...req.headers },
    });
    const f = deps.faults.peek(provider);
    const d = nextDraws(provider);
    const n = (counters.get(provider) ?? 0) + 1;
    counters.set(provider, n);
    const clockNow = deps.clock.now();
    const ctx: RouteContext = {
      provider,
      path,
      query,
      headers: req.headers,
      view: createMarketView({ provider, seed: deps.seed, clock: deps.clock, universe: deps.universe, faults: f }),
      faults: f,
      clockNow,
      calendar: deps.calendar,
      requestId: hexIdOf(deps.seed, provider, 'request', n),
      baseUrl: deps.baseUrl(provider),
      apiKey: dialect.apiKeyOf(query, req.headers),
      served: (fault) => stats.fault(provider, fault),
    };

    const delay = latencyFor(f.latency, d.latency);
    if (delay > 0) {
      stats.fault(provider, 'latency');
      stats.delay(provider, delay);
      if (!(await lifecycle.sleep(delay))) return;
    }
    if (f.reset !== undefined && d.reset < f.reset) {
      stats.fault(provider, 'reset');
      req.socket.resetAndDestroy();
      return;
    }
    if (f.hang !== undefined && d.hang < f.hang) {
      // Never answered: the socket stays open until the client gives up or the simulator stops.
      stats.fault(provider, 'hang');
      return;
    }

    let reply: SimReply;
    try {
      reply =
        (route === null ? null : gate(ctx, route, dialect, f, d)) ??
        (route === null ? dialect.notFound(ctx) : route.handle(ctx));
    } catch {
      // A defect in a route must not take the server down; answer as a failing upstream would.
      reply = dialect.serverError(ctx, 500);
    }
    if (f.oversizedBodyBytes !== undefined && reply.status === 200) {
      stats.fault(provider, 'oversizedBody');
      stats.status(provider, 200);
      await sendOversized(res, f.oversizedBodyBytes, lifecycle);
      return;
    }
    if (f.malformed !== undefined && d.malformed < f.malformed) {
      stats.fault(provider, 'malformed');
      reply = malformedReply(reply);
    }
    const slow = f.slowBodyMs ?? 0;
    if (slow > 0) stats.fault(provider, 'slowBody');
    stats.status(provider, reply.status);
    await sendReply(res, reply, slow, lifecycle);
  };
}
