import {
  decideVote,
  loadConsensusConfig,
  tallyVotes,
  VOTE_DEFAULTS,
  type Vote,
  type VoteTally,
  type WeightedVoteOptions,
  weightedVote,
} from '@stockade/consensus';
import {
  type Clock,
  createMarketCalendar,
  normalizeSymbol,
  Signal,
  systemClock,
  ValidationError,
} from '@stockade/core';
import type { AgentBar, AgentFactory, AgentSignal } from '../agents/agent.js';
import { type AgentTiming, monotonicNow, type TimingCell } from './agent-timing.js';
import { type AttachHandle, type AttachOptions, attachEngine, type MarketFeed } from './attach.js';
import { type AgentAnswer, consensusSignal } from './consensus-signal.js';
import type { SignalEngineOptions, SignalRecorder } from './signal-engine-options.js';
import { type KillSwitchState, type RejectionReason, SignalGate } from './signal-gate.js';
import { type Disposable, SignalStream } from './signal-stream.js';
import { addAgents, cappedWeights, checkBar, createBook, feedBar, type Slot, type SymbolBook } from './symbol-book.js';

/**
 * Runs agents over live or replayed bars and quotes, and emits validated consensus signals.
 *
 * Agents are registered with the symbols they watch; a reverse index symbol → agents sends each
 * bar only to its agents. A closed bar re-evaluates its symbol; a quote does only when the price
 * moved beyond `moveThreshold` since the last evaluation. A batch is evaluated most volatile symbol
 * first. Each symbol's agents vote (`weightedVote`); a BUY/SELL consensus that passes validation
 * (minimum confidence, ATR stop-distance cap, daily-loss kill switch) is parsed with core's `Signal`
 * schema and emitted.
 *
 * @example
 * const engine = new SignalEngine({ agents: [agents.rsi, agents.macdCross, () => agents.bollingerReversion()] });
 * engine.watch(['AAPL', 'MSFT']);
 * engine.onSignal((s) => console.log(s.symbol, s.action, s.confidence.toFixed(2), s.reasoning.summary));
 * engine.onBar('AAPL', { t, o, h, l, c, v });
 */
export class SignalEngine {
  private readonly books = new Map<string, SymbolBook>();
  private readonly timingCells = new Map<string, TimingCell>();
  private readonly defaultAgents: readonly AgentFactory[];
  private readonly gate: SignalGate;
  private readonly stream = new SignalStream();
  private readonly rejectedListeners = new Set<(r: { signal: Signal; reason: RejectionReason }) => void>();
  private readonly killListeners = new Set<(state: KillSwitchState) => void>();
  private readonly calendar;
  private readonly clock: Clock;
  private readonly moveThreshold: number;
  private consensus: WeightedVoteOptions;
  private readonly tally: VoteTally = { score: 0, participation: 0, votingWeight: 0, totalWeight: 0 };
  private sequence = 0;
  private evaluationsSinceTimed = 0;
  private readonly timingSample: number;
  private readonly emitHold: boolean;
  private readonly listenerError: (error: unknown) => void;
  // Vote buffers shared by every symbol (a vote is tallied as soon as it is cast): one less pair of
  // arrays per symbol to pull from memory on every bar.
  private directions = new Float64Array(16);
  private confidences = new Float64Array(16);

  constructor(private readonly options: SignalEngineOptions = {}) {
    this.defaultAgents = options.agents ?? [];
    this.consensus = { ...options.consensus };
    this.moveThreshold = options.moveThreshold ?? 0.005;
    if (!(this.moveThreshold >= 0)) {
      throw new ValidationError(`moveThreshold must be a fraction ≥ 0, got ${String(this.moveThreshold)}`, [
        { path: 'moveThreshold', message: 'expected e.g. 0.005 for 0.5 %' },
      ]);
    }
    this.gate = new SignalGate(options.validation);
    this.timingSample = options.timingSample ?? 16;
    this.emitHold = options.emitHold ?? false;
    this.listenerError = (e) => this.options.onListenerError?.(e);
    this.clock = options.clock ?? systemClock;
    this.calendar = createMarketCalendar({ clock: this.clock });
    if (this.consensus.weights && this.defaultAgents.length > 0) {
      loadConsensusConfig({ weights: this.consensus.weights }, { agents: this.defaultAgents.map((f) => f().name) });
    }
  }

