import type { Reasoning, SignalAction } from '@stockade/core';
import { MACD, type MacdOptions } from '../indicators/macd.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link macdCross}. */
export interface MacdCrossOptions extends AgentOptions, MacdOptions {}

class MacdCrossRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly macd: MACD;
  private previousHistogram = Number.NaN;
  private histogram = Number.NaN;
  private line = Number.NaN;

  constructor(options: MacdCrossOptions) {
    const macd = new MACD(options);
    this.warmup = macd.lookback + 2;
    this.holdSummary = 'no MACD signal-line cross';
    this.holdFactor = 'macdHistogram';
    this.macd = macd;
  }

  update(bar: AgentBar, _state: AgentState): void {
    const m = this.macd.update(bar.c);
    this.previousHistogram = this.histogram;
    this.histogram = m === null ? Number.NaN : m.histogram;
    this.line = m === null ? Number.NaN : m.macd;
  }

  decide(state: AgentState): AgentSignal {
    const before = this.previousHistogram;
    const now = this.histogram;
    if (before <= 0 && now > 0) return state.act('BUY', this.line < 0 ? 0.8 : 0.6);
    if (before >= 0 && now < 0) return state.act('SELL', this.line > 0 ? 0.8 : 0.6);
    return state.hold(now);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    return {
      summary: `MACD crossed ${action === 'BUY' ? 'above' : 'below'} its signal line (histogram ${fmt(this.histogram, 3)})`,
      factors: [
        { name: 'macdHistogram', value: this.histogram, threshold: 0 },
        { name: 'macd', value: this.line, detail: 'a cross on the far side of the zero line counts more' },
      ],
    };
  }

  reset(): void {
    this.macd.reset();
    this.previousHistogram = Number.NaN;
    this.histogram = Number.NaN;
    this.line = Number.NaN;
  }
}

/**
 * **MACD signal-line cross.** BUY on the bar where the MACD line crosses above its signal line
 * (histogram from ≤ 0 to > 0), SELL where it crosses below. Confidence 0.8 when the cross happens on
 * the far side of the zero line (a bullish cross below zero, a bearish one above), else 0.6.
 * Family `moving-average`.
 */
export function macdCross(options: MacdCrossOptions = {}): RuleAgent {
  return new RuleAgent('macdCross', 'moving-average', new MacdCrossRule(options), options);
}
