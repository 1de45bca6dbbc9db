import type { WeightedVoteOptions } from '@stockade/consensus';
import type { Clock, Signal } from '@stockade/core';
import type { AgentBar, AgentFactory } from '../agents/agent.js';
import type { SignalValidationOptions } from './signal-gate.js';

/** What the engine tells a quality tracker: every BUY/SELL answer, and every bar (to resolve them). */
export interface SignalRecorder {
  /** Records a signal (an agent's, or the consensus'). */
  record(
    signal: Pick<Signal, 'symbol' | 'agent' | 'action' | 'confidence' | 'price' | 'at'> & { source?: string },
  ): void;
  /** A closed bar of `symbol`, which may resolve earlier signals. */
  onBar(symbol: string, bar: AgentBar): void;
}

/** Options of {@link SignalEngine}. */
export interface SignalEngineOptions {
  /** Agents for symbols passed to `watch()` without their own list. @default [] */
  agents?: readonly AgentFactory[];
  /** Consensus voting options (threshold, participation, family cap, weights). @default {} */
  consensus?: WeightedVoteOptions;
  /** A quote re-evaluates a symbol only when it moved more than this fraction since the last evaluation. @default 0.005 */
  moveThreshold?: number;
  /** Minimum confidence, risk cap and daily-loss kill switch. @default {} */
  validation?: SignalValidationOptions;
  /** Emit HOLD consensus signals too. @default false */
  emitHold?: boolean;
  /** `source` written on every signal (e.g. the provider). @default undefined */
  source?: string;
  /** Time source (session dates for the kill switch, `recordPnl` default time). @default systemClock */
  clock?: Clock;
  /** Receives every agent and consensus BUY/SELL signal, and every bar. @default undefined */
  tracker?: SignalRecorder;
  /**
   * Time one symbol's agent evaluations in every `timingSample` (1 times every evaluation, 0 none):
   * two clock reads per agent call cost more than many agents' rules. @default 16
   */
  timingSample?: number;
  /** Called when a signal listener throws. @default undefined (the error is dropped) */
  onListenerError?: (error: unknown) => void;
}
