import { Signal } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { runExample } from './test-support/run-example.js';

describe('examples/signals.ts', () => {
  it('prints valid consensus signals of the watched symbols from live simulator quotes, then exits on its own', async () => {
    const { code, stdout, stderr } = await runExample('signals.ts', ['--json', '--duration', '8']);
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('agents: rsi, macdCross, bollingerReversion, streak');
    const signals = stdout
      .trim()
      .split('\n')
      .map((line) => Signal.parse(JSON.parse(line)));
    // How many bars close in 8 real seconds depends on the machine's load; at least one evaluation does.
    expect(signals.length).toBeGreaterThan(0);
    const watched = ['AAPL', 'MSFT', 'NVDA', 'BTC-USD'];
    for (const s of signals) {
      expect(watched).toContain(s.symbol);
      expect(s.agent).toBe('consensus');
      // All four agents, the custom one included, vote on every evaluation.
      expect(s.reasoning.summary).toMatch(/ of 4 agents/);
      // Stamped on the simulated session the example pins (Tuesday 2026-03-10 from 10:45 New York).
      expect(s.at).toBeGreaterThanOrEqual(Date.parse('2026-03-10T14:45:00Z'));
      expect(s.at).toBeLessThan(Date.parse('2026-03-10T16:00:00Z'));
      expect(s.price).toBeGreaterThan(0);
    }
  });
});
