import type { Reasoning, SignalAction } from '@stockade/core';
import { Momentum } from '../indicators/momentum.js';
import { RateOfChange } from '../indicators/roc.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { interned } from './interned-text.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link momentum}. */
export interface MomentumAgentOptions extends AgentOptions {
  /** Look-back in bars for momentum and rate of change. @default 10 */
  period?: number;
  /** |ROC| in percent needed to act. @default 2 */
  threshold?: number;
}

class MomentumRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly mom: Momentum;
  private readonly roc: RateOfChange;
  private readonly threshold: number;
  private previousMomentum = Number.NaN;

  constructor(options: MomentumAgentOptions) {
    const period = options.period ?? 10;
    this.warmup = period + 2;
    this.holdSummary = interned(`ROC(${period}) inside the threshold`);
    this.holdFactor = interned(`roc${period}`);
    this.mom = new Momentum(period);
    this.roc = new RateOfChange(period);
    this.threshold = options.threshold ?? 2;
  }

  update(bar: AgentBar, _state: AgentState): void {
    this.previousMomentum = this.mom.current;
    this.mom.update(bar.c);
    this.roc.update(bar.c);
  }

  decide(state: AgentState): AgentSignal {
    const roc = this.roc.current;
    const mom = this.mom.current;
    const t = this.threshold;
    const strength = 0.5 + (Math.abs(roc) - t) / (2 * t);
    if (roc > t && mom > this.previousMomentum) return state.act('BUY', strength);
    if (roc < -t && mom < this.previousMomentum) return state.act('SELL', strength);
    return state.hold(roc);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    const p = this.roc.period;
    const roc = this.roc.current;
    const t = this.threshold;
    return {
      summary: `ROC(${p}) ${roc > 0 ? '+' : ''}${fmt(roc)}% and ${action === 'BUY' ? 'rising' : 'falling'}`,
      factors: [
        { name: `roc${p}`, value: roc, threshold: action === 'BUY' ? t : -t },
        { name: `momentum${p}`, value: this.mom.current },
        { name: 'previousMomentum', value: this.previousMomentum },
      ],
    };
  }

  reset(): void {
    this.mom.reset();
    this.roc.reset();
    this.previousMomentum = Number.NaN;
  }
}

/**
 * **Momentum / rate of change.** BUY when ROC(`period`) exceeds +`threshold` % and momentum is
 * still rising (greater than on the previous bar), SELL when ROC is below −`threshold` % and
 * momentum still falling. Confidence 0.5 at the threshold, 1 at three times it. Family `momentum`.
 */
export function momentum(options: MomentumAgentOptions = {}): RuleAgent {
  return new RuleAgent('momentum', 'momentum', new MomentumRule(options), options);
}