  /**
   * Registers `agents` (one fresh instance per symbol) for each of `symbols`; a symbol already
   * watched gets the new agents added. Symbols are normalized (`aapl` → `AAPL`).
   *
   * @throws {ValidationError} for an invalid symbol, no agents at all, or two agents of one name on a symbol.
   */
  watch(symbols: readonly string[], agents: readonly AgentFactory[] = this.defaultAgents): this {
    if (agents.length === 0) {
      throw new ValidationError('watch(): no agents — pass agent factories here or in SignalEngineOptions.agents', [
        { path: 'agents', message: 'expected at least one agent factory, e.g. [agents.rsi]' },
      ]);
    }
    for (const raw of symbols) {
      const symbol = normalizeSymbol(raw);
      const book = this.books.get(symbol) ?? createBook(symbol);
      addAgents(book, agents, this.timingCells);
      this.books.set(symbol, book);
    }
    return this;
  }

  /** Stops watching `symbols` (their agents and state are dropped). */
  unwatch(symbols: readonly string[]): void {
    for (const s of symbols) this.books.delete(this.key(s) ?? s);
  }

  /** Watched symbols. */
  get symbols(): string[] {
    return [...this.books.keys()];
  }

  /** Names of every registered agent. */
  agentNames(): string[] {
    return [...this.timingCells.keys()];
  }

  /** Replaces the consensus weights (from config or adaptive weighting). @throws {ConfigError} for a weight naming no registered agent. */
  setWeights(weights: Readonly<Record<string, number>>): void {
    loadConsensusConfig({ weights }, { agents: this.agentNames(), path: 'weights' });
    this.consensus = { ...this.consensus, weights };
    for (const book of this.books.values()) book.weights = null;
  }

  /** Feeds one closed bar of `symbol`; returns the emitted signal, if any. Unwatched symbols are ignored. */
  onBar(symbol: string, bar: AgentBar): Signal | null {
    const book = this.bookOf(symbol);
    if (book === undefined) return null;
    checkBar(book.symbol, bar);
    this.feed(book, bar);
    const raw = this.vote(book, bar.c, bar.t);
    return raw === null ? null : this.publish(raw);
  }

  /**
   * Feeds a batch of closed bars; returns the emitted signals most volatile symbol first (volatility
   * as it stood before the batch), which is also the order listeners hear them in.
   */
  onBars(batch: ReadonlyArray<{ symbol: string; bar: AgentBar }>): Signal[] {
    const books: Array<SymbolBook | undefined> = new Array(batch.length);
    const priorities = new Float64Array(batch.length);
    for (let i = 0; i < batch.length; i++) {
      const { symbol, bar } = batch[i] as { symbol: string; bar: AgentBar };
      const book = this.bookOf(symbol);
      if (book === undefined) continue;
      checkBar(book.symbol, bar);
      books[i] = book;
      priorities[i] = book.volatility;
    }
    // Agents run in batch order (the order their state was allocated in, so memory is read ahead
    // of use) and only the few candidate signals are put in volatility order: sorting the whole
    // batch first scattered the reads and cost ~15 % of the batch.
    const candidates: Candidate[] = [];
    for (let i = 0; i < batch.length; i++) {
      const book = books[i];
      if (book === undefined) continue;
      const bar = (batch[i] as { bar: AgentBar }).bar;
      this.feed(book, bar);
      const raw = this.vote(book, bar.c, bar.t);
      if (raw !== null) candidates.push({ raw, priority: priorities[i] as number });
    }
    const out: Signal[] = [];
    candidates.sort((a, b) => b.priority - a.priority);
    for (const { raw } of candidates) {
      const s = this.publish(raw);
      if (s !== null) out.push(s);
    }
    return out;
  }

