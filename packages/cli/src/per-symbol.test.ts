import { ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { forEachSymbol } from './per-symbol.js';

describe('forEachSymbol', () => {
  it('returns every outcome in the order asked, a failure included, whatever order they finish in', async () => {
    const gates = new Map<string, () => void>();
    const run = forEachSymbol(
      ['SPY', 'BAD', 'AAPL'],
      (symbol) =>
        new Promise<number>((resolve, reject) => {
          gates.set(symbol, () => (symbol === 'BAD' ? reject(new ValidationError('no bars')) : resolve(symbol.length)));
        }),
      { concurrency: 3 },
    );
    await Promise.resolve();
    for (const symbol of ['AAPL', 'BAD', 'SPY']) gates.get(symbol)?.();
    const outcomes = await run;
    expect(outcomes.map((o) => [o.symbol, o.ok])).toEqual([
      ['SPY', true],
      ['BAD', false],
      ['AAPL', true],
    ]);
    expect(outcomes[0]).toEqual({ symbol: 'SPY', ok: true, value: 3 });
  });

  it('keeps at most `concurrency` jobs in flight', async () => {
    let inFlight = 0;
    let most = 0;
    await forEachSymbol(
      ['A', 'B', 'C', 'D', 'E'],
      async () => {
        inFlight++;
        most = Math.max(most, inFlight);
        await Promise.resolve();
        inFlight--;
      },
      { concurrency: 2 },
    );
    expect(most).toBe(2);
  });

  it('stops with the abort reason instead of counting it as a symbol failure', async () => {
    const controller = new AbortController();
    const reason = new DOMException('interrupted', 'AbortError');
    const started: string[] = [];
    const run = forEachSymbol(
      ['A', 'B', 'C'],
      async (symbol) => {
        started.push(symbol);
        controller.abort(reason);
        throw reason;
      },
      { concurrency: 1, signal: controller.signal },
    );
    await expect(run).rejects.toBe(reason);
    expect(started).toEqual(['A']);
  });
});
