import type { Signal } from '@stockade/core';

/** Options of the engine's signal validation. */
export interface SignalValidationOptions {
  /**
   * BUY/SELL signals below this consensus confidence (`|score| × participation`) are not emitted.
   * Not 0.6: with the 13 built-in agents, consensus confidence peaks at 0.31 (SPY 2019–2020) and
   * 0.45 (TA-Lib's regression series), so 0.6 would silence them entirely. @default 0.2
   */
  minConfidence?: number;
  /** Largest stop distance (fraction of price, ATR-based) a signal may carry; riskier ones are not emitted. @default 0.1 */
  maxStopDistancePct?: number;
  /** Daily loss (fraction of equity, positive) past which the kill switch stops every BUY/SELL until the next session. @default 0.03 */
  dailyLossLimitPct?: number;
}

/** Why a signal was held back. */
export type RejectionReason = 'min_confidence' | 'risk_cap' | 'kill_switch';

/** State of the daily-loss kill switch. */
export interface KillSwitchState {
  /** Whether BUY/SELL signals are being stopped. */
  engaged: boolean;
  /** Session date (`YYYY-MM-DD`) the P&L below belongs to. */
  session: string | null;
  /** Cumulative P&L of that session, as a fraction of equity (−0.031 is −3.1 %). */
  pnl: number;
  /** When it engaged, epoch ms. */
  engagedAt: number | null;
}

/**
 * The checks a consensus signal passes before it is emitted: minimum confidence, a cap on the
 * ATR-based stop distance, and a kill switch past a daily loss limit.
 */
export class SignalGate {
  /** BUY/SELL below this confidence are held back. */
  readonly minConfidence: number;
  /** Largest stop distance (fraction of price) let through. */
  readonly maxStopDistancePct: number;
  /** Session loss (fraction of equity) that engages the kill switch. */
  readonly dailyLossLimitPct: number;
  private state: KillSwitchState = { engaged: false, session: null, pnl: 0, engagedAt: null };

  constructor(options: SignalValidationOptions = {}) {
    this.minConfidence = options.minConfidence ?? 0.2;
    this.maxStopDistancePct = options.maxStopDistancePct ?? 0.1;
    this.dailyLossLimitPct = options.dailyLossLimitPct ?? 0.03;
  }

  /**
   * The reason to hold `signal` back, or null to let it through. HOLD always passes. A signal of a
   * later session than the one the switch engaged in releases it: the limit is daily.
   */
  check(signal: Pick<Signal, 'action' | 'confidence' | 'riskMetrics'>, session: string): RejectionReason | null {
    if (signal.action === 'HOLD') return null;
    if (this.state.engaged && this.state.session !== null && session > this.state.session) {
      this.state = { engaged: false, session, pnl: 0, engagedAt: null };
    }
    if (this.state.engaged) return 'kill_switch';
    if (signal.confidence < this.minConfidence) return 'min_confidence';
    const stop = signal.riskMetrics.stopDistancePct;
    if (stop !== undefined && stop > this.maxStopDistancePct) return 'risk_cap';
    return null;
  }

  /**
   * Adds realised P&L for `session`; returns true when this call engaged the kill switch. A new
   * session starts from zero and releases the switch.
   */
  recordPnl(pnl: number, session: string, at: number): boolean {
    if (this.state.session !== session) this.state = { engaged: false, session, pnl: 0, engagedAt: null };
    this.state.pnl += pnl;
    if (!this.state.engaged && this.state.pnl <= -this.dailyLossLimitPct) {
      this.state.engaged = true;
      this.state.engagedAt = at;
      return true;
    }
    return false;
  }

  /** Releases the kill switch by hand (the session's P&L is kept). */
  release(): void {
    this.state.engaged = false;
    this.state.engagedAt = null;
  }

  /** A copy of the kill-switch state. */
  killSwitch(): KillSwitchState {
    return { ...this.state };
  }
}
