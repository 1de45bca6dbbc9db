import type { Reasoning, SignalAction } from '@stockade/core';
import { OBV } from '../indicators/obv.js';
import { SMA } from '../indicators/sma.js';
import type { AgentBar, AgentSignal } from './agent.js';
import { type AgentState, fmt } from './agent-state.js';
import { type AgentOptions, type AgentRule, RuleAgent } from './rule-agent.js';

/** Options of {@link obvTrend}. */
export interface ObvTrendOptions extends AgentOptions {
  /** Averages of price and of OBV that define each trend. @default 20 */
  period?: number;
}

class ObvTrendRule implements AgentRule {
  readonly warmup: number;
  readonly holdSummary: string;
  readonly holdFactor: string;
  private readonly obv = new OBV();
  private readonly priceAverage: SMA;
  private readonly obvAverage: SMA;
  private volumeSeen = 0;

  constructor(options: ObvTrendOptions) {
    const period = options.period ?? 20;
    this.warmup = period;
    this.holdSummary = 'price and volume trends disagree';
    this.holdFactor = 'obv';
    this.priceAverage = new SMA(period);
    this.obvAverage = new SMA(period);
  }

  update(bar: AgentBar, _state: AgentState): void {
    if ((bar.v ?? 0) > 0) this.volumeSeen++;
    this.obv.update(bar);
    this.priceAverage.update(bar.c);
    this.obvAverage.update(this.obv.current);
  }

  decide(state: AgentState): AgentSignal {
    const obv = this.obv.current;
    if (this.volumeSeen === 0) return state.hold(obv); // an index: no volume to confirm anything with
    const price = state.price;
    const pAvg = this.priceAverage.current;
    const oAvg = this.obvAverage.current;
    const scale = state.atr || Math.abs(pAvg) * 0.01 || 1;
    const strength = 0.5 + Math.min(0.3, Math.abs(price - pAvg) / scale / 10);
    if (price > pAvg && obv > oAvg) return state.act('BUY', strength);
    if (price < pAvg && obv < oAvg) return state.act('SELL', strength);
    return state.hold(obv);
  }

  explain(action: SignalAction, state: AgentState): Reasoning {
    const pAvg = this.priceAverage.current;
    const side = action === 'BUY' ? 'above' : 'below';
    return {
      summary: `${action === 'BUY' ? 'uptrend' : 'downtrend'} confirmed by volume: price ${side} SMA ${fmt(pAvg)}, OBV ${side} its average`,
      factors: [
        { name: 'price', value: state.price, threshold: pAvg },
        { name: 'obv', value: this.obv.current, threshold: this.obvAverage.current },
      ],
    };
  }

  reset(): void {
    this.obv.reset();
    this.priceAverage.reset();
    this.obvAverage.reset();
    this.volumeSeen = 0;
  }
}

/**
 * **OBV trend confirmation.** BUY while the price is above its `period`-bar SMA *and* on-balance
 * volume is above its own `period`-bar SMA (the up-trend has volume behind it), SELL while both
 * are below; HOLD when they disagree or the symbol has no volume. Confidence 0.5 to 0.8 with the
 * price's distance from its average in ATRs. Family `volume`.
 */
export function obvTrend(options: ObvTrendOptions = {}): RuleAgent {
  return new RuleAgent('obvTrend', 'volume', new ObvTrendRule(options), options);
}
