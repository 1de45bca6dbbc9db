import type { Reasoning, ReasoningFactor, RiskMetrics, SignalAction } from '@stockade/core';
import type { AgentSignal } from './agent.js';
import { interned } from './interned-text.js';

/** Clamps `x` into [lo, hi]. */
export const clamp = (x: number, lo = 0, hi = 1): number => Math.min(hi, Math.max(lo, x));

/** Formats a reading for a summary line. */
export const fmt = (x: number, digits = 2): string => x.toFixed(digits);

/** The explanation behind a lazy reasoning, and its cached result. */
interface Explanation {
  explain: () => Reasoning;
  cached: Reasoning | null;
}

function explained(self: { readonly explanation: Explanation }): Reasoning {
  const e = self.explanation;
  e.cached ??= e.explain();
  return e.cached;
}

function readSummary(this: { readonly explanation: Explanation }): string {
  return explained(this).summary;
}

function readFactors(this: { readonly explanation: Explanation }): ReasoningFactor[] {
  return explained(this).factors;
}

/**
 * A reasoning whose text is written only when somebody reads it: agents answer on every bar for
 * thousands of symbols, and most answers are never looked at. The accessors are own, enumerable
 * properties, so spreading, `JSON.stringify` and schema parsing see a plain `{ summary, factors }`.
 * Defined with shared getters (not an object literal with getters, which V8 keeps as a dictionary).
 */
function lazyReasoning(explain: () => Reasoning): { reasoning: Reasoning; invalidate(): void } {
  const explanation: Explanation = { explain, cached: null };
  const reasoning = {} as Reasoning;
  Object.defineProperty(reasoning, 'summary', { get: readSummary, enumerable: true });
  Object.defineProperty(reasoning, 'factors', { get: readFactors, enumerable: true });
  Object.defineProperty(reasoning, 'explanation', { value: explanation, enumerable: false });
  return {
    reasoning,
    invalidate() {
      explanation.cached = null;
    },
  };
}

const NO_RISK: RiskMetrics = Object.freeze({});

/**
 * A reasoning factor whose value is always a number, updated in place on every evaluation. A class
 * of its own, not an object literal: literals of the same keys share one hidden class across the
 * program, and a string stored in any `{ name, value }` literal anywhere would make every numeric
 * store here allocate.
 */
class NumericFactor implements ReasoningFactor {
  // Initialised to a number (not declared bare): a field that starts out `undefined` is stored
  // tagged, and every later number written to it would be boxed.
  value = 0;
  threshold?: number;

  constructor(
    readonly name: string,
    threshold?: number,
  ) {
    if (threshold !== undefined) this.threshold = threshold;
  }
}

/** Reads a HOLD factor's value from the state it belongs to (shared by every HOLD factor). */
function readHoldValue(this: { readonly state: AgentState }): number {
  return this.state.reading;
}

/**
 * The factor of a HOLD answer: its value is read from the state only when somebody reads it, so
 * that holding (what agents do almost every bar) writes one number into the state and nothing else.
 * An own, enumerable accessor, so that `JSON.stringify` and spreading see the value. Built with
 * `defineProperty` and one shared getter, not as an object literal with a getter: V8 keeps such a
 * literal as a dictionary (a ~260-byte hash table per agent) beside a closure and its context.
 */
function holdReading(name: string, state: AgentState): ReasoningFactor {
  const factor = { name } as ReasoningFactor;
  Object.defineProperty(factor, 'value', { get: readHoldValue, enumerable: true });
  Object.defineProperty(factor, 'state', { value: state, enumerable: false });
  return factor;
}

/** What an {@link AgentState} needs to know about its rule. */
export interface AgentStateOptions {
  /** Bars before the rule may act. */
  warmup: number;
  /** Stop distance in ATRs. */
  stopAtr: number;
  /** Take-profit distance in ATRs. */
  targetAtr: number;
  /** Summary of the rule's HOLD answer, e.g. `RSI(14) between 30 and 70`. */
  holdSummary: string;
  /** Name of the reading a HOLD answer reports, e.g. `rsi14`. */
  holdFactor: string;
  /** Writes the reasoning of the last BUY/SELL when somebody reads it (a subclass may override `explainAction()` instead). @default a bare summary naming the action */
  explain?: (action: SignalAction) => Reasoning;
}

const ATR_PERIOD = 14;

/** The "warming up" HOLD answer of an agent that needs `warmup` bars; its one factor counts the bars seen. */
function warmingAnswer(warmup: number): AgentSignal {
  const bars = new NumericFactor('bars', warmup);
  return {
    action: 'HOLD',
    confidence: 0,
    reasoning: { summary: interned(`warming up: needs ${warmup} bars`), factors: [bars] },
    riskMetrics: NO_RISK,
  };
}

/**
 * The state every built-in agent shares, handed to its rule: bars seen, the latest price (a close
 * or a newer quote), an ATR(14) for risk metrics, and the reusable answers. `RuleAgent` extends it,
 * so that the engine's hot loop reaches an agent's state without another pointer to chase: with
 * 60 000 agents per bar, memory latency, not arithmetic, is the cost.
 */
