import type WebSocket from 'ws';
import { fromYahoo } from '../symbols.js';
import { dueEvents, type FeedConnection, type FeedContext, sendFrame } from './feed.js';
import { encodePricing, type PricingFields } from './pricing-encoder.js';

const MARKET_HOURS: Readonly<Record<string, number>> = { pre: 0, regular: 1, post: 2 };

/**
 * One connection to the simulated Yahoo streamer: `{"subscribe":[…]}` / `{"unsubscribe":[…]}`,
 * then one `PricingData` per frame — inside `{"type":"pricing","message":…}` with `?version=2`,
 * bare base64 without — carrying the full set of fields the first time and afterwards only the
 * fields that changed, as Yahoo does.
 */
export function yahooConnection(ctx: FeedContext, ws: WebSocket, envelope: boolean): FeedConnection {
  const subs = new Map<string, string>(); // yahoo symbol → canonical
  const last = new Map<string, PricingFields>();
  const carry = { budget: 0 };
  let cursor = 0;
  const counters = ctx.counters.yahoo;
  const conn: FeedConnection = {
    provider: 'yahoo',
    ws,
    authenticated: true,
    tick(elapsedMs) {
      const faults = ctx.faults.peek('yahoo');
      if (faults.silent === true || subs.size === 0) return;
      const n = dueEvents(carry, faults.eventsPerSecond ?? 2 * subs.size, elapsedMs);
      if (n === 0) return;
      const list = [...subs];
      const now = ctx.clock.now();
      for (let k = 0; k < n; k++) {
        const [id, canonical] = list[cursor++ % list.length] as [string, string];
        const update = pricingUpdate(id, canonical, now);
        if (update === null) continue;
        const b64 = encodePricing(update);
        let text: string;
        if (envelope) {
          const frame: Record<string, string> = { type: 'pricing', message: b64 };
          if (ctx.stampFrames) frame.hr = process.hrtime.bigint().toString();
          text = JSON.stringify(frame);
        } else {
          text = b64;
        }
        counters.eventsSent += 1;
        if (!sendFrame(ctx, conn, text)) return;
      }
    },
  };

  function pricingUpdate(id: string, canonical: string, now: number): PricingFields | null {
    const path = ctx.universe.lookup(canonical);
    if (path === null) return null;
    const price = Math.fround(path.priceAt(now) * (1 + (ctx.random.next() - 0.5) * 0.0004));
    const prevClose = Math.fround(path.midnightPrice(Math.floor(now / 86_400_000)));
    const crypto = path.profile.assetClass === 'crypto';
    const full: PricingFields = {
      id,
      price,
      time: now,
      currency: 'USD',
      exchange: crypto ? 'CCC' : 'NMS',
      quoteType: crypto ? 41 : 8,
      marketHours: crypto ? 1 : (MARKET_HOURS[ctx.calendar.session(canonical, now)] ?? 1),
      changePercent: Math.fround(((price - prevClose) / prevClose) * 100),
      dayVolume: 1_000 + Math.floor((now % 86_400_000) / 10),
      dayHigh: Math.fround(Math.max(price, last.get(id)?.dayHigh ?? price)),
      dayLow: Math.fround(Math.min(price, last.get(id)?.dayLow ?? price)),
      change: Math.fround(price - prevClose),
      openPrice: prevClose,
      previousClose: prevClose,
      priceHint: 2,
    };
    const before = last.get(id);
    last.set(id, full);
    if (before === undefined) return full;
    // Only what changed (and the id), as Yahoo sends.
    const diff: PricingFields = { id };
    for (const key of Object.keys(full) as (keyof PricingFields)[]) {
      if (key !== 'id' && full[key] !== before[key]) (diff as unknown as Record<string, unknown>)[key] = full[key];
    }
    return diff;
  }

  ws.on('message', (raw) => {
    let msg: { subscribe?: unknown; unsubscribe?: unknown };
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      return; // Yahoo ignores what it does not understand.
    }
    if (Array.isArray(msg.subscribe)) {
      counters.subscribeMessages += 1;
      for (const s of msg.subscribe) {
        const canonical = typeof s === 'string' ? fromYahoo(s) : null;
        if (canonical !== null) subs.set(s as string, canonical);
      }
    }
    if (Array.isArray(msg.unsubscribe)) {
      for (const s of msg.unsubscribe) if (typeof s === 'string') subs.delete(s);
    }
  });
  return conn;
}
