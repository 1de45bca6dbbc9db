import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BacktestResult } from '@stockade/signals';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../captured-io.test-support.js';
import { svgPathFor } from './backtest.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.stop());

const FROM = '2025-01-02';
const TO = '2025-12-31';

describe('stockade backtest', () => {
  it('replays the bars the provider serves and fills each trade at the next open, slippage included', async () => {
    const barsRun = await runCaptured(['bars', 'SPY', '--from', FROM, '--to', TO, '--json', '--simulator', sim.origin]);
    const bars = (JSON.parse(barsRun.stdout) as { bars: Array<{ t: number; o: number; c: number }> }).bars;
    const run = await runCaptured(['backtest', 'SPY', '--from', FROM, '--to', TO, '--json', '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const [result] = JSON.parse(run.stdout) as Array<BacktestResult & { ok: boolean }>;
    expect(result?.ok).toBe(true);
    expect(result?.bars).toBe(bars.length);
    expect(result?.buyAndHoldReturn).toBeCloseTo((bars.at(-1)?.c as number) / (bars[0]?.o as number) - 1, 12);
    expect(result?.trades.length).toBeGreaterThan(0);
    const openAt = new Map(bars.map((b) => [b.t, b.o]));
    for (const trade of result?.trades ?? []) {
      expect(trade.side).toBe('long');
      expect(trade.entryPrice).toBeCloseTo((openAt.get(trade.entryAt) as number) * 1.0005, 9);
      if (trade.exit === 'signal')
        expect(trade.exitPrice).toBeCloseTo((openAt.get(trade.exitAt) as number) * 0.9995, 9);
    }
  });

  it('prints the report and the trades of one symbol', async () => {
    const json = await runCaptured([
      'backtest',
      'AAPL',
      '--from',
      FROM,
      '--to',
      TO,
      '--json',
      '--simulator',
      sim.origin,
    ]);
    const [first] = JSON.parse(json.stdout) as BacktestResult[];
    expect(first).toBeDefined();
    const result = first as BacktestResult;
    const run = await runCaptured(['backtest', 'AAPL', '--from', FROM, '--to', TO, '--simulator', sim.origin]);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^Symbol +Bars +Signals +Trades +Win rate +Profit factor +Return +Buy & hold +Sharpe +Max drawdown +Exposure$/,
    );
    const pct = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
    expect(lines[1]?.split(/ +/)).toEqual([
      'AAPL',
      String(result.bars),
      String(result.signals),
      String(result.trades.length),
      `${((result.winRate as number) * 100).toFixed(1)}%`,
      result.profitFactor === null ? '-' : (result.profitFactor as number).toFixed(2),
      pct(result.totalReturn as number),
      pct(result.buyAndHoldReturn as number),
      (result.sharpe as number).toFixed(2),
      `${((result.maxDrawdown as number) * 100).toFixed(1)}%`,
      `${((result.exposure as number) * 100).toFixed(1)}%`,
    ]);
    expect(lines[2]).toMatch(/^Side +Entry +Entry price +Exit +Exit price +Bars +Return +Closed by$/);
    expect(lines.length - 3).toBe(result.trades.length);
  });

  it('writes an SVG per symbol and shows progress when several symbols are asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stockade-cli-backtest-'));
    const run = await runCaptured(
      ['backtest', 'SPY', 'AAPL', '--from', FROM, '--to', TO, '--svg', 'equity.svg', '--simulator', sim.origin],
      { cwd: dir },
    );
    expect(run.code).toBe(0);
    const stderr = run.stderr.trimEnd().split('\n');
    expect(stderr.filter((l) => /^backtest [12]\/2 (SPY|AAPL)$/.test(l))).toHaveLength(2);
    for (const symbol of ['SPY', 'AAPL']) {
      const path = join(dir, `equity-${symbol}.svg`);
      expect(stderr).toContain(`wrote ${path}`);
      const svg = readFileSync(path, 'utf8');
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg).toContain(`${symbol} backtest: equity vs buy and hold`);
    }
    expect(existsSync(join(dir, 'equity.svg'))).toBe(false);
    expect(run.stdout.split('\n').filter((l) => /^(SPY|AAPL) /.test(l))).toHaveLength(2);
  });

  it('names the SVG of each symbol after it, in a form a file system accepts', () => {
    expect(svgPathFor('/tmp/out.svg', 'SPY', false)).toBe('/tmp/out.svg');
    expect(svgPathFor('/tmp/out.svg', 'BTC-USD', true)).toBe('/tmp/out-BTC-USD.svg');
    expect(svgPathFor('/tmp/out.svg', '^GSPC', true)).toBe('/tmp/out-_GSPC.svg');
    expect(svgPathFor('/tmp/chart', 'EURUSD=X', true)).toBe('/tmp/chart-EURUSD_X');
  });

  it('refuses fees that are not a fraction', async () => {
    const run = await runCaptured(['backtest', 'SPY', '--fees', '5']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--fees must be a number from 0 to 0.5, got "5"');
  });
});
