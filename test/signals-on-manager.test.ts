import { agents, SignalEngine } from '@stockade/signals';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../packages/market-data/src/test-support/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('a SignalEngine attached to a real MarketDataManager', () => {
  it('warms up from the manager’s daily bars and runs on its polled quotes', async () => {
    h = await startHarness();
    const engine = new SignalEngine({ clock: h.clock, emitHold: true }).watch(['AAPL', 'MSFT'], [() => agents.rsi()]);
    // The manager itself, with its quote callback observed on the way to the engine.
    const md = h.md;
    const delivered: string[] = [];
    const feed = {
      bars: md.bars.bind(md),
      subscribe: (
        symbols: readonly string[],
        onQuote: Parameters<typeof md.subscribe>[1],
        options?: { intervalMs?: number },
      ) =>
        md.subscribe(
          symbols,
          (q) => {
            delivered.push(q.symbol);
            onQuote(q);
          },
          options,
        ),
    };
    const handle = await engine.attach(feed, { symbols: ['AAPL', 'MSFT'], interval: '1d', intervalMs: 50 });
    // Warm-up came through the manager: the simulator served bars, and RSI(14) is past its warm-up.
    expect(h.sim.stats.requests('polygon', 'aggs')).toBeGreaterThan(0);
    for (const symbol of ['AAPL', 'MSFT']) {
      const rsi = engine.answers(symbol).find((a) => a.agent === 'rsi');
      expect(rsi?.signal.reasoning.summary).not.toMatch(/warming up/);
    }
    // Live: the manager's subscription delivers each symbol's quote to the engine.
    for (let i = 0; i < 50 && new Set(delivered).size < 2; i++) await new Promise((r) => setTimeout(r, 20));
    expect(new Set(delivered)).toEqual(new Set(['AAPL', 'MSFT']));
    handle.close();
    engine.close();
  });
});
