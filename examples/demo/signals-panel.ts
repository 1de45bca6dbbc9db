import type { Vote } from '@stockade/consensus';
import type { BarSeries, Clock, Interval, Quote, Signal, SignalAction } from '@stockade/core';
import type { MarketDataManager } from '@stockade/market-data';

/** One symbol's line of the signals panel. */
export interface SignalRow {
  /** Symbol. */
  symbol: string;
  /** The agents' current consensus (weighted vote of their latest answers). */
  consensus: SignalAction;
  /** Its confidence, 0..1. */
  confidence: number;
  /** How the agents vote now. */
  votes: { buy: number; sell: number; hold: number };
  /** The last BUY/SELL signal the engine emitted for the symbol. */
  last?: Signal;
}

/** The signals panel: a `SignalEngine` fed by the demo's quotes, or the reason it is left out. */
export type SignalsPanel =
  | {
      available: true;
      /** Agent names, for the panel's title. */
      agents: string[];
      /** The agents' bar interval. */
      interval: Interval;
      /** Feeds one cycle's quotes to the engine. */
      feed(quotes: readonly Quote[]): void;
      /** A row per symbol, now. */
      rows(): SignalRow[];
      /** Every BUY/SELL signal emitted so far. */
      emitted(): readonly Signal[];
      /** Stops the engine. */
      close(): void;
    }
  | { available: false; reason: string };

/** The agents' bars: one-minute bars close every 12 real seconds at the default 5× speed. */
const INTERVAL: Interval = '1m';

/**
 * Starts the panel when `@stockade/signals` provides `SignalEngine` and its agents: the engine
 * watches `symbols` with six built-in agents, warms up from `md.bars()` (on the manager's clock, so
 * the history is that of the simulated session), and then follows the
 * quotes the demo already fetches each cycle (no second polling loop, so the upstream counts stay
 * those of the quote cycle).
 */
export async function startSignalsPanel(
  md: MarketDataManager,
  symbols: readonly string[],
  options: { clock: Clock; barsProviders?: readonly string[]; signal?: AbortSignal },
): Promise<SignalsPanel> {
  let mod: typeof import('@stockade/signals');
  let consensus: typeof import('@stockade/consensus');
  try {
    mod = await import('@stockade/signals');
    consensus = await import('@stockade/consensus');
  } catch (err) {
    return { available: false, reason: `@stockade/signals could not be loaded: ${(err as Error).message}` };
  }
  const { SignalEngine, agents } = mod;
  if (typeof SignalEngine !== 'function' || typeof agents?.rsi !== 'function') {
    return { available: false, reason: '@stockade/signals does not export SignalEngine and its agents yet' };
  }
  const factories = [
    () => agents.rsi(),
    () => agents.macdCross(),
    () => agents.emaCross(),
    () => agents.bollingerReversion(),
    () => agents.momentum(),
    () => agents.stochasticCross(),
  ];
  const engine = new SignalEngine({ agents: factories, clock: options.clock });
  engine.watch(symbols);
  const emitted: Signal[] = [];
  const lastBySymbol = new Map<string, Signal>();
  engine.onSignal((s) => {
    emitted.push(s);
    lastBySymbol.set(s.symbol, s);
  });
  let deliver: ((quote: Quote) => void) | undefined;
  const feedAdapter = {
    bars: (symbol: string, o: { interval: Interval; from: number; to: number; signal?: AbortSignal }) =>
      md.bars(symbol, {
        ...o,
        ...(options.barsProviders === undefined ? {} : { providers: options.barsProviders }),
      }) as Promise<BarSeries>,
    subscribe(_symbols: readonly string[], onQuote: (quote: Quote) => void) {
      deliver = onQuote;
      return { close: () => (deliver = undefined) };
    },
  };
  let handle: { close(): void };
  try {
    handle = await engine.attach(feedAdapter, {
      symbols: engine.symbols,
      interval: INTERVAL,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (err) {
    engine.close();
    return { available: false, reason: `warm-up failed: ${(err as Error).message}` };
  }
  return {
    available: true,
    agents: engine.agentNames(),
    interval: INTERVAL,
    feed(quotes) {
      for (const q of quotes) deliver?.(q);
    },
    rows() {
      return engine.symbols.map((symbol) => {
        const votes: Vote[] = engine.answers(symbol).map((a) => ({
          agent: a.agent,
          family: a.family,
          action: a.signal.action,
          confidence: a.signal.confidence,
        }));
        const vote = consensus.weightedVote(votes);
        const count = (action: SignalAction) => votes.filter((v) => v.action === action).length;
        const last = lastBySymbol.get(symbol);
        return {
          symbol,
          consensus: vote.action,
          confidence: vote.confidence,
          votes: { buy: count('BUY'), sell: count('SELL'), hold: count('HOLD') },
          ...(last === undefined ? {} : { last }),
        };
      });
    },
    emitted: () => emitted,
    close() {
      handle.close();
      engine.close();
    },
  };
}
