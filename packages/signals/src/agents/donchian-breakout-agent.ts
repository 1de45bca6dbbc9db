import type { Reasoning, SignalAction } from '@stockade/core';
import { DonchianChannel } from '../indicators/donchian.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { interned } from './interned-text.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link donchianBreakout}. */
export interface DonchianBreakoutOptions extends AgentOptions {
  /** Channel length in bars. @default 20 */
  period?: number;
}

class DonchianBreakoutRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly channel: DonchianChannel;
  private priorUpper = Number.NaN;
  private priorLower = Number.NaN;
  private close = Number.NaN;

  constructor(options: DonchianBreakoutOptions) {
    const period = options.period ?? 20;
    this.warmup = period + 1;
    this.holdSummary = interned(`close inside the ${period}-bar channel`);
    this.holdFactor = 'close';
    this.channel = new DonchianChannel(period);
  }

  update(bar: AgentBar, _state: AgentState): void {
    // The breakout level is the channel of the bars before this one.
    const before = this.channel.value;
    this.priorUpper = before === null ? Number.NaN : before.upper;
    this.priorLower = before === null ? Number.NaN : before.lower;
    this.close = bar.c;
    this.channel.update(bar);
  }

  decide(state: AgentState): AgentSignal {
    const { close, priorUpper, priorLower } = this;
    const width = priorUpper - priorLower;
    const beyond = close > priorUpper ? close - priorUpper : priorLower - close;
    const strength = 0.6 + (width > 0 ? Math.min(0.4, beyond / width) : 0);
    if (close > priorUpper) return state.act('BUY', strength);
    if (close < priorLower) return state.act('SELL', strength);
    return state.hold(close);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    const p = this.channel.period;
    const level = action === 'BUY' ? this.priorUpper : this.priorLower;
    return {
      summary: `close ${fmt(this.close)} ${action === 'BUY' ? 'above' : 'below'} the ${p}-bar ${action === 'BUY' ? 'high' : 'low'} ${fmt(level)}`,
      factors: [{ name: 'close', value: this.close, threshold: level }],
    };
  }

  reset(): void {
    this.channel.reset();
    this.priorUpper = Number.NaN;
    this.priorLower = Number.NaN;
    this.close = Number.NaN;
  }
}

/**
 * **Donchian breakout.** BUY on a close above the highest high of the previous `period` bars, SELL
 * on a close below their lowest low (the turtle rule). Confidence 0.6 plus how far past the level
 * the close is in channel widths, up to 1. Family `breakout`.
 */
export function donchianBreakout(options: DonchianBreakoutOptions = {}): RuleAgent {
  return new RuleAgent('donchianBreakout', 'breakout', new DonchianBreakoutRule(options), options);
}
