import type { Reasoning, SignalAction } from '@stockade/core';
import { VWAP } from '../indicators/vwap.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link vwapDeviation}. */
export interface VwapDeviationOptions extends AgentOptions {
  /** Rolling VWAP window in bars. @default 20 */
  period?: number;
  /** Distance from the VWAP, in ATR(14)s, that counts as stretched. @default 2 */
  threshold?: number;
}

class VwapDeviationRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly vwap: VWAP;
  private readonly threshold: number;
  private deviation = Number.NaN;

  constructor(options: VwapDeviationOptions) {
    const period = options.period ?? 20;
    this.warmup = Math.max(period, 15);
    this.holdSummary = 'price near its VWAP';
    this.holdFactor = 'deviationInAtr';
    this.vwap = new VWAP({ period });
    this.threshold = options.threshold ?? 2;
  }

  update(bar: AgentBar, _state: AgentState): void {
    this.vwap.update(bar);
  }

  decide(state: AgentState): AgentSignal {
    const atr = state.atr;
    const deviation = atr > 0 ? (state.price - this.vwap.current) / atr : 0;
    this.deviation = deviation;
    const t = this.threshold;
    const strength = 0.5 + (Math.abs(deviation) - t) / (2 * t);
    if (deviation < -t) return state.act('BUY', strength);
    if (deviation > t) return state.act('SELL', strength);
    return state.hold(deviation);
  }

  explain(action: SignalAction, state: AgentState): Reasoning {
    const vwap = this.vwap.current;
    const d = this.deviation;
    const how =
      action === 'BUY'
        ? `${fmt(-d)} ATRs below VWAP ${fmt(vwap)}: stretched down`
        : `${fmt(d)} ATRs above VWAP ${fmt(vwap)}: stretched up`;
    return {
      summary: `price ${how}`,
      factors: [
        { name: 'price', value: state.price },
        { name: 'vwap', value: vwap },
        { name: 'deviationInAtr', value: d, threshold: action === 'BUY' ? -this.threshold : this.threshold },
      ],
    };
  }

  reset(): void {
    this.vwap.reset();
  }
}

/**
 * **VWAP deviation.** BUY when the latest price is more than `threshold` ATR(14)s below the rolling
 * `period`-bar VWAP, SELL when that far above: a bet on the return to the volume-weighted mean.
 * Confidence 0.5 at the threshold, 1 at twice it. Family `mean-reversion`.
 */
export function vwapDeviation(options: VwapDeviationOptions = {}): RuleAgent {
  return new RuleAgent('vwapDeviation', 'mean-reversion', new VwapDeviationRule(options), options);
}
