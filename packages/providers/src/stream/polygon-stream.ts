import { type Clock, keyLocationsHint, ProviderError } from '@stockade/core';
import type { KeySource } from '../key-source.js';
import type { SessionCalendar } from '../provider.js';
import { symbolInfoOrNull } from '../symbols/dialect.js';
import { polygonDialect } from '../symbols/polygon-dialect.js';
import { createLiveStream } from './live-stream.js';
import { aggregateTime, barEvent, type PolygonEventContext, quoteEvent, tradeEvent } from './polygon-events.js';
import { decodePolygonFrame, type PolygonMessage, type PolygonStatusMessage } from './polygon-frames.js';
import { resolveStreamOptions } from './stream-options.js';
import type { StreamContext, StreamProtocol } from './stream-protocol.js';
import type { Subscription } from './subscription-book.js';
import type { ProviderStream, StreamChannel, StreamingCapabilities, StreamOptions, StreamStamps } from './types.js';

/** What the Polygon / Massive adapter hands its streams. */
export interface PolygonStreamSetup {
  /** Provider name (`polygon` or `massive`). */
  name: 'polygon' | 'massive';
  /** Where the key comes from (sent only inside the `auth` message). */
  keys: KeySource;
  /** The adapter's clock. */
  clock: Clock;
  /** The adapter's calendar (a quote's session). */
  calendar: SessionCalendar;
}

const HOSTS = { polygon: 'polygon.io', massive: 'massive.com' } as const;
const PREFIX: Readonly<Record<StreamChannel, string>> = {
  trades: 'T',
  quotes: 'Q',
  minute_bars: 'AM',
  second_bars: 'A',
};
const PARAMS_PER_MESSAGE = 1_000;

/** The streaming capabilities of Polygon and Massive (stocks cluster). */
export const POLYGON_STREAMING: StreamingCapabilities = Object.freeze({
  channels: Object.freeze(['trades', 'quotes', 'minute_bars', 'second_bars'] as StreamChannel[]),
  assetClasses: Object.freeze(['equity', 'etf']),
  maxConnections: 1,
  note: 'Stocks cluster. One connection per cluster per key by default (max_connections beyond it). Trades need Developer (15-minute delayed) or Advanced (real-time); aggregates Starter (delayed) or Advanced; quotes are real-time only. No replay after a reconnect.',
});

/**
 * Opens a stream on the Polygon / Massive stocks WebSocket: `auth` with the key, `T.`/`Q.`/`AM.`/`A.`
 * subscriptions (one `success` status per parameter), JSON-array frames. `auth_failed` and
 * `max_connections` close the stream with an error instead of reconnecting.
 */
