import {
  type BarSeries,
  type Reasoning,
  type RiskMetrics,
  type Signal,
  type SignalAction,
  StockadeError,
  ValidationError,
} from '@stockade/core';
import { type AgentFactory, type RejectionReason, SignalEngine } from '@stockade/signals';
import { AGENT_NAMES_HELP, chooseAgents, DEFAULT_AGENTS } from '../agent-choice.js';
import { dateArgument, dateOf, daysBefore, numberArgument, symbolsArgument } from '../argument-values.js';
import type { Command } from '../command.js';
import { parseCommandLine } from '../command-line.js';
import { ExitCode } from '../exit-codes.js';
import { loadRunConfig, withManager } from '../manager-session.js';
import { errorJson, errorMessage } from '../output/error-report.js';
import { formatDecimal, formatPrice } from '../output/figures.js';
import { createProgress } from '../output/progress.js';
import { forEachSymbol } from '../per-symbol.js';
import { UsageError } from '../usage-error.js';

const USAGE = `Usage: stockade signals <symbol>... [options]

What each agent says about each symbol at the last daily close, and the consensus of their vote.
Agents are warmed up on daily bars fetched through the providers.

Options:
  --agents <a,b>          ${AGENT_NAMES_HELP}
                          (default ${DEFAULT_AGENTS})
  --from <date>           first session of the warm-up history (default 365 days before --to)
  --to <date>             session to evaluate at, YYYY-MM-DD (default today)
  --min-confidence <x>    a BUY/SELL consensus below this is held back, 0..1 (default: signals.minConfidence in config, 0.2)
  --json                  [{ symbol, ok, session, close, agents: [...], consensus, heldBack? }]
  -h, --help              this text

Progress goes to stderr when several symbols are asked. Exits 1 when a symbol could not be
evaluated (the others are still printed).

Examples:
  stockade signals AAPL MSFT --agents rsi,macd
  stockade signals SPY QQQ IWM --agents all --json`;

/** One agent's answer as `stockade signals` reports it. */
export interface AgentAnswerView {
  /** Agent name. */
  agent: string;
  /** Its indicator family. */
  family: string;
  /** BUY, SELL or HOLD. */
  action: SignalAction;
  /** 0..1. */
  confidence: number;
  /** Why. */
  reasoning: Reasoning;
  /** Stop, target and volatility figures. */
  riskMetrics: RiskMetrics;
}

/** What `stockade signals` found for one symbol. */
export interface SymbolSignals {
  /** Canonical symbol. */
  symbol: string;
  /** Session of the last bar, the one evaluated. */
  session: string;
  /** Its close. */
  close: number;
  /** Bars the agents saw. */
  bars: number;
  /** Provider of the bars. */
  provider: string;
  /** Each agent's answer, in `--agents` order. */
  agents: AgentAnswerView[];
  /** The consensus of the vote. */
  consensus: Signal;
  /** Set when validation held a BUY/SELL consensus back, with why (it is still reported). */
  heldBack?: RejectionReason;
}

/** Options of {@link evaluateSignals}. */
export interface EvaluateSignalsOptions {
  /** The agents. */
  agents: readonly AgentFactory[];
  /** A BUY/SELL consensus below this is held back. */
  minConfidence: number;
}

/**
 * Warms fresh agents on every bar but the last, then feeds the last one: the agents' answers and
 * the consensus are those at its close.
 *
 * @throws {ValidationError} when the series has fewer than two bars.
 */
