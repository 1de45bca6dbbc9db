import type WebSocket from 'ws';
import type { ProviderName } from '../provider-name.js';
import { fromPolygon } from '../symbols.js';
import { dueEvents, type FeedConnection, type FeedContext, sendFrame } from './feed.js';

type Ev = 'T' | 'Q' | 'AM' | 'A';
const EVS: readonly Ev[] = ['T', 'Q', 'AM', 'A'];

interface Sub {
  native: string;
  canonical: string;
}

const status = (s: string, message: string) => ({ ev: 'status', status: s, message });

/**
 * One connection to the simulated Polygon / Massive stocks WebSocket: `connected` on open, `auth`
 * with the real statuses, `subscribe`/`unsubscribe` with one status per parameter, then JSON
 * array frames of `T`, `Q` (at the configured rate, from the price path) and `AM`/`A` (when the
 * simulator clock crosses a minute or second).
 */
export function polygonConnection(ctx: FeedContext, provider: ProviderName, ws: WebSocket): FeedConnection {
  const subs: Record<Ev, Map<string, Sub>> = { T: new Map(), Q: new Map(), AM: new Map(), A: new Map() };
  const carry = { budget: 0 };
  let cursor = 0;
  let tradeId = 0;
  const seq = new Map<string, number>();
  let lastMinute = Math.floor(ctx.clock.now() / 60_000);
  let lastSecond = Math.floor(ctx.clock.now() / 1_000);
  const counters = ctx.counters[provider];
  const authTimer = setTimeout(() => {
    if (!conn.authenticated) {
      sendFrame(ctx, conn, JSON.stringify([status('auth_timeout', 'No authentication request received.')]));
      ws.close(1008, 'auth timeout');
    }
  }, 30_000);
  authTimer.unref();
  ws.once('close', () => clearTimeout(authTimer));

  const conn: FeedConnection = {
    provider,
    ws,
    authenticated: false,
    tick(elapsedMs) {
      if (!conn.authenticated) return;
      const faults = ctx.faults.peek(provider);
      if (faults.silent === true) return;
      const now = ctx.clock.now();
      const events: Record<string, unknown>[] = [];
      const pairs = subs.T.size + subs.Q.size;
      const n = pairs === 0 ? 0 : dueEvents(carry, faults.eventsPerSecond ?? 2 * pairs, elapsedMs);
      const tq = n > 0 ? [...subs.T.values(), ...subs.Q.values()] : [];
      for (let k = 0; k < n; k++) {
        const index = cursor++ % tq.length;
        const sub = tq[index] as Sub;
        const e = index < subs.T.size ? trade(sub, now) : quote(sub, now);
        if (e !== null) {
          events.push(e);
          if (faults.duplicates !== undefined && ctx.random.next() < faults.duplicates) {
            events.push({ ...e });
            counters.duplicatesSent += 1;
          }
        }
      }
      const minute = Math.floor(now / 60_000);
      if (minute > lastMinute) {
        for (const sub of subs.AM.values()) pushBar(events, 'AM', sub, (minute - 1) * 60_000, 60_000);
        lastMinute = minute;
      }
      const second = Math.floor(now / 1_000);
      if (second > lastSecond) {
        for (const sub of subs.A.values()) pushBar(events, 'A', sub, (second - 1) * 1_000, 1_000);
        lastSecond = second;
      }
      if (events.length === 0) return;
      counters.eventsSent += events.length;
      const perFrame = faults.eventsPerFrame ?? 50;
      for (let i = 0; i < events.length; i += perFrame) {
        const chunk = events.slice(i, i + perFrame);
        if (ctx.stampFrames) {
          const hr = process.hrtime.bigint().toString();
          for (const e of chunk) e.hr = hr;
        }
        if (!sendFrame(ctx, conn, JSON.stringify(chunk))) return;
      }
    },
  };

  const nextSeq = (sym: string) => {
    const q = (seq.get(sym) ?? 1_000) + 1 + ctx.random.int(3);
    seq.set(sym, q);
    return q;
  };
  const priceOf = (sub: Sub, at: number): number | null => {
    const path = ctx.universe.lookup(sub.canonical);
    if (path === null) return null;
    const p = path.priceAt(at) * (1 + (ctx.random.next() - 0.5) * 0.0004);
    return Math.round(p * 100) / 100;
  };
  function trade(sub: Sub, now: number): Record<string, unknown> | null {
    const p = priceOf(sub, now);
    if (p === null) return null;
    const e: Record<string, unknown> = {
      ev: 'T',
      sym: sub.native,
      i: String(++tradeId),
      x: 1 + ctx.random.int(20),
      p,
      s: 1 + ctx.random.int(500),
      t: now,
      q: nextSeq(sub.native),
      z: 3,
    };
    if (ctx.random.next() < 0.3) e.c = [37];
    return e;
  }
  function quote(sub: Sub, now: number): Record<string, unknown> | null {
    const p = priceOf(sub, now);
    if (p === null) return null;
    const half = Math.max(0.01, Math.round(p * 0.0001 * 100) / 100);
    return {
      ev: 'Q',
      sym: sub.native,
      bx: 1 + ctx.random.int(20),
      bp: Math.round((p - half) * 100) / 100,
      bs: 1 + ctx.random.int(30),
      ax: 1 + ctx.random.int(20),
      ap: Math.round((p + half) * 100) / 100,
      as: 1 + ctx.random.int(30),
      t: now,
      q: nextSeq(sub.native),
      z: 3,
    };
  }
  function pushBar(out: Record<string, unknown>[], ev: 'AM' | 'A', sub: Sub, s: number, len: number) {
    const path = ctx.universe.lookup(sub.canonical);
    if (path === null) return;
    const r2 = (x: number) => Math.round(x * 10_000) / 10_000;
    const o = r2(path.priceAt(s));
    const c = r2(path.priceAt(s + len));
    const mid = r2(path.priceAt(s + len / 2));
    const h = Math.max(o, c, mid);
    const l = Math.min(o, c, mid);
    const v = 100 + ctx.random.int(10_000);
    out.push({
      ev,
      sym: sub.native,
      v,
      av: v * 10,
      op: o,
      vw: r2((o + h + l + c) / 4),
      o,
      c,
      h,
      l,
      a: mid,
      z: 100,
      s,
      e: s + len,
    });
  }

  const send = (frame: unknown[]) => sendFrame(ctx, conn, JSON.stringify(frame));

  ws.on('message', (raw) => {
    let msg: { action?: unknown; params?: unknown };
    try {
      msg = JSON.parse(raw.toString());
    } catch {
      send([status('error', 'Invalid message')]);
      return;
    }
    if (msg.action === 'auth') {
      counters.authAttempts += 1;
      const faults = ctx.faults.peek(provider);
      const wanted = ctx.keys[provider];
      const key = typeof msg.params === 'string' ? msg.params : '';
      if (faults.authFailure === true || key === '' || (wanted !== undefined && key !== wanted)) {
        counters.authFailures += 1;
        send([status('auth_failed', 'authentication failed')]);
        ws.close(1008, 'authentication failed');
        return;
      }
      if (faults.maxConnections !== undefined && ctx.authenticated(provider) >= faults.maxConnections) {
        counters.maxConnectionsRefused += 1;
        send([status('max_connections', 'Maximum number of connections exceeded.')]);
        ws.close(1008, 'max connections');
        return;
      }
      conn.authenticated = true;
      send([status('auth_success', 'authenticated')]);
      return;
    }
    if (msg.action === 'subscribe' || msg.action === 'unsubscribe') {
      if (!conn.authenticated) {
        send([status('auth_required', 'you must authenticate first')]);
        return;
      }
      if (msg.action === 'subscribe') counters.subscribeMessages += 1;
      const params = typeof msg.params === 'string' ? msg.params.split(',').map((p) => p.trim()) : [];
      const acks: unknown[] = [];
      for (const param of params) {
        const dot = param.indexOf('.');
        const ev = param.slice(0, dot) as Ev;
        const native = param.slice(dot + 1);
        if (dot < 1 || !EVS.includes(ev) || native === '') {
          acks.push(status('error', `invalid subscription: ${param}`));
          continue;
        }
        const canonical = native === '*' ? null : fromPolygon(native);
        const targets = native === '*' ? ctx.universe.listed() : canonical === null ? [] : [canonical];
        for (const c of targets) {
          if (msg.action === 'subscribe') subs[ev].set(c, { canonical: c, native: native === '*' ? c : native });
          else subs[ev].delete(c);
        }
        acks.push(status('success', `${msg.action}d to: ${param}`));
      }
      // One status per parameter, as the real server; sent in one frame.
      if (acks.length > 0) send(acks);
      return;
    }
    send([status('error', `unknown action ${JSON.stringify(msg.action)}`)]);
  });

  send([status('connected', 'Connected Successfully')]);
  return conn;
}
