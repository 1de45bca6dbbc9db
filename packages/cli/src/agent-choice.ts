import { type AgentFactory, agents } from '@stockade/signals';
import { listArgument } from './argument-values.js';
import { UsageError } from './usage-error.js';

/** The built-in agents by the names `--agents` accepts: each agent's own name, and a short one. */
const BY_NAME: ReadonlyArray<{ names: readonly string[]; factory: AgentFactory }> = [
  { names: ['rsi'], factory: () => agents.rsi() },
  { names: ['macdCross', 'macd'], factory: () => agents.macdCross() },
  { names: ['bollingerReversion', 'bollinger'], factory: () => agents.bollingerReversion() },
  { names: ['bollingerBreakout'], factory: () => agents.bollingerBreakout() },
  { names: ['smaCross', 'sma'], factory: () => agents.smaCross() },
  { names: ['emaCross', 'ema'], factory: () => agents.emaCross() },
  { names: ['stochasticCross', 'stochastic'], factory: () => agents.stochasticCross() },
  { names: ['momentum'], factory: () => agents.momentum() },
  { names: ['atrBreakout', 'atr'], factory: () => agents.atrBreakout() },
  { names: ['obvTrend', 'obv'], factory: () => agents.obvTrend() },
  { names: ['vwapDeviation', 'vwap'], factory: () => agents.vwapDeviation() },
  { names: ['zScoreReversion', 'zscore'], factory: () => agents.zScoreReversion() },
  { names: ['donchianBreakout', 'donchian'], factory: () => agents.donchianBreakout() },
];

/** What `--agents` is when not given: one oscillator, one trend and one mean-reversion rule. */
export const DEFAULT_AGENTS = 'rsi,macd,bollinger';

/** The `--agents` names, for help texts. */
export const AGENT_NAMES_HELP = `${BY_NAME.map((a) => a.names.at(-1)).join(', ')}, or all`;

/**
 * Agent factories from a comma-separated `--agents` list (case-insensitive; `all` for every
 * built-in, in the package's order), in the order given, duplicates dropped.
 *
 * @throws {UsageError} naming an unknown agent and listing the known ones.
 */
export function chooseAgents(command: string, list: string): AgentFactory[] {
  const names = listArgument(list);
  if (names.length === 0)
    throw new UsageError(`--agents needs at least one agent: ${AGENT_NAMES_HELP}`, command, 'agents');
  // Keyed by agent name: two agents of one name on a symbol would be refused by the engine.
  const chosen = new Map<string, AgentFactory>();
  for (const name of names) {
    if (name.toLowerCase() === 'all') {
      for (const factory of agents.all()) chosen.set(factory().name, factory);
      continue;
    }
    const found = BY_NAME.find((a) => a.names.some((n) => n.toLowerCase() === name.toLowerCase()));
    if (found === undefined) {
      throw new UsageError(`unknown agent ${JSON.stringify(name)}; use ${AGENT_NAMES_HELP}`, command, 'agents');
    }
    chosen.set(found.names[0] as string, found.factory);
  }
  return [...chosen.values()];
}
