import { writeFile } from 'node:fs/promises';
import { extname, resolve } from 'node:path';
import { type BacktestResult, backtest, equityCurveSvg } from '@stockade/signals';
import { AGENT_NAMES_HELP, chooseAgents, DEFAULT_AGENTS } from '../agent-choice.js';
import { dateArgument, dateOf, daysBefore, numberArgument, symbolsArgument } from '../argument-values.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-line.js';
import { ExitCode } from '../exit-codes.js';
import { withManager } from '../manager-session.js';
import { errorJson, errorMessage } from '../output/error-report.js';
import { formatDate, formatDecimal, formatPrice, formatQuantity, formatRatio } from '../output/figures.js';
import type { Output } from '../output/output.js';
import { createProgress } from '../output/progress.js';
import { forEachSymbol } from '../per-symbol.js';
import { UsageError } from '../usage-error.js';

const USAGE = `Usage: stockade backtest <symbol>... [options]

Replays daily bars through the agents and the same signal engine as live trading, and trades
the consensus: each signal fills at the next bar's open, with fees and slippage on every fill.

Options:
  --from <date>           first session, YYYY-MM-DD (default 365 days before --to)
  --to <date>             last session, YYYY-MM-DD (default today)
  --agents <a,b>          ${AGENT_NAMES_HELP}
                          (default ${DEFAULT_AGENTS})
  --svg <file>            write the equity curve as SVG; with several symbols, one file each
                          with the symbol added to the name (out.svg → out-SPY.svg)
  --fees <x>              per fill, fraction of the notional (default 0.0005 = 5 bp)
  --slippage <x>          per fill, fraction of the price (default 0.0005)
  --allow-short           let SELL open a short position (default: SELL only closes a long)
  --min-confidence <x>    signals below this are not traded, 0..1 (default 0.2)
  --json                  the results as JSON, equity curve included
  -h, --help              this text

Progress goes to stderr when several symbols are asked. Exits 1 when a symbol could not be
backtested (the others are still reported).

Examples:
  stockade backtest SPY --from 2025-01-01 --to 2025-12-31 --svg spy.svg
  stockade backtest AAPL MSFT NVDA --agents all --json > results.json`;

/** Where the SVG of `symbol` goes: the path itself for one symbol, else the symbol added before the extension. */
export function svgPathFor(path: string, symbol: string, several: boolean): string {
  if (!several) return path;
  const ext = extname(path);
  const safe = symbol.replace(/[^A-Za-z0-9.-]/g, '_');
  return ext === '' ? `${path}-${safe}` : `${path.slice(0, -ext.length)}-${safe}${ext}`;
}

function writeReport(out: Output, results: readonly BacktestResult[]): void {
  out.writeTable(
    [
      { header: 'Symbol' },
      { header: 'Bars', align: 'right' },
      { header: 'Signals', align: 'right' },
      { header: 'Trades', align: 'right' },
      { header: 'Win rate', align: 'right' },
      { header: 'Profit factor', align: 'right' },
      { header: 'Return', align: 'right' },
      { header: 'Buy & hold', align: 'right' },
      { header: 'Sharpe', align: 'right' },
      { header: 'Max drawdown', align: 'right' },
      { header: 'Exposure', align: 'right' },
    ],
    results.map((r) => [
      r.symbol,
      formatQuantity(r.bars),
      formatQuantity(r.signals),
      formatQuantity(r.trades.length),
      formatRatio(r.winRate),
      formatDecimal(r.profitFactor),
      formatRatio(r.totalReturn, { signed: true }),
      formatRatio(r.buyAndHoldReturn, { signed: true }),
      formatDecimal(r.sharpe),
      formatRatio(r.maxDrawdown),
      formatRatio(r.exposure),
    ]),
  );
  const [only] = results;
  if (results.length !== 1 || only === undefined || only.trades.length === 0) return;
  out.writeCaption(`${only.symbol}: ${only.trades.length} trades`);
  out.writeTable(
    [
      { header: 'Side' },
      { header: 'Entry' },
      { header: 'Entry price', align: 'right' },
      { header: 'Exit' },
      { header: 'Exit price', align: 'right' },
      { header: 'Bars', align: 'right' },
      { header: 'Return', align: 'right' },
      { header: 'Closed by' },
    ],
    only.trades.map((t) => [
      t.side,
      formatDate(t.entryAt),
      formatPrice(t.entryPrice),
      formatDate(t.exitAt),
      formatPrice(t.exitPrice),
      formatQuantity(t.bars),
      formatRatio(t.return, { signed: true }),
      t.exit === 'end' ? 'end of data' : 'signal',
    ]),
  );
}

