import type { Reasoning, SignalAction } from '@stockade/core';
import { ATR } from '../indicators/atr.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link atrBreakout}. */
export interface AtrBreakoutOptions extends AgentOptions {
  /** ATR period. @default 14 */
  period?: number;
  /** A close-to-close move of this many ATRs is a breakout. @default 1.5 */
  multiplier?: number;
}

class AtrBreakoutRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly range: ATR;
  private readonly multiplier: number;
  private previousClose = Number.NaN;
  private close = Number.NaN;
  private atrBefore = Number.NaN;

  constructor(options: AtrBreakoutOptions) {
    const period = options.period ?? 14;
    this.warmup = period + 2;
    this.holdSummary = 'move within the ATR band';
    this.holdFactor = 'moveInAtr';
    this.range = new ATR(period);
    this.multiplier = options.multiplier ?? 1.5;
  }

  update(bar: AgentBar, _state: AgentState): void {
    // Compare the move with volatility as it stood before this bar.
    this.atrBefore = this.range.current;
    this.previousClose = this.close;
    this.close = bar.c;
    this.range.update(bar);
  }

  private moveInAtr(): number {
    const atr = this.atrBefore;
    return atr > 0 ? (this.close - this.previousClose) / atr : 0;
  }

  decide(state: AgentState): AgentSignal {
    const inAtr = this.moveInAtr();
    const m = this.multiplier;
    const strength = 0.5 + (Math.abs(inAtr) - m) / (2 * m);
    if (inAtr > m) return state.act('BUY', strength);
    if (inAtr < -m) return state.act('SELL', strength);
    return state.hold(inAtr);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    const inAtr = this.moveInAtr();
    const m = this.multiplier;
    const how =
      action === 'BUY'
        ? `rose ${fmt(inAtr)} ATRs in one bar: volatility breakout up`
        : `fell ${fmt(-inAtr)} ATRs in one bar: volatility breakout down`;
    return {
      summary: `close ${how}`,
      factors: [
        { name: 'move', value: this.close - this.previousClose },
        { name: 'atr', value: this.atrBefore },
        { name: 'moveInAtr', value: inAtr, threshold: action === 'BUY' ? m : -m },
      ],
    };
  }

  reset(): void {
    this.range.reset();
    this.previousClose = Number.NaN;
    this.close = Number.NaN;
    this.atrBefore = Number.NaN;
  }
}

/**
 * **ATR volatility breakout.** BUY on a bar whose close is more than `multiplier` × ATR(`period`)
 * above the previous close (ATR as it stood before the bar), SELL when that far below. Confidence
 * 0.5 at the multiplier, 1 at twice it. Family `breakout`.
 */
export function atrBreakout(options: AtrBreakoutOptions = {}): RuleAgent {
  return new RuleAgent('atrBreakout', 'breakout', new AtrBreakoutRule(options), options);
}
