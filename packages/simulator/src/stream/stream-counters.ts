import { PROVIDER_NAMES, type ProviderName } from '../provider-name.js';

/** What one provider's WebSocket endpoint has done. */
export interface StreamEndpointStats {
  /** Connections accepted (upgrades). */
  connections: number;
  /** Connections open now. */
  open: number;
  /** Frames sent. */
  framesSent: number;
  /** Data events sent (trades, quotes, bars, pricing updates), duplicates included. */
  eventsSent: number;
  /** `auth` messages received (Polygon/Massive). */
  authAttempts: number;
  /** `auth` answered `auth_failed`. */
  authFailures: number;
  /** Connections refused with `max_connections`. */
  maxConnectionsRefused: number;
  /** Subscribe messages received. */
  subscribeMessages: number;
  /** Pings answered with a pong. */
  pongs: number;
  /** Pings left unanswered (silent fault). */
  pingsIgnored: number;
  /** Connections destroyed by `drop()` or the `drop` fault. */
  drops: number;
  /** Events sent a second time with the same sequence number. */
  duplicatesSent: number;
}

/** Counters of every provider's WebSocket endpoint. */
export type StreamCounters = Record<ProviderName, StreamEndpointStats>;

const empty = (): StreamEndpointStats => ({
  connections: 0,
  open: 0,
  framesSent: 0,
  eventsSent: 0,
  authAttempts: 0,
  authFailures: 0,
  maxConnectionsRefused: 0,
  subscribeMessages: 0,
  pongs: 0,
  pingsIgnored: 0,
  drops: 0,
  duplicatesSent: 0,
});

/** Zeroed counters for every provider. */
export function createStreamCounters(): StreamCounters {
  return Object.fromEntries(PROVIDER_NAMES.map((p) => [p, empty()])) as StreamCounters;
}

/** Sets every counter but `open` back to zero. */
export function resetStreamCounters(counters: StreamCounters): void {
  for (const p of PROVIDER_NAMES) counters[p] = { ...empty(), open: counters[p].open };
}
