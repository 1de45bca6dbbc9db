import { type Reasoning, type SignalAction, ValidationError } from '@stockade/core';
import { EMA } from '../indicators/ema.js';
import { SMA } from '../indicators/sma.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, clamp, fmt } from './agent-state.js';
import { interned } from './interned-text.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link smaCross} and {@link emaCross}. */
export interface MaCrossOptions extends AgentOptions {
  /** Fast average period. @default 20 (SMA) or 12 (EMA) */
  fast?: number;
  /** Slow average period. @default 50 (SMA) or 26 (EMA) */
  slow?: number;
}

type Average = SMA | EMA;

class MaCrossRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly fast: Average;
  private readonly slow: Average;
  private readonly label: string;
  private previousGap = Number.NaN;
  private gap = Number.NaN;

  constructor(kind: 'SMA' | 'EMA', fast: Average, slow: Average) {
    if (fast.period >= slow.period) {
      throw new ValidationError(`${kind} cross: fast (${fast.period}) must be shorter than slow (${slow.period})`, [
        { path: 'fast', message: 'must be less than slow' },
      ]);
    }
    const label = interned(`${kind}(${fast.period})/${kind}(${slow.period})`);
    this.warmup = slow.period + 1;
    this.holdSummary = interned(`no ${label} cross`);
    this.holdFactor = 'gap';
    this.fast = fast;
    this.slow = slow;
    this.label = label;
  }

  update(bar: AgentBar, _state: AgentState): void {
    this.fast.update(bar.c);
    this.slow.update(bar.c);
    this.previousGap = this.gap;
    this.gap = this.fast.current - this.slow.current;
  }

  decide(state: AgentState): AgentSignal {
    const before = this.previousGap;
    const now = this.gap;
    const atr = state.atr;
    // Confidence grows with how decisively the averages parted, in ATRs.
    const strength = atr > 0 ? clamp(0.5 + Math.abs(now) / atr, 0.5, 1) : 0.5;
    if (before <= 0 && now > 0) return state.act('BUY', strength);
    if (before >= 0 && now < 0) return state.act('SELL', strength);
    return state.hold(now);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    return {
      summary: `${this.label} crossed ${action === 'BUY' ? 'up' : 'down'} (gap ${fmt(this.gap, 3)})`,
      factors: [
        { name: 'fast', value: this.fast.current },
        { name: 'slow', value: this.slow.current },
        { name: 'gap', value: this.gap, threshold: 0 },
      ],
    };
  }

  reset(): void {
    this.fast.reset();
    this.slow.reset();
    this.previousGap = Number.NaN;
    this.gap = Number.NaN;
  }
}

/**
 * **SMA cross.** BUY on the bar where SMA(`fast`) crosses above SMA(`slow`) (a golden cross), SELL
 * where it crosses below (a death cross). Confidence 0.5 plus the gap between the averages in
 * ATR(14)s, up to 1. Family `moving-average`.
 */
export function smaCross(options: MaCrossOptions = {}): RuleAgent {
  return new RuleAgent(
    'smaCross',
    'moving-average',
    new MaCrossRule('SMA', new SMA(options.fast ?? 20), new SMA(options.slow ?? 50)),
    options,
  );
}

/**
 * **EMA cross.** BUY on the bar where EMA(`fast`) crosses above EMA(`slow`), SELL where it crosses
 * below. Confidence 0.5 plus the gap in ATR(14)s, up to 1. Family `moving-average`.
 */
export function emaCross(options: MaCrossOptions = {}): RuleAgent {
  return new RuleAgent(
    'emaCross',
    'moving-average',
    new MaCrossRule('EMA', new EMA(options.fast ?? 12), new EMA(options.slow ?? 26)),
    options,
  );
}