/** `stockade backtest SPY --from 2025-01-01 --to 2025-12-31 [--svg out.svg]`: a backtest report per symbol. */
export const backtestCommand: Command = {
  name: 'backtest',
  summary: 'replay daily bars and trade the consensus: stockade backtest SPY --from 2025-01-01 --svg spy.svg',
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandLine(
      'backtest',
      ctx.argv,
      {
        from: { type: 'string' },
        to: { type: 'string' },
        agents: { type: 'string' },
        svg: { type: 'string' },
        fees: { type: 'string' },
        slippage: { type: 'string' },
        'allow-short': { type: 'boolean' },
        'min-confidence': { type: 'string' },
      },
      { name: 'symbol', min: 1 },
    );
    const symbols = symbolsArgument('backtest', positionals);
    const agents = chooseAgents('backtest', values.agents ?? DEFAULT_AGENTS);
    const to = values.to === undefined ? dateOf(ctx.clock.now()) : dateArgument('backtest', 'to', values.to);
    const from = values.from === undefined ? daysBefore(to, 365) : dateArgument('backtest', 'from', values.from);
    const fraction = (flag: string, value: string | undefined, fallback: string) =>
      numberArgument('backtest', flag, value ?? fallback, { min: 0, max: 0.5 });
    const fees = fraction('fees', values.fees, '0.0005');
    const slippage = fraction('slippage', values.slippage, '0.0005');
    const minConfidence = numberArgument('backtest', 'min-confidence', values['min-confidence'] ?? '0.2', {
      min: 0,
      max: 1,
    });
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`, 'backtest', 'from');
    const svg = values.svg === undefined ? undefined : resolve(ctx.cwd, values.svg);
    const written: string[] = [];
    const outcomes = await withManager(ctx, (md) =>
      forEachSymbol(
        symbols,
        async (symbol) => {
          const series = await md.bars(symbol, { interval: '1d', from, to, signal: ctx.signal });
          const result = backtest({
            series,
            agents,
            fees,
            slippage,
            allowShort: values['allow-short'] ?? false,
            validation: { minConfidence },
          });
          if (svg !== undefined) {
            const path = svgPathFor(svg, result.symbol, symbols.length > 1);
            await writeFile(path, equityCurveSvg(result), { signal: ctx.signal });
            written.push(path);
          }
          return result;
        },
        { progress: createProgress(ctx.stderr, { total: symbols.length, label: 'backtest' }), signal: ctx.signal },
      ),
    );
    if (ctx.out.json) {
      ctx.out.writeJson(
        outcomes.map((o) =>
          o.ok ? { ok: true, ...o.value } : { symbol: o.symbol, ok: false, error: errorJson(o.error) },
        ),
      );
    } else {
      const results = outcomes.flatMap((o) => (o.ok ? [o.value] : []));
      if (results.length > 0) writeReport(ctx.out, results);
    }
    for (const path of written) ctx.out.note(`wrote ${path}`);
    for (const o of outcomes) if (!o.ok) ctx.stderr.write(`error: ${o.symbol}: ${errorMessage(o.error)}\n`);
    return outcomes.every((o) => o.ok) ? ExitCode.ok : ExitCode.failure;
  },
};
