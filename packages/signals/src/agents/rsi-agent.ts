import type { Reasoning, SignalAction } from '@stockade/core';
import { RSI } from '../indicators/rsi.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { interned } from './interned-text.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link rsi}. */
export interface RsiAgentOptions extends AgentOptions {
  /** RSI period. @default 14 */
  period?: number;
  /** BUY below this RSI. @default 30 */
  oversold?: number;
  /** SELL above this RSI. @default 70 */
  overbought?: number;
}

class RsiRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly rsi: RSI;
  private readonly oversold: number;
  private readonly overbought: number;
  private reading = Number.NaN;

  constructor(options: RsiAgentOptions) {
    const period = options.period ?? 14;
    const lo = options.oversold ?? 30;
    const hi = options.overbought ?? 70;
    this.warmup = period + 1;
    this.holdSummary = interned(`RSI(${period}) between ${lo} and ${hi}`);
    this.holdFactor = interned(`rsi${period}`);
    this.rsi = new RSI(period);
    this.oversold = lo;
    this.overbought = hi;
  }

  update(bar: AgentBar, _state: AgentState): void {
    this.rsi.update(bar.c);
  }

  decide(state: AgentState): AgentSignal {
    const r = this.rsi.current;
    this.reading = r;
    if (r < this.oversold) return state.act('BUY', 0.5 + (this.oversold - r) / this.oversold);
    if (r > this.overbought) return state.act('SELL', 0.5 + (r - this.overbought) / (100 - this.overbought));
    return state.hold(r);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    const p = this.rsi.period;
    const threshold = action === 'BUY' ? this.oversold : this.overbought;
    const where = action === 'BUY' ? 'below' : 'above';
    return {
      summary: `RSI(${p}) ${fmt(this.reading, 1)} ${where} ${threshold}: ${action === 'BUY' ? 'oversold' : 'overbought'}`,
      factors: [{ name: `rsi${p}`, value: this.reading, threshold }],
    };
  }

  reset(): void {
    this.rsi.reset();
  }
}

/**
 * **RSI overbought/oversold.** BUY when RSI(`period`) is below `oversold`, SELL when above
 * `overbought`; confidence 0.5 at the threshold, rising to 1 as RSI goes halfway to the extreme
 * (RSI 15 for the default 30). Family `oscillator`.
 */
export function rsi(options: RsiAgentOptions = {}): RuleAgent {
  return new RuleAgent('rsi', 'oscillator', new RsiRule(options), options);
}
