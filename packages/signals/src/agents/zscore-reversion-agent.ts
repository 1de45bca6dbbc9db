import type { Reasoning, SignalAction } from '@stockade/core';
import { ZScore } from '../indicators/zscore.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { interned } from './interned-text.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link zScoreReversion}. */
export interface ZScoreReversionOptions extends AgentOptions {
  /** Window of the mean and deviation. @default 20 */
  period?: number;
  /** |z| needed to act. @default 2 */
  entry?: number;
}

class ZScoreReversionRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly z: ZScore;
  private readonly entry: number;
  private score = Number.NaN;

  constructor(options: ZScoreReversionOptions) {
    const period = options.period ?? 20;
    this.warmup = period;
    this.holdSummary = '|z| below the entry';
    this.holdFactor = interned(`z${period}`);
    this.z = new ZScore(period);
    this.entry = options.entry ?? 2;
  }

  update(bar: AgentBar, _state: AgentState): void {
    this.z.update(bar.c);
  }

  decide(state: AgentState): AgentSignal {
    // Score the latest price (a quote may be newer than the last close) against the window.
    const sd = this.z.sd;
    const z = sd > 0 ? (state.price - this.z.mean) / sd : 0;
    this.score = z;
    const e = this.entry;
    const strength = 0.5 + (Math.abs(z) - e) / (2 * e);
    if (z < -e) return state.act('BUY', strength);
    if (z > e) return state.act('SELL', strength);
    return state.hold(z);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    const p = this.z.period;
    const e = this.entry;
    const how = action === 'BUY' ? `below −${e}: price far under` : `above ${e}: price far over`;
    return {
      summary: `z-score ${fmt(this.score)} ${how} its ${p}-bar mean`,
      factors: [
        { name: `z${p}`, value: this.score, threshold: action === 'BUY' ? -e : e },
        { name: 'mean', value: this.z.mean },
        { name: 'sd', value: this.z.sd },
      ],
    };
  }

  reset(): void {
    this.z.reset();
  }
}

/**
 * **Z-score mean reversion.** BUY when the latest price is more than `entry` population standard
 * deviations below its `period`-bar mean, SELL when that far above. Confidence 0.5 at the entry,
 * 1 at twice it. Family `mean-reversion`.
 */
export function zScoreReversion(options: ZScoreReversionOptions = {}): RuleAgent {
  return new RuleAgent('zScoreReversion', 'mean-reversion', new ZScoreReversionRule(options), options);
}
