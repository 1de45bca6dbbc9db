import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Logger } from '@stockade/core';

/** Requests in flight on a server, so a shutdown can wait for them. */
export interface RequestTracker {
  /** Requests being answered now. */
  readonly active: number;
  /** Wraps a handler: counts the request, gives it an AbortSignal, and closes its connection once stopping. */
  wrap(
    handler: (req: IncomingMessage, res: ServerResponse, signal: AbortSignal) => Promise<void>,
  ): (req: IncomingMessage, res: ServerResponse) => void;
  /** Drains `server`; see {@link RequestTracker.drain}. */
  drain(server: Server, options: DrainOptions): Promise<{ drained: boolean }>;
}

/** Options of `drain()`. */
export interface DrainOptions {
  /** Longest wait for in-flight requests, ms; then they are aborted and their connections cut. */
  drainTimeoutMs: number;
  /** Where each step is logged. */
  log: Logger;
}

/**
 * Tracks the requests of one server. `drain()` stops accepting connections (`server.close()`, which
 * also closes idle keep-alive ones), marks every response still to be sent `Connection: close`, and
 * waits for the requests in flight to finish. Past `drainTimeoutMs` it aborts them (their manager
 * calls reject, they answer 503) and cuts every connection left.
 */
export function createRequestTracker(options: { requestTimeoutMs?: number } = {}): RequestTracker {
  const inFlight = new Set<ServerResponse>();
  const lifetime = new AbortController();
  let stopping = false;
  let onIdle: (() => void) | undefined;
  return {
    get active() {
      return inFlight.size;
    },
    wrap(handler) {
      return (req, res) => {
        inFlight.add(res);
        if (stopping) res.setHeader('connection', 'close');
        const client = new AbortController();
        // The client hung up before its answer: stop the upstream work it was waiting for.
        res.on('close', () => {
          if (!res.writableFinished) client.abort(new DOMException('the client went away', 'AbortError'));
        });
        const signals = [lifetime.signal, client.signal];
        if (options.requestTimeoutMs !== undefined) signals.push(AbortSignal.timeout(options.requestTimeoutMs));
        handler(req, res, AbortSignal.any(signals))
          .catch(() => res.destroy())
          .finally(() => {
            inFlight.delete(res);
            if (inFlight.size === 0) onIdle?.();
          });
      };
    },
    async drain(server, { drainTimeoutMs, log }) {
      stopping = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      log.info({ inFlight: inFlight.size }, 'stopped accepting connections; draining in-flight requests');
      for (const res of inFlight) if (!res.headersSent) res.setHeader('connection', 'close');
      const idle = new Promise<void>((resolve) => {
        onIdle = resolve;
        if (inFlight.size === 0) resolve();
      });
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), drainTimeoutMs);
      });
      const outcome = await Promise.race([idle.then(() => 'idle' as const), timedOut]);
      clearTimeout(timer);
      if (outcome === 'timeout') {
        log.warn({ inFlight: inFlight.size, drainTimeoutMs }, 'drain timeout: aborting the requests still in flight');
        lifetime.abort(new DOMException('the service is shutting down', 'AbortError'));
        // The aborted handlers answer 503 at once; whatever still hangs is cut.
        await Promise.race([idle, new Promise((resolve) => setTimeout(resolve, 500))]);
      }
      server.closeAllConnections(); // only keep-alive sockets with nothing in flight are left by now
      await closed;
      log.info({ drained: outcome === 'idle' }, 'every connection closed');
      return { drained: outcome === 'idle' };
    },
  };
}
