import type { Reasoning, SignalAction } from '@stockade/core';
import { StochasticSlow, type StochasticSlowOptions } from '../indicators/stochastic.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link stochasticCross}. */
export interface StochasticCrossOptions extends AgentOptions, StochasticSlowOptions {
  /** A bullish cross counts below this %D. @default 20 */
  oversold?: number;
  /** A bearish cross counts above this %D. @default 80 */
  overbought?: number;
}

class StochasticCrossRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly st: StochasticSlow;
  private readonly oversold: number;
  private readonly overbought: number;
  private k = Number.NaN;
  private d = Number.NaN;
  private previousSpread = Number.NaN;

  constructor(options: StochasticCrossOptions) {
    const st = new StochasticSlow(options);
    this.warmup = st.lookback + 2;
    this.holdSummary = 'no stochastic cross in an extreme zone';
    this.holdFactor = 'percentK';
    this.st = st;
    this.oversold = options.oversold ?? 20;
    this.overbought = options.overbought ?? 80;
  }

  update(bar: AgentBar, _state: AgentState): void {
    this.previousSpread = this.k - this.d;
    const v = this.st.update(bar);
    this.k = v === null ? Number.NaN : v.k;
    this.d = v === null ? Number.NaN : v.d;
  }

  decide(state: AgentState): AgentSignal {
    const { k, d } = this;
    const spread = k - d;
    if (this.previousSpread <= 0 && spread > 0 && d < this.oversold) {
      return state.act('BUY', 0.5 + (this.oversold - d) / this.oversold / 2);
    }
    if (this.previousSpread >= 0 && spread < 0 && d > this.overbought) {
      return state.act('SELL', 0.5 + (d - this.overbought) / (100 - this.overbought) / 2);
    }
    return state.hold(k);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    const zone = action === 'BUY' ? this.oversold : this.overbought;
    const how =
      action === 'BUY' ? `crossed above %D ${fmt(this.d, 1)} below` : `crossed below %D ${fmt(this.d, 1)} above`;
    return {
      summary: `%K ${fmt(this.k, 1)} ${how} ${zone}`,
      factors: [
        { name: 'percentK', value: this.k },
        { name: 'percentD', value: this.d, threshold: zone },
      ],
    };
  }

  reset(): void {
    this.st.reset();
    this.k = Number.NaN;
    this.d = Number.NaN;
    this.previousSpread = Number.NaN;
  }
}

/**
 * **Stochastic cross.** On the slow stochastic (14/3/3 by default): BUY on the bar where %K crosses
 * above %D while %D is below `oversold`, SELL where %K crosses below %D while %D is above
 * `overbought`. Confidence 0.5 plus half the depth into the zone. Family `oscillator`.
 */
export function stochasticCross(options: StochasticCrossOptions = {}): RuleAgent {
  return new RuleAgent('stochasticCross', 'oscillator', new StochasticCrossRule(options), options);
}
