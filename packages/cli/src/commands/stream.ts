import { parseDuration } from '@stockade/core';
import type { MarketStream, MarketStreamEvent } from '@stockade/market-data';
import { listArgument, symbolsArgument } from '../argument-values.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-line.js';
import { ExitCode } from '../exit-codes.js';
import { withManager } from '../manager-session.js';
import { formatPrice, formatQuantity } from '../output/figures.js';
import { UsageError } from '../usage-error.js';

type Channel = MarketStream['channels'][number];

const CHANNELS: readonly Channel[] = ['quotes', 'trades', 'minute_bars', 'second_bars'];
const DEFAULT_CHANNELS = 'quotes,trades,minute_bars';

const USAGE = `Usage: stockade stream <symbol>... [options]

Live events as they arrive: trades, quotes and minute bars from the best streaming provider
(Polygon/Massive or Yahoo over WebSocket), falling back to polling quotes when none can stream.
A slow terminal sees the latest event per symbol and channel (older ones are conflated).

Options:
  --channels <a,b>     any of ${CHANNELS.join(', ')} (default ${DEFAULT_CHANNELS})
  --duration <d>       stop after this long: 30s, 2m, 5000 (ms) (default: until Ctrl-C)
  --json               one JSON object per line per event ({ type: trade | quote | bar | status, ... }),
                       then a { type: 'summary' } line
  -h, --help           this text

Ends cleanly on Ctrl-C or at the end of --duration with a summary: events by type, how many were
conflated, reconnects, and whether the polling fallback was used. Exits 1 when the stream fails.

Examples:
  stockade stream AAPL MSFT
  stockade stream AAPL --channels trades --duration 30s --json`;

/** What `stockade stream` saw, printed when it ends. */
export interface StreamSummary {
  /** Events printed, by type (`trade`, `quote`, `bar`, `status`). */
  events: Record<string, number>;
  /** Events replaced by a newer one before they were printed (latest wins per symbol and channel). */
  conflated: number;
  /** Reconnects of the upstream connection while it ran. */
  reconnects: number;
  /** Whether quotes were polled because no provider could stream, at any point. */
  fallbackUsed: boolean;
  /** Providers that streamed. */
  providers: string[];
}

function channelsArgument(value: string): Channel[] {
  const channels = listArgument(value);
  const unknown = channels.filter((c) => !(CHANNELS as readonly string[]).includes(c));
  if (channels.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--channels must list some of ${CHANNELS.join(', ')}, got ${JSON.stringify(value)}`,
      'stream',
      'channels',
    );
  }
  return [...new Set(channels)] as Channel[];
}

function durationArgument(value: string): number {
  try {
    const ms = parseDuration(value);
    if (ms > 0) return ms;
  } catch {
    // Reworded below as a usage error, with the command's own help.
  }
  throw new UsageError(
    `--duration must be a positive duration such as 30s, 2m or 5000 (ms), got ${JSON.stringify(value)}`,
    'stream',
    'duration',
  );
}

/** `HH:MM:SS.mmm` UTC: events come many per second, so the date would be noise. */
function clockTime(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(11, 23);
}

/** One line of text per event. */
export function formatStreamEvent(e: MarketStreamEvent): string {
  switch (e.type) {
    case 'trade': {
      const t = e.trade;
      return `${clockTime(t.t)}  trade   ${t.symbol.padEnd(8)} ${formatPrice(t.price)} x ${formatQuantity(t.size)}  ${e.provider} ${e.via}`;
    }
    case 'quote': {
      const q = e.quote;
      const book = q.bid == null || q.ask == null ? '' : `  bid ${formatPrice(q.bid)} ask ${formatPrice(q.ask)}`;
      return `${clockTime(q.asOf)}  quote   ${q.symbol.padEnd(8)} ${formatPrice(q.price)}${book}  ${e.provider} ${e.via}`;
    }
    case 'bar': {
      const b = e.bar;
      return `${clockTime(b.t)}  bar ${e.interval} ${e.symbol.padEnd(8)} o ${formatPrice(b.o)} h ${formatPrice(b.h)} l ${formatPrice(b.l)} c ${formatPrice(b.c)} v ${formatQuantity(b.v)}  ${e.provider} ${e.via}`;
    }
    case 'status':
      return `${clockTime(e.at)}  status  ${e.mode} ${e.provider ?? '-'} ${e.status}${e.detail === '' ? '' : `: ${e.detail}`}`;
  }
}

/** `stockade stream AAPL MSFT`: live events, one line each, until Ctrl-C or --duration. */
export const streamCommand: Command = {
  name: 'stream',
  summary: 'live trades, quotes and bars: stockade stream AAPL MSFT [--duration 30s]',
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandLine(
      'stream',
      ctx.argv,
      { channels: { type: 'string' }, duration: { type: 'string' } },
      { name: 'symbol', min: 1 },
    );
    const symbols = symbolsArgument('stream', positionals);
    const channels = channelsArgument(values.channels ?? DEFAULT_CHANNELS);
    const durationMs = values.duration === undefined ? undefined : durationArgument(values.duration);
    const stop = new AbortController();
    const onInterrupt = () => stop.abort(ctx.signal.reason);
    if (ctx.signal.aborted) onInterrupt();
    else ctx.signal.addEventListener('abort', onInterrupt, { once: true });
    const timer = durationMs === undefined ? undefined : setTimeout(() => stop.abort(), durationMs);
    timer?.unref();
    try {
      const summary = await withManager(ctx, async (md) => {
        const reconnectsBefore = (await md.health({ level: 1 })).stream?.reconnects ?? 0;
        const events: Record<string, number> = { trade: 0, quote: 0, bar: 0, status: 0 };
        const providers = new Set<string>();
        let fallbackUsed = false;
        const stream = md.stream(symbols, { channels, signal: stop.signal });
        for await (const e of stream) {
          events[e.type] = (events[e.type] ?? 0) + 1;
          if (e.type === 'status') {
            if (e.mode === 'polling') fallbackUsed = true;
            if (e.mode === 'streaming' && e.provider !== null) providers.add(e.provider);
          }
          ctx.out.writeLine(ctx.out.json ? JSON.stringify(e) : formatStreamEvent(e));
        }
        const health = (await md.health({ level: 1 })).stream;
        const out: StreamSummary = {
          events,
          conflated: stream.stats().conflated,
          reconnects: (health?.reconnects ?? 0) - reconnectsBefore,
          fallbackUsed,
          providers: [...providers],
        };
        return out;
      });
      if (ctx.out.json) {
        ctx.out.writeLine(JSON.stringify({ type: 'summary', ...summary }));
      } else {
        const total = Object.values(summary.events).reduce((n, x) => n + x, 0);
        const byType = Object.entries(summary.events)
          .map(([type, n]) => `${type} ${n}`)
          .join(', ');
        ctx.out.writeLine(
          `summary: ${total} events (${byType}); conflated ${summary.conflated}; reconnects ${summary.reconnects}; ` +
            `fallback used: ${summary.fallbackUsed ? 'yes' : 'no'}; streamed by: ${summary.providers.join(', ') || '-'}`,
        );
      }
      return ExitCode.ok;
    } finally {
      if (timer !== undefined) clearTimeout(timer);
      ctx.signal.removeEventListener('abort', onInterrupt);
    }
  },
};
