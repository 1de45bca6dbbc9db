import { loadConsensusConfig } from '@stockade/consensus';
import { ConfigError, type StockadeConfig } from '@stockade/core';
import type { AgentFactory } from '../agents/agent.js';
import type { SignalEngineOptions } from './signal-engine-options.js';

/** Options of {@link engineOptionsFromConfig}. */
export interface EngineConfigOptions {
  /** The agents the engine will run; `agentWeights` may name only these. */
  agents: readonly AgentFactory[];
  /** Where the settings came from, for error messages (e.g. `loaded.sourceOf('signals.agentWeights')`). @default undefined */
  source?: string;
}

/**
 * Turns the `signals` section of a loaded Stockade configuration into {@link SignalEngineOptions}:
 * `minConfidence` becomes `validation.minConfidence`, `changeThresholdPct` (percent) becomes
 * `moveThreshold` (a fraction) and `agentWeights` becomes `consensus.weights`.
 *
 * @throws {ConfigError} when `agentWeights` names an agent that is not among `agents` (with the
 *   nearest name, if one is close).
 * @example
 * const loaded = loadConfig();
 * const agentList = [() => agents.rsi(), () => agents.macdCross()];
 * const engine = new SignalEngine(engineOptionsFromConfig(loaded.config.signals, { agents: agentList }));
 */
export function engineOptionsFromConfig(
  signals: StockadeConfig['signals'],
  options: EngineConfigOptions,
): SignalEngineOptions {
  const names = options.agents.map((factory) => factory().name);
  let weights: Readonly<Record<string, number>> | undefined;
  try {
    ({ weights } = loadConsensusConfig(
      { weights: signals.agentWeights },
      { agents: names, path: 'signals', ...(options.source === undefined ? {} : { source: options.source }) },
    ));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The consensus section calls them `weights`; this section calls them `agentWeights`.
    throw new ConfigError(
      err.issues.map((i) => ({ ...i, path: i.path.replace(/^signals\.weights/, 'signals.agentWeights') })),
    );
  }
  return {
    agents: options.agents,
    consensus: weights === undefined ? {} : { weights },
    moveThreshold: signals.changeThresholdPct / 100,
    validation: { minConfidence: signals.minConfidence },
  };
}
