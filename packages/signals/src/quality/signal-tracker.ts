import { betaWeights, hedgeWeights, type ResolvedOutcome } from '@stockade/consensus';
import { type Alert, type Clock, type Signal, systemClock, ValidationError } from '@stockade/core';
import type { AgentBar } from '../agents/agent.js';
import type { SignalRecorder } from '../engine/signal-engine-options.js';
import type { Disposable } from '../engine/signal-stream.js';
import { type QualityReport, QualityStats, RollingQuality } from './quality-stats.js';
import { spearman } from './rank-correlation.js';

/** A signal as the tracker records it (a full `Signal` fits). */
export type TrackedSignal = Pick<Signal, 'symbol' | 'agent' | 'action' | 'confidence' | 'price' | 'at'> & {
  source?: string;
};

/** Options of {@link SignalTracker}. */
export interface SignalTrackerOptions {
  /** Bars after a signal at which it is resolved (its return is measured at that bar's close). @default 5 */
  horizonBars?: number;
  /** Reliability bins over the forecast range [0.5, 1]. @default 10 */
  bins?: number;
  /** Resolved outcomes per agent in the rolling window the alerts watch. @default 50 */
  window?: number;
  /** Outcomes in the window before an alert may fire. @default 20 */
  minSamples?: number;
  /** Alert when an agent's rolling hit rate falls below this. @default 0.45 */
  minHitRate?: number;
  /** Alert when an agent's rolling Brier score rises above this (0.25 is a coin flip). @default 0.3 */
  maxBrier?: number;
  /** How far back past a threshold a degraded agent must come before the alert clears (no flapping). @default 0.02 */
  hysteresis?: number;
  /** Resolved outcomes kept for the information coefficient and adaptive weights (oldest dropped). @default 100000 */
  maxOutcomes?: number;
  /** Time of alerts. @default systemClock */
  clock?: Clock;
}

/** A quality alert raised or cleared. */
export interface QualityAlertEvent {
  /** Raised when an agent degrades past a threshold, cleared when it recovers. */
  kind: 'raised' | 'cleared';
  /** The alert (`type: 'signal_quality'`, subject: the agent). */
  alert: Alert;
}

/** Quality per agent and per source. */
export interface TrackerReport {
  /** One report per agent (the engine's consensus is the agent `consensus`), most resolved first. */
  agents: QualityReport[];
  /** One report per data source, when signals carry one. */
  sources: QualityReport[];
  /** Signals still waiting for their horizon. */
  pending: number;
}

interface Pending {
  signal: TrackedSignal;
  dueBar: number;
}

interface SymbolTrack {
  bars: number;
  closes: Float64Array;
  up: number;
  down: number;
  windows: number;
  pending: Pending[];
}

interface Outcome extends ResolvedOutcome {
  source: string | undefined;
  conviction: number;
  forwardReturn: number;
}

/**
 * Records every signal, resolves each `horizonBars` later from the symbol's bars, and reports per
 * agent and per source: hit rate with a Wilson interval against the base rate, mean return, Brier
 * score, reliability bins and expected calibration error, and the information coefficient. Alerts
 * when an agent's rolling hit rate or Brier score degrades; exports adaptive consensus weights from
 * the outcomes resolved so far (never from signals still in flight).
 *
 * The base rate of a BUY is how often the symbol rose over any `horizonBars` window seen so far
 * (and of a SELL, how often it fell): an agent beats it only if it picks its moments.
 *
 * @example
 * const tracker = new SignalTracker({ horizonBars: 5 });
 * const engine = new SignalEngine({ agents: agents.all(), tracker });
 * // … bars flow …
 * for (const a of tracker.report().agents) console.log(a.name, a.hitRate, a.hitRateInterval, a.baseRate);
 * engine.setWeights(tracker.weights({ method: 'hedge' }));
 */
