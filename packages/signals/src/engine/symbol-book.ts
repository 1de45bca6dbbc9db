import { capFamilyWeights } from '@stockade/consensus';
import { ValidationError } from '@stockade/core';
import type { Agent, AgentBar, AgentFactory } from '../agents/agent.js';
import { TimingCell } from './agent-timing.js';
import type { AgentAnswer } from './consensus-signal.js';

/**
 * One agent instance on one symbol, with its timing cell; it is also the agent's latest answer
 * (one object, not two: the engine touches it for every agent of every symbol on every bar).
 */
export interface Slot extends AgentAnswer {
  /** The agent instance (this symbol's). */
  readonly instance: Agent;
  /** Shared timing of every instance of this agent name. */
  readonly timing: TimingCell;
}

/** Everything the engine keeps per watched symbol: the reverse index entry symbol → agents. */
export interface SymbolBook {
  /** Canonical symbol. */
  readonly symbol: string;
  /** Its agents. */
  readonly slots: Slot[];
  /** Last close fed. */
  lastClose: number;
  /** Price at the last evaluation (the move threshold's reference). */
  lastEvalPrice: number;
  /** EWMA of |log return| per bar: the "most volatile first" order. */
  volatility: number;
  /** Consensus weight per slot after the family cap; `null` when it must be recomputed. */
  weights: Float64Array | null;
}

/** A new, empty book for `symbol`. */
export function createBook(symbol: string): SymbolBook {
  return {
    symbol,
    slots: [],
    lastClose: Number.NaN,
    lastEvalPrice: Number.NaN,
    volatility: 0,
    weights: null,
  };
}

/**
 * Adds one fresh instance of each factory's agent to `book`, sharing a timing cell per agent name.
 * @throws {ValidationError} when the book already has an agent of the same name.
 */
export function addAgents(
  book: SymbolBook,
  factories: readonly AgentFactory[],
  timings: Map<string, TimingCell>,
): void {
  for (const make of factories) {
    const agent = make();
    if (book.slots.some((s) => s.agent === agent.name)) {
      throw new ValidationError(`${book.symbol} already has an agent named "${agent.name}" — give it a distinct name`, [
        { path: 'agents', message: `duplicate agent name "${agent.name}"` },
      ]);
    }
    let timing = timings.get(agent.name);
    if (timing === undefined) {
      timing = new TimingCell(agent.name);
      timings.set(agent.name, timing);
    }
    book.slots.push({ instance: agent, timing, agent: agent.name, family: agent.family, signal: agent.evaluate() });
  }
  book.weights = null;
}

/** Each slot's consensus weight (configured or 1), after capping each family's share at `familyCap`. */
export function cappedWeights(
  book: SymbolBook,
  weights: Readonly<Record<string, number>> | undefined,
  familyCap: number,
): Float64Array {
  const base = book.slots.map((s) => weights?.[s.agent] ?? 1);
  const families = book.slots.map((s) => s.family);
  return Float64Array.from(capFamilyWeights(base, families, familyCap));
}

/** @throws {ValidationError} unless `bar` has finite t, o, h, l, c with h ≥ l and a non-negative volume. */
export function checkBar(symbol: string, bar: AgentBar): void {
  const finite = bar.o - bar.o + (bar.h - bar.h) + (bar.l - bar.l) + (bar.c - bar.c) + (bar.t - bar.t) === 0;
  if (!finite || !(bar.h >= bar.l) || (bar.v !== undefined && !(bar.v >= 0))) {
    throw new ValidationError(
      `${symbol}: bar at ${bar.t} is malformed (needs finite t, o, h, l, c with h ≥ l and v ≥ 0)`,
      [{ path: 'bar', message: 'expected finite OHLC with high ≥ low' }],
    );
  }
}

/** Feeds `bar` to every agent of `book` and updates its volatility estimate. */
export function feedBar(book: SymbolBook, bar: AgentBar): void {
  const previous = book.lastClose;
  if (previous > 0 && bar.c > 0) book.volatility = 0.9 * book.volatility + 0.1 * Math.abs(Math.log(bar.c / previous));
  book.lastClose = bar.c;
  const slots = book.slots;
  for (let i = 0; i < slots.length; i++) (slots[i] as Slot).instance.onBar(bar);
}
