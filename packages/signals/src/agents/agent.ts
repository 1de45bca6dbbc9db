import type { Reasoning, RiskMetrics, SignalAction } from '@stockade/core';

/**
 * What an agent reads from a bar: Stockade's `Bar` fits, and so does any object with these fields.
 * `v` is absent for indices; `sessionDate` (`YYYY-MM-DD`) lets session-anchored indicators restart.
 */
export interface AgentBar {
  /** Interval start, epoch ms. */
  t: number;
  /** Open. */
  o: number;
  /** High. */
  h: number;
  /** Low. */
  l: number;
  /** Close. */
  c: number;
  /** Volume, when known. */
  v?: number;
  /** Trading session, when known. */
  sessionDate?: string;
}

/** An agent's opinion on one symbol right now. */
export interface AgentSignal {
  /** BUY, SELL or HOLD. */
  action: SignalAction;
  /** 0 (none) to 1 (certain); 0 for HOLD. */
  confidence: number;
  /** Why, as a one-line summary and the readings behind it. */
  reasoning: Reasoning;
  /** Stop, target and volatility figures the agent knows (ATR-based for the built-ins). */
  riskMetrics: RiskMetrics;
}

/**
 * A trading agent: it watches one symbol's bars and, when asked, says BUY, SELL or HOLD with a
 * confidence and its reasons. The built-ins (see `agents`) each follow one documented rule; write
 * your own against this interface.
 *
 * An agent instance holds the state of one symbol. The engine creates one per watched symbol from
 * an {@link AgentFactory}.
 *
 * `evaluate()` may return the same object on consecutive calls while nothing changes (the built-ins
 * reuse one HOLD object so that a quiet market allocates nothing): read it, do not keep it.
 *
 * @example
 * const gapUp = (): Agent => {
 *   let previousClose = Number.NaN;
 *   let gap = 0;
 *   return {
 *     name: 'gapUp',
 *     family: 'price-action',
 *     warmup: 2,
 *     onBar(bar) {
 *       gap = (bar.o - previousClose) / previousClose;
 *       previousClose = bar.c;
 *     },
 *     evaluate() {
 *       const action = gap > 0.02 ? 'BUY' : 'HOLD';
 *       return {
 *         action,
 *         confidence: action === 'BUY' ? Math.min(1, gap * 20) : 0,
 *         reasoning: { summary: `opened ${(gap * 100).toFixed(1)}% above the last close`, factors: [{ name: 'gap', value: gap, threshold: 0.02 }] },
 *         riskMetrics: {},
 *       };
 *     },
 *   };
 * };
 */
export interface Agent {
  /** Unique name among the agents watching one symbol; consensus weights and quality reports use it. */
  readonly name: string;
  /** Indicator family; agents of one family move together, so consensus caps the family's weight. */
  readonly family: string;
  /** Bars needed before `evaluate()` can say anything but HOLD. */
  readonly warmup: number;
  /** Feeds one closed bar. */
  onBar(bar: AgentBar): void;
  /** Feeds a live price between bars (optional): agents that compare price with a level use it. */
  onQuote?(price: number, at: number): void;
  /** The agent's opinion now. */
  evaluate(): AgentSignal;
  /** Forgets every bar (optional). */
  reset?(): void;
}

/** Creates a fresh {@link Agent}; the engine calls it once per watched symbol. */
export type AgentFactory = () => Agent;
