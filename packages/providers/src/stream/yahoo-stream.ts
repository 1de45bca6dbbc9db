import { type Clock, ProviderError, parseSymbol } from '@stockade/core';
import type { SessionCalendar } from '../provider.js';
import { symbolInfoOrNull } from '../symbols/dialect.js';
import { yahooDialect } from '../symbols/yahoo-dialect.js';
import { createLiveStream } from './live-stream.js';
import { resolveStreamOptions } from './stream-options.js';
import type { StreamContext, StreamProtocol } from './stream-protocol.js';
import type { Subscription } from './subscription-book.js';
import type { ProviderStream, StreamChannel, StreamingCapabilities, StreamOptions, StreamQuoteEvent } from './types.js';
import { decodeYahooFrame } from './yahoo-frames.js';
import type { PricingData } from './yahoo-pricing.js';
import { mergePricing, quoteFromPricing } from './yahoo-quote.js';

/** What the Yahoo adapter hands its streams. */
export interface YahooStreamSetup {
  /** The adapter's clock. */
  clock: Clock;
  /** The adapter's calendar. */
  calendar: SessionCalendar;
  /** `User-Agent` of the handshake. */
  userAgent: string;
}

/** The streaming capabilities of Yahoo. */
export const YAHOO_STREAMING: StreamingCapabilities = Object.freeze({
  channels: Object.freeze(['quotes'] as StreamChannel[]),
  assetClasses: Object.freeze(['equity', 'etf', 'index', 'crypto', 'fx']),
  note: 'Undocumented streamer (wss://streamer.finance.yahoo.com): no key, no acknowledgement, pricing updates only (no trades or bars); sends only changed fields; silent closes after ~20 minutes are reported, hence the periodic resubscribe.',
});

/**
 * Opens a stream on Yahoo's streamer: `{"subscribe":[…]}` (re-sent every `resubscribeIntervalMs`
 * as Yahoo's keepalive), frames holding a protobuf `PricingData`, merged per symbol into full
 * quotes because Yahoo sends only the fields that changed.
 */
export function openYahooStream(setup: YahooStreamSetup, options?: StreamOptions): ProviderStream {
  const provider = 'yahoo';
  const settings = resolveStreamOptions(provider, options, {
    url: 'wss://streamer.finance.yahoo.com/?version=2',
    pingIntervalMs: 15_000,
    clock: setup.clock,
  });
  const resubscribeMs = options?.resubscribeIntervalMs ?? 15_000;
  const known = new Map<string, PricingData>();
  const currencies = new Map<string, string>();
  let sinceResubscribe = 0;

  const sendList = (key: 'subscribe' | 'unsubscribe', natives: readonly string[], ctx: StreamContext) => {
    if (natives.length > 0) ctx.send(JSON.stringify({ [key]: natives }));
  };

  const protocol: StreamProtocol = {
    channels: YAHOO_STREAMING.channels,
    defaultChannels: ['quotes'],
    needsAuth: false,
    headers: { origin: 'https://finance.yahoo.com', 'user-agent': setup.userAgent },
    plan(raw) {
      const info = typeof raw === 'string' ? symbolInfoOrNull(raw) : null;
      const native = info === null ? null : yahooDialect.toProvider(info.symbol);
      if (info === null || native === null) {
        return new ProviderError(`${JSON.stringify(raw)} is not a symbol (expected e.g. AAPL, BTC-USD, ^GSPC)`, {
          provider,
          kind: 'bad_request',
          retryable: false,
          operation: 'stream',
        });
      }
      return { symbol: info.symbol, native };
    },
    open() {
      sinceResubscribe = 0;
    },
    frame(data, ctx, receivedAt, receivedHr) {
      let frame: ReturnType<typeof decodeYahooFrame>;
      try {
        frame = decodeYahooFrame(data, provider);
      } catch (err) {
        ctx.decodeError(err as ProviderError);
        return;
      }
      if (frame === null) return;
      const { pricing } = frame;
      const symbol = ctx.book.canonicalOf(pricing.id);
      if (symbol === undefined) return;
      const merged = mergePricing(known.get(pricing.id), pricing);
      known.set(pricing.id, merged);
      let currency = currencies.get(symbol);
      if (currency === undefined) {
        currency = parseSymbol(symbol).quoteCurrency ?? 'USD';
        currencies.set(symbol, currency);
      }
      const quote = quoteFromPricing(merged, { provider, symbol, currency, receivedAt, calendar: setup.calendar });
      if (quote === undefined) return;
      const event: StreamQuoteEvent = { type: 'quote', quote };
      if (ctx.stamps) {
        event.stamps = { receivedHr };
        if (frame.hr !== undefined && /^\d{1,20}$/.test(frame.hr)) event.stamps.sentHr = BigInt(frame.hr);
      }
      ctx.data(event, receivedAt, quote.asOf);
    },
    subscribe(pairs: readonly Subscription[], ctx) {
      sendList(
        'subscribe',
        pairs.map((p) => p.native),
        ctx,
      );
      ctx.subscribed(`subscribed ${ctx.book.size} symbols`);
    },
    unsubscribe(pairs, ctx) {
      for (const p of pairs) known.delete(p.native);
      sendList(
        'unsubscribe',
        pairs.map((p) => p.native),
        ctx,
      );
    },
    tick(elapsedMs, ctx) {
      sinceResubscribe += elapsedMs;
      if (sinceResubscribe < resubscribeMs) return;
      sinceResubscribe = 0;
      sendList(
        'subscribe',
        ctx.book.all().map((p) => p.native),
        ctx,
      );
    },
  };
  return createLiveStream(protocol, settings);
}