export function openPolygonStream(setup: PolygonStreamSetup, options?: StreamOptions): ProviderStream {
  const { name, keys, calendar } = setup;
  const feed = options?.feed ?? 'realtime';
  const host = `${feed === 'delayed' ? 'delayed' : 'socket'}.${HOSTS[name]}`;
  const settings = resolveStreamOptions(name, options, {
    url: `wss://${host}/stocks`,
    pingIntervalMs: 25_000,
    clock: setup.clock,
  });
  const authTimeoutMs = options?.authTimeoutMs ?? 10_000;
  const delayed = feed === 'delayed';
  // Per connection.
  let pendingAcks = 0;
  // Per stream: the last identity seen per ticker, to drop re-sent events; last trade price per ticker.
  const lastTrade = new Map<string, { q: number | undefined; i: string | undefined; t: number | undefined }>();
  const lastQuote = new Map<string, { q: number | undefined; t: number | undefined }>();
  const lastPrice = new Map<string, number>();

  const send = (action: 'subscribe' | 'unsubscribe', pairs: readonly Subscription[], ctx: StreamContext) => {
    const params = pairs.map((p) => `${PREFIX[p.channel]}.${p.native}`);
    for (let i = 0; i < params.length; i += PARAMS_PER_MESSAGE) {
      const chunk = params.slice(i, i + PARAMS_PER_MESSAGE);
      if (action === 'subscribe') pendingAcks += chunk.length;
      ctx.send(JSON.stringify({ action, params: chunk.join(',') }));
    }
  };

  const onStatus = (m: PolygonStatusMessage, ctx: StreamContext) => {
    const said = m.message === '' ? m.status : `${m.status}: ${m.message}`;
    switch (m.status) {
      case 'connected':
        return;
      case 'auth_success':
        ctx.authenticated(said);
        return;
      case 'auth_failed':
        ctx.fatal(
          new ProviderError(
            `the stream refused the key (${said}); the key is wrong or its plan does not include this feed (${feed}; a delayed-only plan needs feed: 'delayed'); ${keyLocationsHint(name)}`,
            { provider: name, kind: 'auth', retryable: false, operation: 'stream' },
          ),
        );
        return;
      case 'auth_timeout':
        ctx.retry(new ProviderError(`the server timed out waiting for auth (${said})`, errorFields('timeout')));
        return;
      case 'max_connections':
        ctx.fatal(
          new ProviderError(
            `too many connections for this key (${said}); the plan allows ${POLYGON_STREAMING.maxConnections} stream per cluster: close the other stream (another process?) or buy more connections`,
            { ...errorFields('unavailable'), retryable: false },
          ),
        );
        return;
      case 'success':
        if (/^subscribed to/i.test(m.message) && pendingAcks > 0 && --pendingAcks === 0) ctx.subscribed(said);
        return;
      case 'force_disconnect':
      case 'slow_consumer':
        ctx.retry(new ProviderError(`the server disconnected this stream (${said})`, errorFields('transient')));
        return;
      default:
        ctx.report(new ProviderError(`the stream said ${said}`, { ...errorFields('bad_request'), retryable: false }));
    }
  };

  const errorFields = (kind: ProviderError['kind']) => ({ provider: name, kind, operation: 'stream' });

  const onData = (m: PolygonMessage, ctx: StreamContext, receivedAt: number, receivedHr: bigint) => {
    const sym = (m as { sym?: string }).sym;
    if (sym === undefined) return;
    const symbol = ctx.book.canonicalOf(sym);
    // Events for tickers no longer wanted (sent before an unsubscribe landed) are dropped.
    if (symbol === undefined) return;
    let stamps: StreamStamps | undefined;
    if (ctx.stamps) {
      stamps = { receivedHr };
      const hr = (m as { hr?: string }).hr;
      if (hr !== undefined && /^\d{1,20}$/.test(hr)) stamps.sentHr = BigInt(hr);
    }
    const ec: PolygonEventContext = {
      provider: name,
      symbol,
      receivedAt,
      stamps,
      delayed,
      calendar,
      lastTradePrice: lastPrice.get(sym),
    };
    if (m.ev === 'T') {
      const t = m as Extract<PolygonMessage, { ev: 'T' }>;
      const seen = lastTrade.get(sym);
      // Polygon repeats sequence numbers across distinct trades (different ids); a repeat is the same q, id and time.
      if (seen !== undefined && t.q !== undefined && seen.q === t.q && seen.i === t.i && seen.t === t.t) {
        ctx.duplicate();
        return;
      }
      const event = tradeEvent(t, ec);
      if (event === undefined) return invalidEvent(ctx, `a T event of ${sym} without a usable price or size`);
      if (seen === undefined) lastTrade.set(sym, { q: t.q, i: t.i, t: t.t });
      else {
        seen.q = t.q;
        seen.i = t.i;
        seen.t = t.t;
      }
      lastPrice.set(sym, event.trade.price);
      ctx.data(event, receivedAt, event.trade.t);
    } else if (m.ev === 'Q') {
      const q = m as Extract<PolygonMessage, { ev: 'Q' }>;
      const seen = lastQuote.get(sym);
      if (seen !== undefined && q.q !== undefined && seen.q === q.q && seen.t === q.t) {
        ctx.duplicate();
        return;
      }
      const event = quoteEvent(q, ec);
      if (event === undefined) return invalidEvent(ctx, `a Q event of ${sym} without a bid or ask price`);
      if (seen === undefined) lastQuote.set(sym, { q: q.q, t: q.t });
      else {
        seen.q = q.q;
        seen.t = q.t;
      }
      ctx.data(event, receivedAt, event.quote.asOf);
    } else if (m.ev === 'AM' || m.ev === 'A') {
      const a = m as Extract<PolygonMessage, { ev: 'AM' | 'A' }>;
      const event = barEvent(a, ec);
      if (event === undefined) return invalidEvent(ctx, `an ${m.ev} event of ${sym} without a complete OHLC`);
      ctx.data(event, receivedAt, aggregateTime(a) ?? receivedAt);
    }
  };

  const invalidEvent = (ctx: StreamContext, why: string) =>
    ctx.decodeError(new ProviderError(why, errorFields('bad_response')));

  const protocol: StreamProtocol = {
    channels: POLYGON_STREAMING.channels,
    defaultChannels: ['trades', 'quotes'],
    needsAuth: true,
    plan(raw) {
      const info = typeof raw === 'string' ? symbolInfoOrNull(raw) : null;
      if (info === null) {
        return new ProviderError(`${JSON.stringify(raw)} is not a symbol (expected e.g. AAPL, BRK.B)`, {
          ...errorFields('bad_request'),
          retryable: false,
        });
      }
      const native = polygonDialect.toProvider(info.symbol);
      if (native === null || native.includes(':')) {
        return new ProviderError(
          `${info.symbol} is not streamed: the stocks cluster carries US equities and ETFs only`,
          { ...errorFields('unavailable'), retryable: false, symbols: [info.symbol] },
        );
      }
      return { symbol: info.symbol, native };
    },
    open(ctx) {
      pendingAcks = 0;
      ctx.connectionTimer(authTimeoutMs, () =>
        ctx.retry(new ProviderError(`no answer to auth within ${authTimeoutMs} ms`, errorFields('timeout'))),
      );
      const connection = ctx.connection;
      keys.get(settings.signal).then(
        // The key travels only inside this message; it is registered as a secret by the key source.
        (key) => {
          if (ctx.connection === connection) ctx.send(JSON.stringify({ action: 'auth', params: key }));
        },
        (err: unknown) =>
          ctx.fatal(
            err instanceof ProviderError
              ? err
              : new ProviderError('no API key could be read', { ...errorFields('auth'), retryable: false, cause: err }),
          ),
      );
    },
    frame(data, ctx, receivedAt, receivedHr) {
      let frame: ReturnType<typeof decodePolygonFrame>;
      try {
        frame = decodePolygonFrame(typeof data === 'string' ? data : Buffer.from(data).toString('utf8'), name);
      } catch (err) {
        ctx.decodeError(err as ProviderError);
        return;
      }
      for (const m of frame.messages) {
        if (m.ev === 'status') onStatus(m as PolygonStatusMessage, ctx);
        else onData(m, ctx, receivedAt, receivedHr);
      }
      if (frame.invalid.length > 0) {
        ctx.decodeError(
          new ProviderError(
            `skipped ${frame.invalid.length} malformed events: ${frame.invalid[0]}`,
            errorFields('bad_response'),
          ),
        );
      }
    },
    subscribe: (pairs, ctx) => send('subscribe', pairs, ctx),
    unsubscribe: (pairs, ctx) => send('unsubscribe', pairs, ctx),
  };
  return createLiveStream(protocol, settings);
}
