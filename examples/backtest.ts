// A backtest on real data: SPY daily bars, 2019-06-24 .. 2020-08-28 (the Feb–Mar 2020 crash
// included), replayed through four agents and a weighted consensus, with fees and slippage.
// Prints the report and writes the equity curve as an SVG you can open in a browser.
//   node --import tsx examples/backtest.ts                     # SVG into a fresh temp dir
//   node --import tsx examples/backtest.ts spy-backtest.svg    # SVG to this path
//   node --import tsx examples/backtest.ts --json              # the figures as JSON, for scripts
//   node --import tsx examples/backtest.ts --prices my.json    # another series in the same format
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Bar, createMarketCalendar, ValidationError } from '@stockade/core';
import { type AgentBar, agents, backtest, equityCurveSvg } from '@stockade/signals';
import { z } from 'zod';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    json: { type: 'boolean', default: false },
    prices: {
      type: 'string',
      // The series ships with the repository's evaluation data (provenance inside the file).
      default: fileURLToPath(new URL('../../shared/eval/prices/input_spy_daily_300.json', import.meta.url)),
    },
  },
});
const svgPath = resolve(positionals[0] ?? join(mkdtempSync(join(tmpdir(), 'stockade-backtest-')), 'spy.svg'));

/** The file's layout: one array per field, oldest session first. */
const PriceFile = z
  .object({
    id: z.string(),
    date: z.array(z.string()),
    open: z.array(z.number()),
    high: z.array(z.number()),
    low: z.array(z.number()),
    close: z.array(z.number()),
    volume: z.array(z.number()),
  })
  .refine((f) => [f.open, f.high, f.low, f.close, f.volume].every((a) => a.length === f.date.length), {
    message: 'date, open, high, low, close and volume must have one entry per session',
  });

/** Daily bars stamped at their session's 09:30 New York open; a date the NYSE did not trade is an error. */
function dailyBars(file: z.infer<typeof PriceFile>): AgentBar[] {
  const calendar = createMarketCalendar();
  return file.date.map((date, i) => {
    const open = calendar.sessionBounds(date)?.open;
    if (open === undefined) {
      throw new ValidationError(`${file.id}: ${date} (row ${i}) is not an NYSE trading day`, [
        { path: `date.${i}`, message: 'expected a session date' },
      ]);
    }
    // core's Bar schema checks each row: finite, non-negative prices, high ≥ low.
    return Bar.parse({
      t: open,
      sessionDate: date,
      o: file.open[i],
      h: file.high[i],
      l: file.low[i],
      c: file.close[i],
      v: file.volume[i],
    });
  });
}

const bars = dailyBars(PriceFile.parse(JSON.parse(readFileSync(values.prices, 'utf8'))));
const result = backtest({
  series: { symbol: 'SPY', bars, interval: '1d' },
  agents: [agents.rsi, agents.macdCross, agents.bollingerReversion, agents.donchianBreakout],
  // Trend rules count double the oscillators; a side needs |score| ≥ 0.3 with a quarter of the weight voting.
  consensus: { weights: { rsi: 1, bollingerReversion: 1, macdCross: 2, donchianBreakout: 2 }, threshold: 0.3 },
  fees: 0.0005, // per fill, 5 bp of notional
  slippage: 0.001, // per fill, 10 bp against the trade
  initialEquity: 10_000,
});
writeFileSync(svgPath, equityCurveSvg(result));

const first = bars[0] as AgentBar;
const last = bars[bars.length - 1] as AgentBar;
const pct = (x: number | null) => (x === null ? 'n/a' : `${(x * 100).toFixed(2)}%`);
const num = (x: number | null) => (x === null ? 'n/a' : x.toFixed(2));
const figures = {
  symbol: result.symbol,
  from: first.sessionDate,
  to: last.sessionDate,
  bars: result.bars,
  signals: result.signals,
  trades: result.trades.length,
  winRate: result.winRate,
  profitFactor: result.profitFactor,
  expectancy: result.expectancy,
  sharpe: result.sharpe,
  maxDrawdown: result.maxDrawdown,
  exposure: result.exposure,
  totalReturn: result.totalReturn,
  buyAndHoldReturn: result.buyAndHoldReturn,
  finalEquity: result.equity.at(-1)?.equity ?? null,
  svg: svgPath,
};

if (values.json) {
  console.log(JSON.stringify(figures));
} else {
  console.log(
    `${figures.symbol} ${figures.from} .. ${figures.to}: ${figures.bars} daily bars, ${figures.signals} signals`,
  );
  console.log(`trades          ${figures.trades}`);
  console.log(`win rate        ${pct(figures.winRate)}`);
  console.log(`profit factor   ${num(figures.profitFactor)}`);
  console.log(`expectancy      ${pct(figures.expectancy)} a trade`);
  console.log(`sharpe          ${num(figures.sharpe)}`);
  console.log(`max drawdown    ${pct(figures.maxDrawdown)}`);
  console.log(`exposure        ${pct(figures.exposure)}`);
  console.log(`total return    ${pct(figures.totalReturn)} (buy and hold ${pct(figures.buyAndHoldReturn)})`);
  for (const t of result.trades) {
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    console.log(
      `  ${t.side} ${day(t.entryAt)} @ ${t.entryPrice.toFixed(2)} → ${day(t.exitAt)} @ ${t.exitPrice.toFixed(2)}` +
        `  ${pct(t.return).padStart(8)}${t.exit === 'end' ? '  (open at the end, marked to the close)' : ''}`,
    );
  }
  console.log(`equity curve    ${svgPath}`);
}