export class AgentState {
  /** Bars seen. */
  bars = 0;
  /** Latest price: the last close, or a newer quote. */
  price = Number.NaN;
  /** ATR(14) of the bars (Wilder, TA-Lib's `ATR`), `NaN` before 15 bars. */
  atr = Number.NaN;
  /** The reading the last HOLD reported. */
  reading = Number.NaN;
  private previousClose = 0;
  private rangeSum = 0;
  /** Bars before the rule may act. */
  readonly warmup: number;
  private readonly stopAtr: number;
  private readonly targetAtr: number;
  private readonly holdAnswer: AgentSignal;
  // The answers below are made on first use, not up front: with 60 000 agents in memory, every
  // object built beside an agent is memory the engine's hot loop streams past on every bar.
  private warmingAnswer: AgentSignal | null = null;
  private actAnswer: AgentSignal | null = null;
  private actRisk: RiskMetrics | null = null;
  private explanation: ReturnType<typeof lazyReasoning> | null = null;
  private readonly explainOption: ((action: SignalAction) => Reasoning) | undefined;

  constructor(options: AgentStateOptions) {
    this.warmup = options.warmup;
    this.stopAtr = options.stopAtr;
    this.targetAtr = options.targetAtr;
    this.explainOption = options.explain;
    this.holdAnswer = {
      action: 'HOLD',
      confidence: 0,
      reasoning: { summary: options.holdSummary, factors: [holdReading(options.holdFactor, this)] },
      riskMetrics: NO_RISK,
    };
  }

  /** Counts a bar: its close becomes the price, and its true range goes into the ATR. */
  advance(h: number, l: number, c: number): void {
    const bars = ++this.bars;
    this.price = c;
    const previousClose = this.previousClose;
    this.previousClose = c;
    if (bars === 1) return;
    const tr = Math.max(h, previousClose) - Math.min(l, previousClose);
    if (bars > ATR_PERIOD + 1) {
      this.atr = (this.atr * (ATR_PERIOD - 1) + tr) / ATR_PERIOD;
    } else {
      this.rangeSum += tr;
      if (bars === ATR_PERIOD + 1) this.atr = this.rangeSum / ATR_PERIOD;
    }
  }

  /** Whether enough bars have been seen for the rule to act. */
  get isWarm(): boolean {
    return this.bars >= this.warmup;
  }

  /** The reusable "warming up" answer. */
  warming(): AgentSignal {
    let answer = this.warmingAnswer;
    if (answer === null) {
      answer = warmingAnswer(this.warmup);
      this.warmingAnswer = answer;
    }
    (answer.reasoning.factors[0] as NumericFactor).value = this.bars;
    return answer;
  }

  /** The reusable HOLD answer, its one factor set to `reading`. */
  hold(reading: number): AgentSignal {
    this.reading = reading;
    return this.holdAnswer;
  }

  /** The reusable BUY/SELL answer, with ATR-based stop and target around the latest price. */
  act(action: SignalAction, confidence: number): AgentSignal {
    const price = this.price;
    const atr = this.atr;
    let answer = this.actAnswer;
    let explanation = this.explanation;
    if (answer === null || explanation === null) {
      explanation = lazyReasoning(() => this.explainAction((this.actAnswer as AgentSignal).action));
      answer = { action: 'HOLD', confidence: 0, reasoning: explanation.reasoning, riskMetrics: NO_RISK };
      this.explanation = explanation;
      this.actAnswer = answer;
    }
    answer.action = action;
    answer.confidence = clamp(confidence);
    explanation.invalidate();
    if (atr > 0 && price > 0) {
      const side = action === 'BUY' ? 1 : -1;
      let risk = this.actRisk;
      if (risk === null) {
        risk = { atr: 0, volatility: 0, stopLoss: 0, takeProfit: 0, stopDistancePct: 0, riskReward: 0 };
        this.actRisk = risk;
      }
      risk.atr = atr;
      risk.volatility = atr / price;
      risk.stopLoss = price - side * this.stopAtr * atr;
      risk.takeProfit = price + side * this.targetAtr * atr;
      risk.stopDistancePct = (this.stopAtr * atr) / price;
      risk.riskReward = this.targetAtr / this.stopAtr;
      answer.riskMetrics = risk;
    } else {
      answer.riskMetrics = NO_RISK;
    }
    return answer;
  }

  /**
   * The reasoning of the last BUY/SELL, written when somebody reads it: `options.explain` by
   * default. A subclass may override it instead of passing a closure per instance.
   */
  protected explainAction(action: SignalAction): Reasoning {
    return this.explainOption?.(action) ?? { summary: `${action} by ${this.warmup}-bar rule`, factors: [] };
  }

  /** Forgets every bar. */
  reset(): void {
    this.bars = 0;
    this.price = Number.NaN;
    this.atr = Number.NaN;
    this.reading = Number.NaN;
    this.previousClose = 0;
    this.rangeSum = 0;
  }
}
