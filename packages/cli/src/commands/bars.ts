import { type Adjustment, type Interval, Interval as IntervalSchema } from '@stockade/core';
import { choiceArgument, dateArgument, dateOf, daysBefore, listArgument, symbolsArgument } from '../argument-values.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-line.js';
import { ExitCode } from '../exit-codes.js';
import { withManager } from '../manager-session.js';
import { formatInstant, formatPrice, formatQuantity } from '../output/figures.js';
import type { TableColumn } from '../output/table.js';
import { UsageError } from '../usage-error.js';

const INTERVALS = IntervalSchema.options as readonly Interval[];
const ADJUSTMENTS: readonly Adjustment[] = ['raw', 'split', 'split_dividend'];
const DAILY: ReadonlySet<Interval> = new Set(['1d', '1w', '1mo']);
const ADJUSTED: Readonly<Record<Adjustment, string>> = {
  raw: 'unadjusted',
  split: 'split-adjusted',
  split_dividend: 'split- and dividend-adjusted',
};

const USAGE = `Usage: stockade bars <symbol> [options]

OHLC bars of one symbol, oldest first.

Options:
  --interval <i>       ${INTERVALS.join(', ')} (default 1d)
  --from <date>        first session, YYYY-MM-DD (default 30 days before --to)
  --to <date>          last session, YYYY-MM-DD (default today)
  --adjustment <a>     raw, split or split_dividend (default: the best provider's own)
  --providers <a,b>    only these providers, in this order
  --json               the BarSeries as JSON: { symbol, interval, provider, adjustment, bars: [...] }
  -h, --help           this text

Examples:
  stockade bars AAPL --interval 1d --from 2026-01-01
  stockade bars MSFT --interval 5m --from 2026-03-10 --to 2026-03-10 --json`;

const COLUMNS: readonly TableColumn[] = [
  { header: 'Session' },
  { header: 'Open', align: 'right' },
  { header: 'High', align: 'right' },
  { header: 'Low', align: 'right' },
  { header: 'Close', align: 'right' },
  { header: 'Volume', align: 'right' },
];

/** `stockade bars AAPL --interval 1d --from 2026-01-01`: a symbol's bars as a table or JSON. */
export const barsCommand: Command = {
  name: 'bars',
  summary: 'OHLC bars: stockade bars AAPL --interval 1d --from 2026-01-01',
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandLine(
      'bars',
      ctx.argv,
      {
        interval: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        adjustment: { type: 'string' },
        providers: { type: 'string' },
      },
      { name: 'symbol', min: 1, max: 1 },
    );
    const [symbol] = symbolsArgument('bars', positionals) as [string];
    const interval = choiceArgument('bars', 'interval', values.interval ?? '1d', INTERVALS);
    const to = values.to === undefined ? undefined : dateArgument('bars', 'to', values.to);
    const from =
      values.from === undefined
        ? daysBefore(to ?? dateOf(ctx.clock.now()), 30)
        : dateArgument('bars', 'from', values.from);
    const adjustment =
      values.adjustment === undefined
        ? undefined
        : choiceArgument('bars', 'adjustment', values.adjustment, ADJUSTMENTS);
    if (to !== undefined && from > to) throw new UsageError(`--from ${from} is after --to ${to}`, 'bars', 'from');
    const series = await withManager(ctx, (md) =>
      md.bars(symbol, {
        interval,
        from,
        signal: ctx.signal,
        ...(to === undefined ? {} : { to }),
        ...(adjustment === undefined ? {} : { adjustment }),
        ...(values.providers === undefined ? {} : { providers: listArgument(values.providers) }),
      }),
    );
    if (ctx.out.json) {
      ctx.out.writeJson(series);
      return ExitCode.ok;
    }
    const daily = DAILY.has(interval);
    ctx.out.writeCaption(
      `${series.symbol} ${interval} bars from ${series.provider} (${ADJUSTED[series.adjustment]}), ${series.bars.length} bars${series.truncated ? ', truncated by the provider' : ''}`,
    );
    ctx.out.writeTable(
      daily ? COLUMNS : [{ header: 'Start (UTC)' }, ...COLUMNS.slice(1)],
      series.bars.map((b) => [
        daily ? b.sessionDate : formatInstant(b.t),
        formatPrice(b.o),
        formatPrice(b.h),
        formatPrice(b.l),
        formatPrice(b.c),
        formatQuantity(b.v),
      ]),
    );
    if (series.bars.length === 0) ctx.out.note(`no ${interval} bars for ${series.symbol} from ${from}`);
    return ExitCode.ok;
  },
};
