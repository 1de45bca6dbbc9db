import { agents } from '@stockade/signals';
import { describe, expect, it } from 'vitest';
import { chooseAgents } from './agent-choice.js';
import { UsageError } from './usage-error.js';

const namesOf = (list: string) => chooseAgents('signals', list).map((f) => f().name);

describe('chooseAgents', () => {
  it('takes short names and agent names alike, in any case, in the order given', () => {
    expect(namesOf('macd,RSI,bollingerReversion')).toEqual(['macdCross', 'rsi', 'bollingerReversion']);
  });

  it('drops an agent named twice', () => {
    expect(namesOf('rsi,macd,macdCross,rsi')).toEqual(['rsi', 'macdCross']);
  });

  it('knows every built-in agent of the signals package under its own name', () => {
    const builtIn = agents.all().map((f) => f().name);
    expect(namesOf(builtIn.join(','))).toEqual(builtIn);
    expect(namesOf('all')).toEqual(builtIn);
  });

  it('refuses an unknown name as a usage error', () => {
    expect(() => chooseAgents('signals', 'rsi,ichimoku')).toThrow(UsageError);
    expect(() => chooseAgents('signals', ',')).toThrow('--agents needs at least one agent');
  });
});
