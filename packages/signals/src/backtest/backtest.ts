import type { WeightedVoteOptions } from '@stockade/consensus';
import { type Interval, type Signal, ValidationError } from '@stockade/core';
import type { Agent, AgentBar, AgentFactory } from '../agents/agent.js';
import { SignalEngine } from '../engine/signal-engine.js';
import type { SignalRecorder } from '../engine/signal-engine-options.js';
import type { SignalValidationOptions } from '../engine/signal-gate.js';
import { drawdowns, PERIODS_PER_YEAR, sharpeRatio } from './performance-metrics.js';

/** Options of {@link backtest}. */
export interface BacktestOptions {
  /** The bars to replay: a `BarSeries` or any `{ symbol, bars }` (ascending `t`). */
  series: { symbol: string; bars: readonly AgentBar[]; interval?: Interval };
  /** The agents, as factories (or instances, used as they are). */
  agents: ReadonlyArray<Agent | AgentFactory>;
  /** Consensus voting options. @default {} */
  consensus?: WeightedVoteOptions;
  /** Signal validation (minimum confidence, stop-distance cap). @default {} */
  validation?: SignalValidationOptions;
  /** Fees per fill, as a fraction of the traded notional (0.0005 = 5 bp). @default 0.0005 */
  fees?: number;
  /** Slippage per fill, as a fraction of the price, always against the trade. @default 0.0005 */
  slippage?: number;
  /** Starting equity. @default 10000 */
  initialEquity?: number;
  /** Let SELL open a short position (otherwise it only closes a long). @default false */
  allowShort?: boolean;
  /** Bars per year for the Sharpe ratio. @default from `series.interval` (252 for daily) */
  periodsPerYear?: number;
  /** Receives every signal, e.g. a `SignalTracker`. @default undefined */
  tracker?: SignalRecorder;
}

/** One round trip. */
export interface Trade {
  /** Long or short. */
  side: 'long' | 'short';
  /** Bar time of the entry fill (the open after the signal), epoch ms. */
  entryAt: number;
  /** Entry fill price, slippage included. */
  entryPrice: number;
  /** Bar time of the exit fill, epoch ms. */
  exitAt: number;
  /** Exit fill price, slippage included. */
  exitPrice: number;
  /** Bars held. */
  bars: number;
  /** Return on the equity committed, fees and slippage included (0.03 = +3 %). */
  return: number;
  /** Profit or loss in money. */
  pnl: number;
  /** `signal`: closed by an opposite signal; `end`: still open at the last bar, marked at its close. */
  exit: 'signal' | 'end';
}

/** One point of the equity curve, at a bar's close. */
export interface EquityPoint {
  /** Bar time, epoch ms. */
  t: number;
  /** Equity marked to the close. */
  equity: number;
  /** What holding the symbol from the first open would be worth. */
  buyAndHold: number;
  /** Fraction below the running peak. */
  drawdown: number;
  /** Position held through the bar: 1 long, −1 short, 0 flat. */
  position: number;
}

/** What a backtest found. Plain data: `JSON.stringify` it as it is. */
export interface BacktestResult {
  /** Symbol replayed. */
  symbol: string;
  /** Bars replayed. */
  bars: number;
  /** Closed round trips. */
  trades: Trade[];
  /** Winning trades / trades, or null without trades. */
  winRate: number | null;
  /** Gross profit / gross loss, or null without a losing trade (or without trades). */
  profitFactor: number | null;
  /** Mean trade return, or null without trades. */
  expectancy: number | null;
  /** Annualized Sharpe ratio of per-bar equity returns, or null. */
  sharpe: number | null;
  /** Largest fall from a peak, as a fraction. */
  maxDrawdown: number;
  /** Fraction of bars spent in a position. */
  exposure: number;
  /** Final equity / initial equity − 1. */
  totalReturn: number;
  /** Last close / first open − 1: the passive alternative. */
  buyAndHoldReturn: number;
  /** Signals emitted during the replay. */
  signals: number;
  /** The equity curve, one point per bar. */
  equity: EquityPoint[];
}

function fraction(name: string, value: number): number {
  if (!(value >= 0 && value < 1)) {
    throw new ValidationError(`backtest: ${name} must be a fraction in [0, 1), got ${String(value)}`, [
      { path: name, message: 'expected e.g. 0.0005 for 5 basis points' },
    ]);
  }
  return value;
}

/**
 * Replays bars through the agents and the same `SignalEngine` as live trading, and trades the
 * consensus: each signal is executed at the **next bar's open** (never at the close that produced
 * it), with slippage against the trade and fees on every fill. BUY goes long; SELL exits a long
 * (and goes short when `allowShort`); HOLD keeps the position. All equity is committed to each
 * position. A signal on the last bar is not executed; a position still open is marked out at the
 * last close.
 *
 * @throws {ValidationError} for fewer than two bars, no agents, or fees/slippage outside [0, 1).
 * @example
 * const result = backtest({
 *   series: { symbol: 'SPY', bars },
 *   agents: [agents.rsi, agents.bollingerReversion, agents.macdCross],
 *   consensus: { threshold: 0.3 },
 *   fees: 0.0005,
 *   slippage: 0.0005,
 * });
 * console.log(result.totalReturn, result.sharpe, result.maxDrawdown, result.trades.length);
 */