  /** Feeds a live price; re-evaluates only past the move threshold. Returns the emitted signal, if any. */
  onQuote(quote: { symbol: string; price: number; asOf?: number }): Signal | null {
    const book = this.bookOf(quote.symbol);
    const price = quote.price;
    if (book === undefined || !(price > 0 && Number.isFinite(price))) return null;
    const at = quote.asOf ?? this.clock.now();
    for (const slot of book.slots) slot.instance.onQuote?.(price, at);
    const last = book.lastEvalPrice;
    if (!(last > 0) || Math.abs(price - last) / last <= this.moveThreshold) return null;
    const raw = this.vote(book, price, at);
    return raw === null ? null : this.publish(raw);
  }

  /** Calls `listener` for every emitted signal. */
  onSignal(listener: (signal: Signal) => void): Disposable {
    return this.stream.on(listener);
  }

  /** Calls `listener` for every BUY/SELL consensus that validation held back, with the reason. */
  onRejected(listener: (rejection: { signal: Signal; reason: RejectionReason }) => void): Disposable {
    this.rejectedListeners.add(listener);
    return { dispose: () => this.rejectedListeners.delete(listener) };
  }

  /** Calls `listener` when the daily-loss kill switch engages. */
  onKillSwitch(listener: (state: KillSwitchState) => void): Disposable {
    this.killListeners.add(listener);
    return { dispose: () => this.killListeners.delete(listener) };
  }

  /** Emitted signals as an async iterable; ends on `close()`, throws the abort reason when `signal` aborts. */
  signals(options: { signal?: AbortSignal } = {}): AsyncIterable<Signal> {
    return this.stream.iterate(options);
  }

  /** Each agent's latest answer for `symbol` (empty when unwatched). */
  answers(symbol: string): readonly AgentAnswer[] {
    return this.bookOf(symbol)?.slots.map(({ agent, family, signal }) => ({ agent, family, signal })) ?? [];
  }

  /** Evaluation time per agent name, slowest mean first. */
  timings(): AgentTiming[] {
    return [...this.timingCells.values()].map((c) => c.snapshot()).sort((a, b) => b.meanMs - a.meanMs);
  }

  /** Adds realised P&L (fraction of equity, −0.01 = −1 %) to the session of `at`; may engage the kill switch. */
  recordPnl(pnl: number, at: number = this.clock.now()): void {
    if (!Number.isFinite(pnl)) throw new ValidationError(`recordPnl: pnl must be finite, got ${pnl}`, []);
    if (this.gate.recordPnl(pnl, this.calendar.sessionDate(at), at)) {
      const state = this.gate.killSwitch();
      for (const l of this.killListeners) l(state);
    }
  }

  /** The kill switch's state. */
  killSwitch(): KillSwitchState {
    return this.gate.killSwitch();
  }

  /** Releases the kill switch before the next session. */
  releaseKillSwitch(): void {
    this.gate.release();
  }

  /**
   * Warms the watched agents up from `feed.bars()` and runs them live from `feed.subscribe()`.
   * @see attachEngine
   */
  attach(feed: MarketFeed, options: AttachOptions): Promise<AttachHandle> {
    return attachEngine(this, feed, options, this.clock, this.agentWarmup());
  }

  /** Ends every `signals()` iterator and drops every listener. */
  close(): void {
    this.stream.close();
    this.rejectedListeners.clear();
    this.killListeners.clear();
  }

  /**
   * Feeds history to `symbol`'s agents without emitting anything, then refreshes their answers.
   * `attach()` warms up this way; call it yourself to warm up from your own bars.
   */
  warm(symbol: string, bars: readonly AgentBar[]): void {
    const book = this.bookOf(symbol);
    if (book === undefined) return;
    for (const bar of bars) checkBar(book.symbol, bar);
    for (const bar of bars) this.feed(book, bar);
    for (const slot of book.slots) slot.signal = slot.instance.evaluate();
    if (bars.length > 0) book.lastEvalPrice = book.lastClose;
  }

  private agentWarmup(): number {
    let most = 0;
    for (const book of this.books.values()) for (const s of book.slots) most = Math.max(most, s.instance.warmup);
    return most;
  }