export class SignalTracker implements SignalRecorder {
  private readonly horizon: number;
  private readonly bins: number;
  private readonly window: number;
  private readonly minSamples: number;
  private readonly minHitRate: number;
  private readonly maxBrier: number;
  private readonly hysteresis: number;
  private readonly maxOutcomes: number;
  private readonly clock: Clock;
  private readonly symbols = new Map<string, SymbolTrack>();
  private readonly byAgent = new Map<string, QualityStats>();
  private readonly bySource = new Map<string, QualityStats>();
  private readonly rolling = new Map<string, RollingQuality>();
  private readonly degraded = new Set<string>();
  private readonly listeners = new Set<(event: QualityAlertEvent) => void>();
  private outcomeLog: Outcome[] = [];
  private pendingCount = 0;

  constructor(options: SignalTrackerOptions = {}) {
    this.horizon = options.horizonBars ?? 5;
    if (!Number.isInteger(this.horizon) || this.horizon < 1) {
      throw new ValidationError(`horizonBars must be a positive integer, got ${String(options.horizonBars)}`, [
        { path: 'horizonBars', message: 'expected e.g. 5' },
      ]);
    }
    this.bins = options.bins ?? 10;
    this.window = options.window ?? 50;
    this.minSamples = options.minSamples ?? 20;
    this.minHitRate = options.minHitRate ?? 0.45;
    this.maxBrier = options.maxBrier ?? 0.3;
    this.hysteresis = options.hysteresis ?? 0.02;
    this.maxOutcomes = options.maxOutcomes ?? 100_000;
    this.clock = options.clock ?? systemClock;
  }

  /** Records a BUY or SELL signal (HOLD is ignored: it predicts nothing). */
  record(signal: TrackedSignal): void {
    if (signal.action === 'HOLD') return;
    const track = this.track(signal.symbol);
    const { symbol, agent, action, confidence, price, at, source } = signal;
    const kept: TrackedSignal = { symbol, agent, action, confidence, price, at };
    if (source !== undefined) kept.source = source;
    track.pending.push({ signal: kept, dueBar: track.bars + this.horizon });
    this.pendingCount++;
  }

  /** A closed bar of `symbol`: resolves the signals whose horizon it reaches. */
  onBar(symbol: string, bar: AgentBar): void {
    const track = this.track(symbol);
    const h = this.horizon;
    const slot = track.bars % (h + 1);
    if (track.bars >= h) {
      const past = track.closes[(track.bars - h) % (h + 1)] as number;
      if (bar.c > past) track.up++;
      else if (bar.c < past) track.down++;
      track.windows++;
    }
    track.closes[slot] = bar.c;
    track.bars++;
    if (track.pending.length === 0 || (track.pending[0] as Pending).dueBar > track.bars) return;
    const still: Pending[] = [];
    for (const p of track.pending) {
      if (p.dueBar > track.bars) still.push(p);
      else this.resolve(p.signal, track, bar);
    }
    track.pending = still;
  }

  /** Per-agent and per-source quality. */
  report(): TrackerReport {
    const icOf = (key: (o: Outcome) => string | undefined, name: string) => {
      const mine = this.outcomeLog.filter((o) => key(o) === name);
      return spearman(
        mine.map((o) => o.conviction),
        mine.map((o) => o.forwardReturn),
      );
    };
    const agents = [...this.byAgent.values()].map((s) => s.report(icOf((o) => o.agent, s.name)));
    const bySource = [...this.bySource.values()].map((s) => s.report(icOf((o) => o.source, s.name)));
    const order = (a: QualityReport, b: QualityReport) => b.resolved - a.resolved || a.name.localeCompare(b.name);
    return { agents: agents.sort(order), sources: bySource.sort(order), pending: this.pendingCount };
  }

  /** Resolved outcomes (the last `maxOutcomes`), oldest first: the input of adaptive weighting. */
  outcomes(): ResolvedOutcome[] {
    return this.outcomeLog.map(({ agent, signalAt, resolvedAt, hit }) => ({ agent, signalAt, resolvedAt, hit }));
  }

