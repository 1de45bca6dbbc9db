import { z } from 'zod';
import { SymbolSchema } from './symbol.js';

/** Current version of the {@link Signal} record. */
export const SIGNAL_SCHEMA_VERSION = 1;

/** What a signal recommends. */
export const SignalAction = z.enum(['BUY', 'SELL', 'HOLD']);
/** See {@link SignalAction}. */
export type SignalAction = z.infer<typeof SignalAction>;

/** One fact behind a signal: an indicator reading, a threshold, a vote. */
export const ReasoningFactor = z.object({
  /** What was measured, e.g. `rsi14`. */
  name: z.string().min(1),
  /** Its value. */
  value: z.union([z.number(), z.string(), z.boolean(), z.null()]),
  /** The threshold or reference it was compared with, when there is one. */
  threshold: z.number().optional(),
  /** How much it contributed to the decision (signed; agents and consensus decide the scale). */
  contribution: z.number().optional(),
  /** A short human-readable note. */
  detail: z.string().optional(),
});
/** See {@link ReasoningFactor}. */
export type ReasoningFactor = z.infer<typeof ReasoningFactor>;

/** Structured reasoning: a one-line summary and the factors that produced it. */
export const Reasoning = z.object({
  /** One line a person can read, e.g. `RSI(14) 27.3 below 30: oversold`. */
  summary: z.string(),
  /** The facts behind it. */
  factors: z.array(ReasoningFactor),
});
/** See {@link Reasoning}. */
export type Reasoning = z.infer<typeof Reasoning>;

/** Risk figures attached to a signal. All optional: an agent fills what it knows. */
export const RiskMetrics = z.object({
  /** Suggested stop price. */
  stopLoss: z.number().finite().optional(),
  /** Suggested take-profit price. */
  takeProfit: z.number().finite().optional(),
  /** Distance from price to stop, as a fraction of price. */
  stopDistancePct: z.number().finite().nonnegative().optional(),
  /** Average true range at the time. */
  atr: z.number().finite().nonnegative().optional(),
  /** Annualized or per-bar volatility estimate (the agent documents which). */
  volatility: z.number().finite().nonnegative().optional(),
  /** Reward-to-risk ratio. */
  riskReward: z.number().finite().optional(),
  /** Suggested position size as a fraction of equity. */
  positionSizePct: z.number().finite().min(0).max(1).optional(),
});
/** See {@link RiskMetrics}. */
export type RiskMetrics = z.infer<typeof RiskMetrics>;

/** A trading signal, as the signal engine emits and stores it. */
export const Signal = z.object({
  /** Record version; older stored signals are upgraded on read. */
  schemaVersion: z.literal(SIGNAL_SCHEMA_VERSION),
  /** Unique id. */
  id: z.string().min(1),
  /** Canonical symbol. */
  symbol: SymbolSchema,
  /** Recommendation. */
  action: SignalAction,
  /** 0 (none) to 1 (certain). */
  confidence: z.number().min(0).max(1),
  /** The agent (or `consensus`) that produced it. */
  agent: z.string().min(1),
  /** Why. */
  reasoning: Reasoning,
  /** Risk figures. */
  riskMetrics: RiskMetrics,
  /** Price the signal was computed at. */
  price: z.number().finite().nonnegative(),
  /** When, epoch ms UTC. */
  at: z.number().int().nonnegative(),
  /** Data source(s) the inputs came from, when known. */
  source: z.string().optional(),
});
/** See {@link Signal}. */
export type Signal = z.infer<typeof Signal>;