  private key(symbol: string): string | undefined {
    if (this.books.has(symbol)) return symbol;
    try {
      return normalizeSymbol(symbol);
    } catch {
      return undefined;
    }
  }

  private bookOf(symbol: string): SymbolBook | undefined {
    return this.books.get(symbol) ?? this.books.get(this.key(symbol) ?? '');
  }

  private feed(book: SymbolBook, bar: AgentBar): void {
    feedBar(book, bar);
    this.options.tracker?.onBar(book.symbol, bar);
  }

  /**
   * Evaluates `book`'s agents and tallies their votes; returns the consensus record (unvalidated,
   * without its id) when it is worth emitting, else null. Allocates nothing unless it returns one.
   */
  private vote(book: SymbolBook, price: number, at: number): Signal | null {
    const timing = this.timingSample > 0 && ++this.evaluationsSinceTimed >= this.timingSample;
    if (timing) this.evaluationsSinceTimed = 0;
    const tracker = this.options.tracker;
    const slots = book.slots;
    const n = slots.length;
    if (this.directions.length < n) {
      this.directions = new Float64Array(n);
      this.confidences = new Float64Array(n);
    }
    const directions = this.directions;
    const confidences = this.confidences;
    let voters = 0;
    for (let i = 0; i < n; i++) {
      const slot = slots[i] as Slot;
      let answer: AgentSignal;
      if (timing) {
        const t0 = monotonicNow();
        answer = slot.instance.evaluate();
        slot.timing.add(monotonicNow() - t0);
      } else {
        answer = slot.instance.evaluate();
        slot.timing.evaluations++;
      }
      slot.signal = answer;
      const action = answer.action;
      if (action === 'HOLD') {
        directions[i] = 0;
        confidences[i] = 0;
        continue;
      }
      directions[i] = action === 'BUY' ? 1 : -1;
      confidences[i] = answer.confidence;
      voters++;
      if (tracker !== undefined) this.track(tracker, book.symbol, slot.agent, answer, price, at);
    }
    book.lastEvalPrice = price;
    if (voters === 0 && !this.emitHold) return null;
    // Tally on the scratch buffers first: the full vote, with its explanation, only for a decision.
    book.weights ??= cappedWeights(book, this.consensus.weights, this.consensus.familyCap ?? VOTE_DEFAULTS.familyCap);
    tallyVotes(directions, confidences, book.weights, n, this.tally);
    if (!this.emitHold && decideVote(this.tally, this.consensus.threshold, this.consensus.minParticipation) === 'HOLD')
      return null;
    const votes: Vote[] = slots.map((s) => ({
      agent: s.agent,
      family: s.family,
      action: s.signal.action,
      confidence: s.signal.confidence,
    }));
    const vote = weightedVote(votes, this.consensus);
    return consensusSignal('', book.symbol, vote, slots, price, at, this.options.source);
  }

  private track(
    tracker: SignalRecorder,
    symbol: string,
    agent: string,
    answer: AgentSignal,
    price: number,
    at: number,
  ) {
    const source = this.options.source;
    tracker.record({
      symbol,
      agent,
      action: answer.action,
      confidence: answer.confidence,
      price,
      at,
      ...(source === undefined ? {} : { source }),
    });
  }

  /** Names, validates (the gate, then the `Signal` schema, once per signal) and emits a consensus record. */
  private publish(raw: Signal): Signal | null {
    raw.id = `${raw.symbol}:${raw.at}:${(++this.sequence).toString(36)}`;
    const reason = this.gate.check(raw, this.calendar.sessionDate(raw.at));
    if (reason !== null) {
      for (const l of this.rejectedListeners) l({ signal: raw, reason });
      return null;
    }
    const signal = Signal.parse(raw);
    if (signal.action !== 'HOLD') this.options.tracker?.record(signal);
    this.stream.emit(signal, this.listenerError);
    return signal;
  }
}

/** A consensus record waiting for its turn (most volatile symbol first) in a batch. */
interface Candidate {
  raw: Signal;
  priority: number;
}
