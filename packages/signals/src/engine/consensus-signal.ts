import type { VoteResult } from '@stockade/consensus';
import { type RiskMetrics, SIGNAL_SCHEMA_VERSION, type Signal, type SignalAction } from '@stockade/core';
import type { AgentSignal } from '../agents/agent.js';

/** An agent's latest answer, as the engine keeps it per symbol. */
export interface AgentAnswer {
  /** Agent name. */
  readonly agent: string;
  /** Its family. */
  readonly family: string;
  /** Its latest answer (may be a reused object: read, do not keep). */
  signal: AgentSignal;
}

/**
 * Risk figures for a consensus signal: those of the strongest agent that voted the same way and
 * gave any (the built-ins give ATR-based stops), so the stop belongs to a real rule, not an average.
 */
export function consensusRisk(action: SignalAction, answers: readonly AgentAnswer[]): RiskMetrics {
  let best: AgentSignal | undefined;
  for (const a of answers) {
    const s = a.signal;
    if (s.action !== action || (s.riskMetrics.stopLoss === undefined && s.riskMetrics.stopDistancePct === undefined))
      continue;
    if (best === undefined || s.confidence > best.confidence) best = s;
  }
  return best === undefined ? {} : { ...best.riskMetrics };
}

/** The consensus `Signal` record (not yet validated) for one symbol. */
export function consensusSignal(
  id: string,
  symbol: string,
  vote: VoteResult,
  answers: readonly AgentAnswer[],
  price: number,
  at: number,
  source: string | undefined,
): Signal {
  const signal: Signal = {
    schemaVersion: SIGNAL_SCHEMA_VERSION,
    id,
    symbol,
    action: vote.action,
    confidence: vote.confidence,
    agent: 'consensus',
    reasoning: vote.reasoning,
    riskMetrics: consensusRisk(vote.action, answers),
    price,
    at: Math.round(at),
  };
  if (source !== undefined) signal.source = source;
  return signal;
}
