import { ProviderError } from '@stockade/core';
import { reconnectBackoff } from './backoff.js';
import { openSocketLink, type SocketLink } from './socket-link.js';
import type { LiveStreamSettings, StreamContext, StreamProtocol } from './stream-protocol.js';
import { createStreamCounters } from './stream-stats.js';
import { createSubscriptionBook, type Subscription } from './subscription-book.js';
import type {
  ProviderStream,
  StreamChannel,
  StreamEvent,
  StreamListener,
  StreamStatus,
  SubscriptionChange,
} from './types.js';

const CLOSE_WAIT_MS = 1_000;

/**
 * Runs a {@link StreamProtocol} over undici WebSocket connections: subscriptions kept across
 * reconnects, ping/pong dead-connection detection, jittered reconnects, status and error events.
 */
export function createLiveStream(protocol: StreamProtocol, s: LiveStreamSettings): ProviderStream {
  const { provider, clock } = s;
  const book = createSubscriptionBook();
  const counters = createStreamCounters(provider);
  const backoff = reconnectBackoff(s.initialDelayMs, s.maxDelayMs, s.random);
  const listeners = new Set<StreamListener>();
  let status: StreamStatus = 'connecting';
  let link: SocketLink | undefined;
  let ready = false;
  let authenticated = false;
  let connections = 0;
  let closing = false;
  let alive = false;
  let silentMs = 0;
  let sincePing = 0;
  let heartbeat: NodeJS.Timeout | undefined;
  let reconnectTimer: NodeJS.Timeout | undefined;
  const connectionTimers = new Set<NodeJS.Timeout>();
  let closedPromise: Promise<void> | undefined;
  let closingLink: SocketLink | undefined;
  let closingDone: (() => void) | undefined;
  const checkEveryMs = Math.max(5, Math.floor(s.pingIntervalMs / 4));

  const emit = (event: StreamEvent) => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch {
        // A throwing listener must not break the socket loop or the other listeners.
      }
    }
  };
  const setStatus = (next: StreamStatus, detail: string) => {
    status = next;
    emit({ type: 'status', provider, status: next, detail, at: clock.now() });
  };
  const emitError = (error: ProviderError, fatal: boolean) =>
    emit({ type: 'error', provider, error, fatal, at: clock.now() });

  const endConnection = () => {
    if (heartbeat !== undefined) clearInterval(heartbeat);
    heartbeat = undefined;
    for (const t of connectionTimers) clearTimeout(t);
    connectionTimers.clear();
    ready = false;
    authenticated = false;
  };

  const ctx: StreamContext = {
    provider,
    clock,
    stamps: s.stamps,
    book,
    get connection() {
      return connections;
    },
    send: (text) => link?.send(text) ?? false,
    data(event, receivedAt, sourceAt) {
      counters.message(receivedAt, sourceAt);
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // See emit().
        }
      }
    },
    duplicate: () => counters.duplicate(),
    decodeError(error) {
      counters.decodeError();
      emitError(error, false);
    },
    report: (error) => emitError(error, false),
    authenticated(detail) {
      authenticated = true;
      setStatus('authenticated', detail);
      becomeReady();
    },
    subscribed(detail) {
      backoff.reset();
      if (status !== 'subscribed') setStatus('subscribed', detail);
    },
    fatal(error) {
      if (closing) return;
      emitError(error, true);
      shutDown(error.message);
    },
    retry(error) {
      if (closing || link === undefined) return;
      emitError(error, false);
      const dying = link;
      link = undefined;
      endConnection();
      dying.terminate();
      scheduleReconnect(error.message);
    },
    connectionTimer(ms, fn) {
      const t = setTimeout(() => {
        connectionTimers.delete(t);
        fn();
      }, ms);
      t.unref();
      connectionTimers.add(t);
    },
  };

  function becomeReady() {
    ready = true;
    const pairs = book.all();
    if (pairs.length === 0) ctx.subscribed('no subscriptions yet');
    else protocol.subscribe(pairs, ctx);
  }

  function onHeartbeat() {
    sincePing += checkEveryMs;
    if (sincePing >= s.pingIntervalMs) {
      sincePing = 0;
      link?.ping();
    }
    if (alive) {
      alive = false;
      silentMs = 0;
    } else {
      silentMs += checkEveryMs;
      if (silentMs >= s.deadAfterMs) {
        ctx.retry(
          new ProviderError(`no pong and no frame for ${silentMs} ms: the connection is dead`, {
            provider,
            kind: 'timeout',
            operation: 'stream',
          }),
        );
        return;
      }
    }
    if (ready) protocol.tick?.(checkEveryMs, ctx);
  }

  function connect() {
    reconnectTimer = undefined;
    if (closing) return;
    connections += 1;
    if (connections > 1) counters.reconnect();
    const mine = openSocketLink(
      s.url,
      {
        onOpen() {
          if (link !== mine) return;
          alive = true;
          silentMs = 0;
          sincePing = 0;
          heartbeat = setInterval(onHeartbeat, checkEveryMs);
          heartbeat.unref();
          setStatus('connected', `connected to ${redactedUrl(s.url)}`);
          protocol.open(ctx);
          if (!protocol.needsAuth) becomeReady();
        },
        onFrame(data) {
          if (link !== mine) return;
          alive = true;
          counters.frame();
          protocol.frame(data, ctx, clock.now(), s.stamps ? process.hrtime.bigint() : 0n);
        },
        onPong() {
          if (link === mine) alive = true;
        },
        onClose(code, reason, error) {
          if (mine === closingLink) closingDone?.();
          if (link !== mine) return;
          link = undefined;
          endConnection();
          if (closing) return;
          const detail = `connection closed (${code}${reason === '' ? '' : ` ${reason}`})`;
          emitError(
            new ProviderError(detail, { provider, kind: 'transient', operation: 'stream', cause: error }),
            false,
          );
          scheduleReconnect(detail);
        },
      },
      { headers: protocol.headers },
    );
    link = mine;
  }

  function scheduleReconnect(why: string) {
    if (closing) return;
    if (backoff.attempts >= s.maxAttempts) {
      const error = new ProviderError(`gave up after ${backoff.attempts} reconnects in a row: ${why}`, {
        provider,
        kind: 'unavailable',
        operation: 'stream',
      });
      emitError(error, true);
      shutDown(error.message);
      return;
    }
    const delay = backoff.next();
    setStatus('reconnecting', `${why}; reconnect ${backoff.attempts} in ${delay} ms`);
    reconnectTimer = setTimeout(connect, delay);
    reconnectTimer.unref();
  }

  function shutDown(detail: string): Promise<void> {
    if (closedPromise !== undefined) return closedPromise;
    closing = true;
    if (reconnectTimer !== undefined) clearTimeout(reconnectTimer);
    s.signal?.removeEventListener('abort', onAbort);
    const last = link;
    link = undefined;
    endConnection();
    closedPromise = new Promise<void>((resolve) => {
      if (last === undefined || !last.open) {
        last?.terminate();
        resolve();
        return;
      }
      // A polite close first; a peer that does not answer within CLOSE_WAIT_MS is cut off.
      const t = setTimeout(() => {
        last.terminate();
        resolve();
      }, CLOSE_WAIT_MS);
      t.unref();
      closingLink = last;
      closingDone = () => {
        clearTimeout(t);
        resolve();
      };
      last.close(1000, 'client closing');
    });
    setStatus('closed', detail);
    s.onClosed?.();
    return closedPromise;
  }

  const onAbort = () => {
    shutDown('aborted').catch(() => {});
  };

  function change(
    symbols: readonly string[],
    channels: readonly StreamChannel[] | undefined,
    adding: boolean,
  ): SubscriptionChange {
    const out: SubscriptionChange = { accepted: [], rejected: [] };
    const wanted = channels ?? (adding ? protocol.defaultChannels : protocol.channels);
    const unsupported = wanted.filter((c) => !protocol.channels.includes(c));
    const usable = wanted.filter((c) => protocol.channels.includes(c));
    const pairs: Subscription[] = [];
    for (const raw of symbols) {
      const planned = protocol.plan(raw);
      if (planned instanceof ProviderError) {
        out.rejected.push({ symbol: String(raw), error: planned });
        continue;
      }
      const { symbol, native } = planned;
      if (adding && unsupported.length > 0) {
        out.rejected.push({
          symbol,
          error: new ProviderError(
            `cannot stream ${unsupported.join(', ')}; its stream carries ${protocol.channels.join(', ')}`,
            { provider, kind: 'unavailable', retryable: false, operation: 'stream', symbols: [symbol] },
          ),
        });
        if (usable.length === 0) continue;
      }
      out.accepted.push(symbol);
      for (const channel of usable) {
        if (adding ? book.add(channel, symbol, native) : book.remove(channel, symbol) !== undefined) {
          pairs.push({ channel, symbol, native });
        }
      }
    }
    if (ready && pairs.length > 0 && !closing) {
      if (adding) protocol.subscribe(pairs, ctx);
      else protocol.unsubscribe(pairs, ctx);
    }
    return out;
  }

  if (s.signal?.aborted) {
    closing = true;
    status = 'closed';
  } else {
    s.signal?.addEventListener('abort', onAbort, { once: true });
    queueMicrotask(() => {
      if (closing) return;
      setStatus('connecting', `connecting to ${redactedUrl(s.url)}`);
      connect();
    });
  }

  return {
    provider,
    channels: protocol.channels,
    subscribe: (symbols, channels) => change(symbols, channels, true),
    unsubscribe: (symbols, channels) => change(symbols, channels, false),
    subscriptions: (channel) => book.symbols(channel),
    on(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    stats: () =>
      counters.snapshot(clock.now(), {
        status,
        connected: link?.open ?? false,
        authenticated: protocol.needsAuth ? authenticated : (link?.open ?? false),
        subscribed: book.size,
      }),
    close: () => shutDown('closed by the client'),
  };
}

/** A URL fit for a status message: no query string (Polygon keys never travel there, but others might). */
function redactedUrl(url: string): string {
  const q = url.indexOf('?');
  return q === -1 ? url : `${url.slice(0, q)}?…`;
}