export function evaluateSignals(series: BarSeries, options: EvaluateSignalsOptions): SymbolSignals {
  const { symbol, bars } = series;
  const last = bars.at(-1);
  if (last === undefined || bars.length < 2) {
    throw new ValidationError(
      `${symbol}: ${bars.length} daily bar(s) in range, need at least 2: give an earlier --from`,
      [{ path: 'from', message: 'too little history' }],
    );
  }
  const engine = new SignalEngine({
    agents: options.agents,
    emitHold: true,
    validation: { minConfidence: options.minConfidence },
    timingSample: 0,
  }).watch([symbol]);
  let held: { signal: Signal; reason: RejectionReason } | undefined;
  engine.onRejected((r) => {
    held = r;
  });
  engine.warm(symbol, bars.slice(0, -1));
  const consensus = engine.onBar(symbol, last) ?? held?.signal;
  const answers = engine.answers(symbol).map((a) => ({
    agent: a.agent,
    family: a.family,
    action: a.signal.action,
    confidence: a.signal.confidence,
    // The engine reuses answer objects between evaluations: keep copies.
    reasoning: structuredClone(a.signal.reasoning),
    riskMetrics: { ...a.signal.riskMetrics },
  }));
  engine.close();
  if (consensus === undefined) {
    throw new StockadeError('NO_CONSENSUS', `${symbol}: the signal engine gave no consensus for ${last.sessionDate}`);
  }
  return {
    symbol,
    session: last.sessionDate,
    close: last.c,
    bars: bars.length,
    provider: series.provider,
    agents: answers,
    consensus,
    ...(held === undefined ? {} : { heldBack: held.reason }),
  };
}

/** `stockade signals AAPL MSFT --agents rsi,macd`: each agent's answer and the consensus. */
export const signalsCommand: Command = {
  name: 'signals',
  summary: 'agent signals and their consensus: stockade signals AAPL MSFT --agents rsi,macd',
  usage: USAGE,
  async run(ctx) {
    const { values, positionals } = parseCommandLine(
      'signals',
      ctx.argv,
      {
        agents: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        'min-confidence': { type: 'string' },
      },
      { name: 'symbol', min: 1 },
    );
    const symbols = symbolsArgument('signals', positionals);
    const agents = chooseAgents('signals', values.agents ?? DEFAULT_AGENTS);
    const to = values.to === undefined ? dateOf(ctx.clock.now()) : dateArgument('signals', 'to', values.to);
    const from = values.from === undefined ? daysBefore(to, 365) : dateArgument('signals', 'from', values.from);
    const minConfidence = numberArgument(
      'signals',
      'min-confidence',
      values['min-confidence'] ?? String(loadRunConfig(ctx).config.signals.minConfidence),
      {
        min: 0,
        max: 1,
      },
    );
    if (from > to) throw new UsageError(`--from ${from} is after --to ${to}`, 'signals', 'from');
    const outcomes = await withManager(ctx, (md) =>
      forEachSymbol(
        symbols,
        async (symbol) =>
          evaluateSignals(await md.bars(symbol, { interval: '1d', from, to, signal: ctx.signal }), {
            agents,
            minConfidence,
          }),
        { progress: createProgress(ctx.stderr, { total: symbols.length, label: 'signals' }), signal: ctx.signal },
      ),
    );
    if (ctx.out.json) {
      ctx.out.writeJson(
        outcomes.map((o) =>
          o.ok ? { ok: true, ...o.value } : { symbol: o.symbol, ok: false, error: errorJson(o.error) },
        ),
      );
    } else {
      const rows = outcomes.flatMap((o) => {
        if (!o.ok) return [];
        const s = o.value;
        const row = (agent: string, action: string, confidence: number, why: string) => [
          s.symbol,
          s.session,
          formatPrice(s.close),
          agent,
          action,
          formatDecimal(confidence),
          why,
        ];
        return [
          ...s.agents.map((a) => row(a.agent, a.action, a.confidence, a.reasoning.summary)),
          row(
            'consensus',
            s.consensus.action,
            s.consensus.confidence,
            s.consensus.reasoning.summary + (s.heldBack === undefined ? '' : ` (held back: ${s.heldBack})`),
          ),
        ];
      });
      if (rows.length > 0) {
        ctx.out.writeTable(
          [
            { header: 'Symbol' },
            { header: 'Session' },
            { header: 'Close', align: 'right' },
            { header: 'Agent' },
            { header: 'Action' },
            { header: 'Confidence', align: 'right' },
            { header: 'Why' },
          ],
          rows,
        );
      }
    }
    for (const o of outcomes) {
      if (!o.ok) ctx.stderr.write(`error: ${o.symbol}: ${errorMessage(o.error)}\n`);
    }
    return outcomes.every((o) => o.ok) ? ExitCode.ok : ExitCode.failure;
  },
};
