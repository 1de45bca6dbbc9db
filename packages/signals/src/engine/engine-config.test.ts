import { ConfigError, loadConfig } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { macdCross } from '../agents/macd-cross-agent.js';
import { rsi } from '../agents/rsi-agent.js';
import { engineOptionsFromConfig } from './engine-config.js';
import { SignalEngine } from './signal-engine.js';

const agentList = [() => rsi(), () => macdCross()];
const names = agentList.map((f) => f().name);

function signalsSection(signals: Record<string, unknown>) {
  return loadConfig({ file: false, env: {}, overrides: { signals } as never }).config.signals;
}

describe('engineOptionsFromConfig', () => {
  it('maps the config section onto the engine: confidence, move threshold in percent, weights', () => {
    const [first, second] = names as [string, string];
    const options = engineOptionsFromConfig(
      signalsSection({ minConfidence: 0.35, changeThresholdPct: 1.5, agentWeights: { [first]: 2, [second]: 0.5 } }),
      { agents: agentList },
    );
    expect(options.validation?.minConfidence).toBe(0.35);
    expect(options.moveThreshold).toBeCloseTo(0.015, 12);
    expect(options.consensus?.weights).toEqual({ [first]: 2, [second]: 0.5 });
    expect(options.agents).toBe(agentList);
    expect(() => new SignalEngine(options).close()).not.toThrow();
  });

  it('uses the schema defaults, which the engine shares', () => {
    const options = engineOptionsFromConfig(signalsSection({}), { agents: agentList });
    expect(options.validation?.minConfidence).toBe(0.2);
    expect(options.moveThreshold).toBeCloseTo(0.005, 12);
  });

  it('fails with a ConfigError naming signals.agentWeights and the nearest agent for a misspelt name', () => {
    const misspelt = `${names[0]}x`;
    let caught: unknown;
    try {
      engineOptionsFromConfig(signalsSection({ agentWeights: { [misspelt]: 2 } }), { agents: agentList });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const issue = (caught as ConfigError).issues[0];
    expect(issue?.path).toBe(`signals.agentWeights.${misspelt}`);
    expect(issue?.hint).toContain(`did you mean "${names[0]}"`);
  });
});