  /**
   * Adaptive consensus weights from the outcomes resolved by `asOf` (default: the latest outcome):
   * Hedge with fixed share, or Beta win rate (see `@stockade/consensus`). The engine's own
   * `consensus` signals are left out unless listed in `agents`.
   */
  weights(options: { method: 'hedge' | 'beta'; asOf?: number; agents?: readonly string[] }): Record<string, number> {
    const agents = options.agents ?? [...this.byAgent.keys()].filter((a) => a !== 'consensus');
    if (agents.length === 0) return {};
    const asOf = options.asOf ?? this.outcomeLog.at(-1)?.resolvedAt ?? 0;
    const outcomes = this.outcomes();
    return options.method === 'hedge'
      ? hedgeWeights(outcomes, { agents, asOf })
      : betaWeights(outcomes, { agents, asOf });
  }

  /** Calls `listener` when an agent's rolling quality crosses a threshold (and when it recovers). */
  onAlert(listener: (event: QualityAlertEvent) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private track(symbol: string): SymbolTrack {
    let track = this.symbols.get(symbol);
    if (track === undefined) {
      track = { bars: 0, closes: new Float64Array(this.horizon + 1), up: 0, down: 0, windows: 0, pending: [] };
      this.symbols.set(symbol, track);
    }
    return track;
  }

  private resolve(signal: TrackedSignal, track: SymbolTrack, bar: AgentBar): void {
    this.pendingCount--;
    const direction = signal.action === 'BUY' ? 1 : -1;
    const forwardReturn = signal.price > 0 ? (bar.c - signal.price) / signal.price : 0;
    const hit = direction * forwardReturn > 0;
    const moves = direction > 0 ? track.up : track.down;
    const baseRate = track.windows > 0 ? moves / track.windows : 0.5;
    const stats = (map: Map<string, QualityStats>, name: string) => {
      let s = map.get(name);
      if (s === undefined) {
        s = new QualityStats(name, this.bins);
        map.set(name, s);
      }
      return s;
    };
    stats(this.byAgent, signal.agent).add(signal.confidence, hit, direction * forwardReturn, baseRate);
    if (signal.source !== undefined) {
      stats(this.bySource, signal.source).add(signal.confidence, hit, direction * forwardReturn, baseRate);
    }
    const outcome: Outcome = {
      agent: signal.agent,
      signalAt: signal.at,
      resolvedAt: Math.max(bar.t, signal.at),
      hit,
      source: signal.source,
      conviction: direction * signal.confidence,
      forwardReturn,
    };
    this.outcomeLog.push(outcome);
    if (this.outcomeLog.length > this.maxOutcomes * 1.1) this.outcomeLog = this.outcomeLog.slice(-this.maxOutcomes);
    this.watch(signal.agent, signal.confidence, hit);
  }

  private watch(agent: string, confidence: number, hit: boolean): void {
    let rolling = this.rolling.get(agent);
    if (rolling === undefined) {
      rolling = new RollingQuality(this.window);
      this.rolling.set(agent, rolling);
    }
    rolling.add(confidence, hit);
    if (rolling.count < this.minSamples) return;
    const was = this.degraded.has(agent);
    // Once degraded, an agent must come back past the threshold by the hysteresis to clear.
    const margin = was ? this.hysteresis : 0;
    const lowHits = rolling.hitRate < this.minHitRate + margin;
    const highBrier = rolling.brier > this.maxBrier - margin;
    const bad = lowHits || highBrier;
    if (bad === was) return;
    if (bad) this.degraded.add(agent);
    else this.degraded.delete(agent);
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    const breaches = [
      lowHits ? `hit rate ${pct(rolling.hitRate)} below ${pct(this.minHitRate)}` : '',
      highBrier ? `Brier score ${rolling.brier.toFixed(3)} above ${this.maxBrier}` : '',
    ].filter(Boolean);
    const message = bad
      ? `${agent}: signal quality degraded over its last ${rolling.count} resolved signals — ${breaches.join(', ')}; consider lowering its weight`
      : `${agent}: signal quality recovered — hit rate ${pct(rolling.hitRate)}, Brier score ${rolling.brier.toFixed(3)}`;
    const alert: Alert = {
      id: `signal_quality:${agent}`,
      type: 'signal_quality',
      severity: 'warning',
      subject: agent,
      message,
      at: Math.round(this.clock.now()),
    };
    for (const l of this.listeners) l({ kind: bad ? 'raised' : 'cleared', alert });
  }
}
