import type { Reasoning, SignalAction } from '@stockade/core';
import { BollingerBands, type BollingerOptions } from '../indicators/bollinger.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link bollingerReversion} and {@link bollingerBreakout}. */
export interface BollingerAgentOptions extends AgentOptions, BollingerOptions {}

/** Bands as they stood after a bar (copied: the indicator's result object is reused). */
class Bands {
  upper = Number.NaN;
  middle = Number.NaN;
  lower = Number.NaN;
}

class BollingerReversionRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly bb: BollingerBands;
  private readonly bands = new Bands();
  private at = Number.NaN;
  private percentB = Number.NaN;

  constructor(options: BollingerAgentOptions) {
    const bb = new BollingerBands(options);
    this.warmup = bb.period;
    this.holdSummary = 'price inside the Bollinger bands';
    this.holdFactor = 'percentB';
    this.bb = bb;
  }

  update(bar: AgentBar, _state: AgentState): void {
    const v = this.bb.update(bar.c);
    if (v === null) return;
    this.bands.upper = v.upper;
    this.bands.middle = v.middle;
    this.bands.lower = v.lower;
  }

  decide(state: AgentState): AgentSignal {
    const { upper, lower } = this.bands;
    const price = state.price;
    const width = upper - lower;
    const percentB = width > 0 ? (price - lower) / width : 0.5;
    this.at = price;
    this.percentB = percentB;
    if (price < lower) return state.act('BUY', 0.5 - percentB);
    if (price > upper) return state.act('SELL', percentB - 0.5);
    return state.hold(percentB);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    const { upper, middle, lower } = this.bands;
    const band =
      action === 'BUY'
        ? `below the lower band ${fmt(lower)}: fade the drop`
        : `above the upper band ${fmt(upper)}: fade the rise`;
    return {
      summary: `price ${fmt(this.at)} ${band}`,
      factors: [
        { name: 'price', value: this.at },
        { name: 'lowerBand', value: lower },
        { name: 'middleBand', value: middle },
        { name: 'upperBand', value: upper },
        { name: 'percentB', value: this.percentB, threshold: action === 'BUY' ? 0 : 1 },
      ],
    };
  }

  reset(): void {
    this.bb.reset();
  }
}

class BollingerBreakoutRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly bb: BollingerBands;
  private readonly bands = new Bands();
  private readonly previous = new Bands();
  private close = Number.NaN;
  private previousClose = Number.NaN;
  private percentB = Number.NaN;

  constructor(options: BollingerAgentOptions) {
    const bb = new BollingerBands(options);
    this.warmup = bb.period + 1;
    this.holdSummary = 'price inside the Bollinger bands';
    this.holdFactor = 'percentB';
    this.bb = bb;
  }

  update(bar: AgentBar, _state: AgentState): void {
    this.previous.upper = this.bands.upper;
    this.previous.lower = this.bands.lower;
    this.previousClose = this.close;
    this.close = bar.c;
    const v = this.bb.update(bar.c);
    if (v === null) return;
    this.bands.upper = v.upper;
    this.bands.middle = v.middle;
    this.bands.lower = v.lower;
  }

  decide(state: AgentState): AgentSignal {
    const { upper, lower } = this.bands;
    const c = this.close;
    const wasInside = this.previousClose <= this.previous.upper && this.previousClose >= this.previous.lower;
    const width = upper - lower;
    const percentB = width > 0 ? (c - lower) / width : 0.5;
    this.percentB = percentB;
    if (wasInside && c > upper) return state.act('BUY', 0.5 + (percentB - 1));
    if (wasInside && c < lower) return state.act('SELL', 0.5 - percentB);
    return state.hold(percentB);
  }

  explain(action: SignalAction, _state: AgentState): Reasoning {
    const { upper, lower } = this.bands;
    const band = action === 'BUY' ? `above the upper band ${fmt(upper)}` : `below the lower band ${fmt(lower)}`;
    return {
      summary: `close ${fmt(this.close)} broke ${band}`,
      factors: [
        { name: 'close', value: this.close },
        { name: 'upperBand', value: upper },
        { name: 'lowerBand', value: lower },
        { name: 'percentB', value: this.percentB, threshold: action === 'BUY' ? 1 : 0 },
      ],
    };
  }

  reset(): void {
    this.bb.reset();
    this.close = Number.NaN;
    this.previousClose = Number.NaN;
  }
}

/**
 * **Bollinger mean reversion.** BUY while the latest price (a close or a newer quote) is below the
 * lower band, SELL while above the upper band: bets on a return to the middle band. Confidence 0.5
 * at the band, plus how far outside it the price is in band widths (%b below 0 or above 1).
 * Family `mean-reversion`.
 */
export function bollingerReversion(options: BollingerAgentOptions = {}): RuleAgent {
  return new RuleAgent('bollingerReversion', 'mean-reversion', new BollingerReversionRule(options), options);
}

/**
 * **Bollinger breakout.** BUY on the bar whose close breaks out above the upper band after the
 * previous close was inside the bands, SELL on a break below the lower band: follows the move.
 * Confidence 0.5 plus how far past the band the close is in band widths. Family `breakout`.
 */
export function bollingerBreakout(options: BollingerAgentOptions = {}): RuleAgent {
  return new RuleAgent('bollingerBreakout', 'breakout', new BollingerBreakoutRule(options), options);
}