export function backtest(options: BacktestOptions): BacktestResult {
  const { series } = options;
  const bars = series.bars;
  if (bars.length < 2) {
    throw new ValidationError(`backtest: ${series.symbol} needs at least 2 bars, got ${bars.length}`, [
      { path: 'series.bars', message: 'expected a series of at least two bars' },
    ]);
  }
  const fees = fraction('fees', options.fees ?? 0.0005);
  const slippage = fraction('slippage', options.slippage ?? 0.0005);
  const initial = options.initialEquity ?? 10_000;
  const periodsPerYear = options.periodsPerYear ?? PERIODS_PER_YEAR[series.interval ?? '1d'] ?? 252;
  const factories = options.agents.map((a): AgentFactory => (typeof a === 'function' ? a : () => a));
  const engine = new SignalEngine({
    agents: factories,
    consensus: options.consensus ?? {},
    validation: { dailyLossLimitPct: 1, ...options.validation },
    timingSample: 0,
    ...(options.tracker === undefined ? {} : { tracker: options.tracker }),
  }).watch([series.symbol]);

  const trades: Trade[] = [];
  const curve: number[] = [];
  const points: EquityPoint[] = [];
  let position = 0; // −1, 0, 1
  let committed = initial; // equity when the position was opened
  let costIn = 0; // entry fee paid
  let units = 0;
  let entryPrice = 0;
  let entryAt = 0;
  let entryBar = 0;
  let cash = initial; // equity while flat
  let wanted = 0;
  let signals = 0;
  let inMarket = 0;
  const firstOpen = (bars[0] as AgentBar).o;

  const equityAt = (price: number) =>
    position === 0 ? cash : committed - costIn + position * units * (price - entryPrice);
  const close = (at: number, rawPrice: number, index: number, exit: Trade['exit']) => {
    const fill = rawPrice * (1 - position * slippage);
    const after = committed - costIn + position * units * (fill - entryPrice) - fees * units * fill;
    trades.push({
      side: position > 0 ? 'long' : 'short',
      entryAt,
      entryPrice,
      exitAt: at,
      exitPrice: fill,
      bars: index - entryBar,
      return: after / committed - 1,
      pnl: after - committed,
      exit,
    });
    cash = after;
    position = 0;
  };
  const open = (side: number, at: number, rawPrice: number, index: number) => {
    entryPrice = rawPrice * (1 + side * slippage);
    committed = cash;
    units = cash / (1 + fees) / entryPrice;
    costIn = fees * units * entryPrice;
    position = side;
    entryAt = at;
    entryBar = index;
  };

  bars.forEach((bar, i) => {
    // Execute yesterday's decision at this bar's open.
    if (wanted !== position) {
      if (position !== 0) close(bar.t, bar.o, i, 'signal');
      if (wanted !== 0) open(wanted, bar.t, bar.o, i);
    }
    if (position !== 0) inMarket++;
    const signal: Signal | null = engine.onBar(series.symbol, bar);
    if (signal !== null) {
      signals++;
      if (signal.action === 'BUY') wanted = 1;
      else if (signal.action === 'SELL') wanted = options.allowShort ? -1 : 0;
    }
    const equity = equityAt(bar.c);
    curve.push(equity);
    points.push({ t: bar.t, equity, buyAndHold: (initial * bar.c) / firstOpen, drawdown: 0, position });
  });
  const last = bars[bars.length - 1] as AgentBar;
  if (position !== 0) {
    close(last.t, last.c, bars.length - 1, 'end');
    curve[curve.length - 1] = cash;
    (points[points.length - 1] as EquityPoint).equity = cash;
  }
  const dd = drawdowns(curve);
  points.forEach((p, i) => {
    p.drawdown = dd[i] as number;
  });

  const wins = trades.filter((t) => t.pnl > 0);
  const grossProfit = wins.reduce((s, t) => s + t.pnl, 0);
  const grossLoss = -trades.filter((t) => t.pnl < 0).reduce((s, t) => s + t.pnl, 0);
  return {
    symbol: series.symbol,
    bars: bars.length,
    trades,
    winRate: trades.length > 0 ? wins.length / trades.length : null,
    profitFactor: trades.length > 0 && grossLoss > 0 ? grossProfit / grossLoss : null,
    expectancy: trades.length > 0 ? trades.reduce((s, t) => s + t.return, 0) / trades.length : null,
    sharpe: sharpeRatio(curve, periodsPerYear),
    maxDrawdown: dd.reduce((m, d) => Math.max(m, d), 0),
    exposure: inMarket / bars.length,
    totalReturn: (curve[curve.length - 1] as number) / initial - 1,
    buyAndHoldReturn: last.c / firstOpen - 1,
    signals,
    equity: points,
  };
}
