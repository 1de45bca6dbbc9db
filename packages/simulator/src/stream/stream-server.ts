import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Clock, MarketCalendar } from '@stockade/core';
import { type WebSocket, WebSocketServer } from 'ws';
import { createRandom } from '../prng.js';
import { isProviderName, type ProviderName } from '../provider-name.js';
import type { Universe } from '../universe.js';
import type { FeedConnection, FeedContext } from './feed.js';
import { polygonConnection } from './polygon-endpoint.js';
import {
  createStreamCounters,
  resetStreamCounters,
  type StreamCounters,
  type StreamEndpointStats,
} from './stream-counters.js';
import { createStreamFaults, type StreamFaultController, type StreamFaults } from './stream-faults.js';
import { yahooConnection } from './yahoo-endpoint.js';

/** The WebSocket side of a running simulator. */
export interface SimulatorStreams {
  /** Stream faults (silence, auth failure, max connections, duplicates, rate, drops). */
  readonly faults: StreamFaultController;
  /** Destroys every open connection of `provider` (or of all), without a close frame; returns how many. */
  drop(provider?: ProviderName): number;
  /** Open connections of `provider` (or of all). */
  open(provider?: ProviderName): number;
  /** A copy of the counters of one provider. */
  stats(provider: ProviderName): StreamEndpointStats;
  /** Sets the counters back to zero. */
  resetStats(): void;
}

/** Options of {@link createStreamServer}. */
export interface StreamServerOptions {
  /** Providers served. */
  served: ReadonlySet<ProviderName>;
  /** Instruments. */
  universe: Universe;
  /** Simulator clock. */
  clock: Clock;
  /** Calendar. */
  calendar: MarketCalendar;
  /** Seed. */
  seed: number | string;
  /** Keys accepted per provider. */
  keys: Partial<Record<ProviderName, string>>;
  /** Stamp data events with `process.hrtime.bigint()`. */
  stampFrames: boolean;
  /** Initial stream faults. */
  faults?: Partial<Record<ProviderName, StreamFaults>>;
  /** Wall-clock period of the feed, ms. */
  tickMs?: number;
}

/** The stream server: the HTTP server's `upgrade` handler plus its controls. */
export interface StreamServer extends SimulatorStreams {
  /** Handles an HTTP upgrade; false when the path is not a stream endpoint (the caller answers 404). */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  /** Closes every connection and the feed timer. */
  stop(): void;
}

/** The WebSocket path of a provider: `/polygon/stocks`, `/massive/stocks`, `/yahoo/`. */
export function streamPath(provider: ProviderName): string {
  return provider === 'yahoo' ? '/yahoo/' : `/${provider}/stocks`;
}

/**
 * Serves the providers' WebSocket protocols on the simulator's own HTTP server (`noServer` and the
 * `upgrade` event), all fed by one timer from the same price paths and clock as the HTTP routes.
 */
export function createStreamServer(o: StreamServerOptions): StreamServer {
  const wss = new WebSocketServer({ noServer: true, autoPong: false });
  const counters: StreamCounters = createStreamCounters();
  const faults = createStreamFaults(o.faults);
  const connections = new Set<FeedConnection>();
  const ctx: FeedContext = {
    universe: o.universe,
    clock: o.clock,
    calendar: o.calendar,
    faults,
    counters,
    random: createRandom(o.seed, 'stream'),
    stampFrames: o.stampFrames,
    keys: o.keys,
    authenticated: (p) => {
      let n = 0;
      for (const c of connections) if (c.provider === p && c.authenticated) n++;
      return n;
    },
  };
  const tickMs = o.tickMs ?? 20;
  let timer: NodeJS.Timeout | undefined;
  let lastTick = performance.now();
  const tick = () => {
    const now = performance.now();
    const elapsed = now - lastTick;
    lastTick = now;
    for (const c of connections) c.tick(elapsed);
  };
  const ensureTimer = () => {
    if (timer !== undefined) return;
    lastTick = performance.now();
    timer = setInterval(tick, tickMs);
    timer.unref();
  };

  const accept = (provider: ProviderName, ws: WebSocket, envelope: boolean) => {
    const c = provider === 'yahoo' ? yahooConnection(ctx, ws, envelope) : polygonConnection(ctx, provider, ws);
    const stats = counters[provider];
    stats.connections += 1;
    stats.open += 1;
    connections.add(c);
    ensureTimer();
    ws.on('ping', (data) => {
      if (faults.peek(provider).silent === true) {
        counters[provider].pingsIgnored += 1;
        return;
      }
      counters[provider].pongs += 1;
      ws.pong(data);
    });
    ws.on('error', () => ws.terminate());
    ws.once('close', () => {
      connections.delete(c);
      counters[provider].open -= 1;
      if (connections.size === 0 && timer !== undefined) {
        clearInterval(timer);
        timer = undefined;
      }
    });
  };

  const matching = (provider?: ProviderName) =>
    [...connections].filter((c) => provider === undefined || c.provider === provider);

  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const first = url.pathname.split('/')[1] ?? '';
      if (!isProviderName(first) || !o.served.has(first) || first === 'alphavantage') return false;
      const provider = first;
      const ok =
        provider === 'yahoo'
          ? url.pathname === '/yahoo/' || url.pathname === '/yahoo'
          : url.pathname === streamPath(provider);
      if (!ok) return false;
      const envelope = url.searchParams.get('version') === '2';
      wss.handleUpgrade(req, socket, head, (ws) => accept(provider, ws, envelope));
      return true;
    },
    faults,
    drop(provider) {
      const list = matching(provider);
      for (const c of list) {
        counters[c.provider].drops += 1;
        c.ws.terminate();
      }
      return list.length;
    },
    open: (provider) => matching(provider).length,
    stats: (provider) => ({ ...counters[provider] }),
    resetStats: () => resetStreamCounters(counters),
    stop() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
      for (const c of connections) c.ws.terminate();
      wss.close();
    },
  };
}
