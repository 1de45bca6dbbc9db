import type { MarketDataManager, MarketStreamEvent } from '@stockade/market-data';

/** The last streamed price of one symbol. */
export interface StreamedPrice {
  /** Price of the last trade or quote. */
  price: number;
  /** Its time at the source, epoch ms. */
  at: number;
  /** `stream` from a WebSocket, `poll` from the manager's polling fallback. */
  via: 'stream' | 'poll';
  /** Provider that sent it. */
  provider: string;
}

/** The streamed-prices column of the demo: `md.stream()` read in the background beside the quote cycle. */
export interface StreamPanel {
  /** Symbols asked of `md.stream()`. */
  symbols: readonly string[];
  /** The last streamed price per symbol (absent until one arrived). */
  last(symbol: string): StreamedPrice | undefined;
  /** Events read so far, by type. */
  counts(): Readonly<Record<string, number>>;
  /** The last status event's words (`streaming massive subscribed`), or null before one. */
  status(): string | null;
  /** Ends the stream and waits for its reader to finish. */
  close(): Promise<void>;
}

/**
 * Streams trades and quotes of `symbols` (those a stock socket carries: crypto and FX pairs stay
 * with the quote cycle) while the demo polls, keeping the latest price of each. The demo's view
 * reads it once per cycle; the stream's own health (provider, connected, messages/s) comes from
 * `md.health().stream`.
 */
export function startStreamPanel(md: MarketDataManager, symbols: readonly string[]): StreamPanel {
  const streamed = symbols.filter((s) => !s.includes('-') && !s.includes('='));
  const prices = new Map<string, StreamedPrice>();
  const counts: Record<string, number> = { trade: 0, quote: 0, bar: 0, status: 0 };
  let status: string | null = null;
  const stop = new AbortController();
  const take = (e: MarketStreamEvent) => {
    counts[e.type] = (counts[e.type] ?? 0) + 1;
    if (e.type === 'trade') {
      prices.set(e.trade.symbol, { price: e.trade.price, at: e.trade.t, via: 'stream', provider: e.provider });
    } else if (e.type === 'quote') {
      prices.set(e.quote.symbol, { price: e.quote.price, at: e.quote.asOf, via: e.via, provider: e.provider });
    } else if (e.type === 'status') {
      status = `${e.mode} ${e.provider ?? ''} ${e.status}`.replace(/ +/g, ' ');
    }
  };
  const reading = (async () => {
    for await (const e of md.stream(streamed, { channels: ['trades', 'quotes'], signal: stop.signal })) take(e);
  })().catch((err: unknown) => {
    status = `stream failed: ${(err as Error).message}`;
  });
  return {
    symbols: streamed,
    last: (symbol) => prices.get(symbol),
    counts: () => counts,
    status: () => status,
    async close() {
      stop.abort();
      await reading;
    },
  };
}
