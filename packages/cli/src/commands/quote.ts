import type { QuoteResult, QuoteStrategy } from '@stockade/market-data';
import { choiceArgument, listArgument, symbolsArgument } from '../argument-values.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-line.js';
import { ExitCode } from '../exit-codes.js';
import { withManager } from '../manager-session.js';
import {
  formatChange,
  formatInstant,
  formatPercentChange,
  formatPrice,
  formatQuantity,
  formatRatio,
} from '../output/figures.js';
import type { TableColumn } from '../output/table.js';

const STRATEGIES: readonly QuoteStrategy[] = ['failover', 'hedged', 'consensus'];

const USAGE = `Usage: stockade quote <symbol>... [options]

The latest quote of each symbol, from the best healthy provider.

Options:
  --strategy <s>       failover (default): providers in turn; hedged: ask the next one when the
                       first is slow; consensus: ask every provider and take the median
  --providers <a,b>    only these providers, in this order
  --json               every answer as JSON: { symbol, ok, quote | error, consensus? }
  -h, --help           this text

Exits 1 when a symbol got no quote (the others are still printed).

Examples:
  stockade quote AAPL MSFT BTC-USD
  stockade quote AAPL --strategy consensus --json`;

const COLUMNS: readonly TableColumn[] = [
  { header: 'Symbol' },
  { header: 'Price', align: 'right' },
  { header: 'Change', align: 'right' },
  { header: 'Change %', align: 'right' },
  { header: 'Bid', align: 'right' },
  { header: 'Ask', align: 'right' },
  { header: 'Volume', align: 'right' },
  { header: 'As of (UTC)' },
  { header: 'Session' },
  { header: 'Provider' },
  { header: 'Notes', optional: true },
];

function notes(answer: Extract<QuoteResult, { ok: true }>): string {
  const out: string[] = [];
  if (answer.quote.stale) out.push('stale (last known good)');
  if (answer.quote.delayed) out.push('delayed');
  const c = answer.consensus;
  if (c !== undefined) {
    out.push(`${c.accepted.length} agree (${formatRatio(c.agreement)})`);
    if (c.rejected.length > 0) out.push(`rejected ${c.rejected.map((r) => r.provider).join(', ')}`);
  }
  return out.join('; ');
}

/** `stockade quote AAPL MSFT`: the latest quotes, one row per symbol. */
export const quoteCommand: Command = {
  name: 'quote',
  summary: 'latest quotes: stockade quote AAPL MSFT',
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandLine(
      'quote',
      ctx.argv,
      { strategy: { type: 'string' }, providers: { type: 'string' } },
      { name: 'symbol', min: 1 },
    );
    const symbols = symbolsArgument('quote', positionals);
    const strategy = choiceArgument('quote', 'strategy', values.strategy ?? 'failover', STRATEGIES);
    const providers = values.providers === undefined ? undefined : listArgument(values.providers);
    const answers = await withManager(ctx, (md) =>
      md.quotes(symbols, { strategy, signal: ctx.signal, ...(providers === undefined ? {} : { providers }) }),
    );
    const failed = answers.filter((a) => !a.ok);
    if (ctx.out.json) {
      ctx.out.writeJson(answers.map((a) => (a.ok ? a : { symbol: a.symbol, ok: false, error: a.error.toJSON() })));
    } else {
      const rows = answers.flatMap((a) => {
        if (!a.ok) return [];
        const q = a.quote;
        return [
          [
            q.symbol,
            formatPrice(q.price),
            formatChange(q.change, q.price),
            formatPercentChange(q.changePercent),
            formatPrice(q.bid),
            formatPrice(q.ask),
            formatQuantity(q.volume),
            formatInstant(q.asOf),
            q.marketState,
            q.provider,
            notes(a),
          ],
        ];
      });
      if (rows.length > 0) ctx.out.writeTable(COLUMNS, rows);
    }
    for (const a of failed) if (!a.ok) ctx.stderr.write(`error: ${a.symbol}: ${a.error.message}\n`);
    return failed.length === 0 ? ExitCode.ok : ExitCode.failure;
  },
};
