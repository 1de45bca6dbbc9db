import type { Logger, Signal, SignalAction } from '@stockade/core';
import type { MarketDataManager } from '@stockade/market-data';
import { agents, SignalEngine } from '@stockade/signals';

/** What `/signals` answers for one symbol. */
export interface SymbolSignal {
  /** Canonical symbol. */
  symbol: string;
  /** The engine's latest consensus (core's `Signal`), or null before the first quote. */
  signal: Signal | null;
  /** Each agent's answer now. */
  agents: Array<{ agent: string; action: SignalAction; confidence: number; summary: string }>;
}

/** A `SignalEngine` attached to the manager, keeping the latest consensus per symbol. */
export interface SignalBoard {
  /** Symbols followed. */
  readonly symbols: readonly string[];
  /** Whether warm-up is done and the engine runs live; `error` says why it is not, if it failed. */
  state(): { ready: boolean; error?: string };
  /** The latest consensus of each of `symbols` (all followed symbols by default). */
  latest(symbols?: readonly string[]): SymbolSignal[];
  /** Stops the live feed and the engine; waits for a warm-up still running to give up. */
  close(): Promise<void>;
}

/**
 * Starts a signal engine on `symbols` with four built-in agents and attaches it to `md` in the
 * background: warm-up from daily bars, then live from the manager's quote subscription. Every
 * changed quote re-evaluates (`moveThreshold: 0`) and every consensus is kept, HOLD included, so
 * `/signals` always shows the current view rather than the last trade idea.
 */
export function startSignalBoard(
  md: MarketDataManager,
  symbols: readonly string[],
  options: { logger: Logger; intervalMs?: number },
): SignalBoard {
  const log = options.logger;
  const engine = new SignalEngine({
    agents: [agents.rsi, agents.macdCross, agents.bollingerReversion, agents.donchianBreakout],
    emitHold: true,
    moveThreshold: 0,
    onListenerError: (err) => log.error({ err }, 'signal listener failed'),
  }).watch(symbols);
  const latest = new Map<string, Signal>();
  engine.onSignal((s) => {
    latest.set(s.symbol, s);
    md.metrics.recordSignal(s.agent, s.action);
  });
  const stop = new AbortController();
  let state: { ready: boolean; error?: string } = { ready: false };
  let handle: { close(): void } | undefined;
  const attaching = engine
    .attach(md, {
      symbols: engine.symbols,
      interval: '1d',
      intervalMs: options.intervalMs ?? 5_000,
      signal: stop.signal,
    })
    .then(
      (h) => {
        handle = h;
        state = { ready: true };
        log.info({ symbols: engine.symbols }, 'signal engine warmed up and live');
      },
      (err: unknown) => {
        if (stop.signal.aborted) return;
        state = { ready: false, error: (err as Error).message };
        log.error({ err }, 'signal engine could not warm up; /signals answers 503');
      },
    );
  return {
    symbols: engine.symbols,
    state: () => state,
    latest(wanted = engine.symbols) {
      return wanted.map((symbol) => ({
        symbol,
        signal: latest.get(symbol) ?? null,
        agents: engine.answers(symbol).map((a) => ({
          agent: a.agent,
          action: a.signal.action,
          confidence: a.signal.confidence,
          summary: a.signal.reasoning.summary,
        })),
      }));
    },
    async close() {
      stop.abort();
      await attaching;
      handle?.close();
      engine.close();
    },
  };
}
