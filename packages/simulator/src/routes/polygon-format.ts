import type { SimBar } from '../bars.js';
import type { PricePath } from '../price-path.js';
import { hashOf } from '../prng.js';
import { type RouteContext, round, type SimReply } from '../route.js';

/** A Polygon/Massive JSON reply, with the `X-Request-Id` header both send. */
export function polyReply(ctx: RouteContext, status: number, body: unknown): SimReply {
  return { status, body, headers: { 'x-request-id': ctx.requestId } };
}

/** Polygon's `{status:"ERROR", request_id, error}` envelope. */
export function polyError(ctx: RouteContext, status: number, error: string): SimReply {
  return polyReply(ctx, status, { status: 'ERROR', request_id: ctx.requestId, error });
}

/** The pricing page each host's messages point at. */
export function pricingUrl(ctx: RouteContext): string {
  return ctx.provider === 'massive' ? 'https://massive.com/pricing' : 'https://polygon.io/pricing';
}

/** `OK`, or `DELAYED` on a delayed plan, as the real API labels its answers. */
export function statusOf(ctx: RouteContext): string {
  return ctx.faults.delayedPlan === true ? 'DELAYED' : 'OK';
}

/** A price rounded the way Polygon's feeds print it. */
export function polyPrice(path: PricePath, value: number): number {
  if (path.profile.assetClass === 'fx') return round(value, 5);
  return round(value, value < 1 ? 6 : 4);
}

/** A volume: whole shares for stocks, fractional coins for crypto. */
export function polyVolume(path: PricePath, value: number): number {
  return path.profile.assetClass === 'crypto' ? round(value, 8) : Math.round(value);
}

/** An epoch-ms instant as Polygon's nanosecond timestamps (sub-millisecond digits from a hash). */
export function nanos(ms: number, ...salt: ReadonlyArray<string | number>): number {
  return Math.floor(ms) * 1e6 + (hashOf(...salt, ms) % 1_000_000);
}

/** An aggregate as Polygon writes it: indices carry no volume, VWAP or trade count. */
export function aggOf(path: PricePath, bar: SimBar, ticker?: string): Record<string, unknown> {
  const out: Record<string, unknown> = ticker === undefined ? {} : { T: ticker };
  if (path.profile.assetClass !== 'index') {
    out.v = polyVolume(path, bar.v);
    out.vw = polyPrice(path, bar.vw);
  }
  Object.assign(out, {
    o: polyPrice(path, bar.o),
    c: polyPrice(path, bar.c),
    h: polyPrice(path, bar.h),
    l: polyPrice(path, bar.l),
    t: bar.t,
  });
  if (path.profile.assetClass !== 'index') out.n = bar.n;
  return out;
}

/** Renames `c` to `close` in aggregates when the schema-drift fault is on. */
export function driftAggs(ctx: RouteContext, results: Record<string, unknown>[]): void {
  if (ctx.faults.schemaDrift !== true) return;
  for (const r of results) {
    r.close = r.c;
    delete r.c;
  }
  ctx.served('schemaDrift');
}
