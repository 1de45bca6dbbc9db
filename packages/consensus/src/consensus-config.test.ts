import { ConfigError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { loadConsensusConfig } from './consensus-config.js';

const agents = ['rsi', 'macdCross', 'bollingerReversion'];

describe('loadConsensusConfig', () => {
  it('accepts weights for registered agents and returns the parsed section', () => {
    const config = loadConsensusConfig(
      { threshold: 0.25, weights: { rsi: 2, macdCross: 0.5 }, adaptive: 'hedge' },
      { agents },
    );
    expect(config).toEqual({ threshold: 0.25, weights: { rsi: 2, macdCross: 0.5 }, adaptive: 'hedge' });
    expect(loadConsensusConfig(undefined, { agents })).toEqual({});
  });

  it('fails at load with a ConfigError naming a weight for an agent that does not exist', () => {
    let error: unknown;
    try {
      loadConsensusConfig({ weights: { rsii: 2, momentum: 1 } }, { agents, source: 'file ./stockade.config.json' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const issues = (error as ConfigError).issues;
    expect(issues.map((i) => i.path)).toEqual(['consensus.weights.rsii', 'consensus.weights.momentum']);
    expect(issues[0]).toMatchObject({ message: 'no agent named "rsii"', source: 'file ./stockade.config.json' });
    expect(issues[0]?.hint).toMatch(/did you mean "rsi"\?/);
    expect((error as ConfigError).message).toMatch(/consensus\.weights\.rsii: no agent named "rsii"/);
  });

  it('reports malformed values and unknown keys with their paths', () => {
    expect(() => loadConsensusConfig({ threshold: 3 }, { agents })).toThrow(/consensus\.threshold/);
    expect(() => loadConsensusConfig({ treshold: 0.3 }, { agents })).toThrow(ConfigError);
    expect(() => loadConsensusConfig({ weights: { rsi: -1 } }, { agents })).toThrow(/consensus\.weights\.rsi/);
  });
});
