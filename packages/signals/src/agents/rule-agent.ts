import type { Reasoning, SignalAction } from '@stockade/core';
import type { Agent, AgentBar, AgentSignal } from './agent.js';
import { AgentState } from './agent-state.js';

/** Options every built-in agent takes. */
export interface AgentOptions {
  /** Agent name (give two agents of one kind distinct names). @default the factory's name, e.g. `rsi` */
  name?: string;
  /** Stop distance in ATR(14)s for the risk metrics. @default 2 */
  stopAtr?: number;
  /** Take-profit distance in ATR(14)s. @default 3 */
  targetAtr?: number;
}

/**
 * The decision rule of a {@link RuleAgent}: its indicators and what it makes of them. Every built-in
 * agent is one; write one to get warm-up, quotes, ATR risk metrics and allocation-free answers for
 * free. Methods receive the agent's shared {@link AgentState}.
 */
export interface AgentRule {
  /** Bars needed before `decide()` is asked. */
  readonly warmup: number;
  /** Summary of the HOLD answer, e.g. `RSI(14) between 30 and 70`. */
  readonly holdSummary: string;
  /** Name of the reading a HOLD answer reports, e.g. `rsi14`. */
  readonly holdFactor: string;
  /** Feeds one bar to the rule's indicators (`state` already counts it and holds its close). */
  update(bar: AgentBar, state: AgentState): void;
  /** The decision, once warm: `state.act(…)` or `state.hold(reading)`. */
  decide(state: AgentState): AgentSignal;
  /** The reasoning of the last BUY/SELL, from readings `decide()` kept; called only when read. */
  explain(action: SignalAction, state: AgentState): Reasoning;
  /** Forgets every bar. */
  reset(): void;
}

/**
 * An {@link Agent} made of an {@link AgentRule}; it is also the {@link AgentState} its rule reads.
 * One class for every built-in agent: the engine calls `onBar`/`evaluate` on thousands of them per
 * bar, and a single class keeps those calls monomorphic; only the call into the rule varies.
 */
export class RuleAgent extends AgentState implements Agent {
  /** Agent name (unique per symbol). */
  readonly name: string;
  /** Indicator family, for the consensus family cap. */
  readonly family: string;
  /** The decision rule. */
  readonly rule: AgentRule;

  constructor(name: string, family: string, rule: AgentRule, options: AgentOptions = {}) {
    super({
      warmup: rule.warmup,
      stopAtr: options.stopAtr ?? 2,
      targetAtr: options.targetAtr ?? 3,
      holdSummary: rule.holdSummary,
      holdFactor: rule.holdFactor,
    });
    this.name = options.name ?? name;
    this.family = family;
    this.rule = rule;
  }

  /** Feeds one closed bar: the state counts it, then the rule updates its indicators. */
  onBar(bar: AgentBar): void {
    this.advance(bar.h, bar.l, bar.c);
    this.rule.update(bar, this);
  }

  /** Takes a newer price for the rules that compare the price with a level. */
  onQuote(price: number, _at?: number): void {
    if (price > 0 && Number.isFinite(price)) this.price = price;
  }

  /** The rule's answer, or the warming-up HOLD before `warmup` bars. */
  evaluate(): AgentSignal {
    return this.isWarm ? this.rule.decide(this) : this.warming();
  }

  /** The rule's reasoning for the last BUY/SELL (a method, not a closure per agent). */
  protected override explainAction(action: SignalAction): Reasoning {
    return this.rule.explain(action, this);
  }

  /** Forgets every bar, the rule's included. */
  override reset(): void {
    super.reset();
    this.rule.reset();
  }
}
