import type { Clock, MarketCalendar } from '@stockade/core';
import type WebSocket from 'ws';
import type { Random } from '../prng.js';
import type { ProviderName } from '../provider-name.js';
import type { Universe } from '../universe.js';
import type { StreamCounters } from './stream-counters.js';
import type { StreamFaultStore } from './stream-faults.js';

/** What every simulated WebSocket endpoint shares. */
export interface FeedContext {
  /** Instruments and their price paths. */
  universe: Universe;
  /** The simulator clock (event times, bar windows). */
  clock: Clock;
  /** Market calendar. */
  calendar: MarketCalendar;
  /** Stream faults. */
  faults: StreamFaultStore;
  /** Counters. */
  counters: StreamCounters;
  /** Seeded draws (noise, sizes, fault draws). */
  random: Random;
  /** Stamp every data event with `process.hrtime.bigint()` (field `hr`, decimal string). */
  stampFrames: boolean;
  /** Keys the simulator accepts, per provider. */
  keys: Partial<Record<ProviderName, string>>;
  /** Authenticated connections per provider (for max_connections). */
  authenticated(provider: ProviderName): number;
}

/** One open simulated connection. */
export interface FeedConnection {
  /** Provider served. */
  provider: ProviderName;
  /** The socket. */
  ws: WebSocket;
  /** Passed auth (Polygon) or open (Yahoo). */
  authenticated: boolean;
  /** Sends what is due after `elapsedMs` of wall time. */
  tick(elapsedMs: number): void;
}

/**
 * Sends a text frame unless the socket is gone; applies the `drop` fault afterwards. Returns
 * false when the connection was dropped.
 */
export function sendFrame(ctx: FeedContext, conn: FeedConnection, text: string): boolean {
  if (conn.ws.readyState !== conn.ws.OPEN) return false;
  conn.ws.send(text);
  const counters = ctx.counters[conn.provider];
  counters.framesSent += 1;
  const drop = ctx.faults.peek(conn.provider).drop;
  if (drop !== undefined && drop > 0 && ctx.random.next() < drop) {
    counters.drops += 1;
    conn.ws.terminate();
    return false;
  }
  return true;
}

/** How many events are due: a fractional budget carried from tick to tick. */
export function dueEvents(carry: { budget: number }, perSecond: number, elapsedMs: number): number {
  carry.budget += (perSecond * elapsedMs) / 1000;
  // Bound the backlog so a stalled event loop does not answer with one giant burst.
  if (carry.budget > perSecond) carry.budget = perSecond;
  const n = Math.floor(carry.budget);
  carry.budget -= n;
  return n;
}
