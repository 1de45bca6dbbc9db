import { describe, expect, it } from 'vitest';
import { createBarLedger } from './bar-ledger.js';

describe('the bar ledger', () => {
  it('admits each bar time once per symbol, in any order', () => {
    const ledger = createBarLedger();
    expect(ledger.admit('AAPL', 180_000)).toBe(true);
    expect(ledger.admit('AAPL', 60_000)).toBe(true);
    expect(ledger.admit('AAPL', 180_000)).toBe(false);
    expect(ledger.admit('MSFT', 180_000)).toBe(true);
    expect(ledger.last('AAPL')).toBe(180_000);
    ledger.forget('AAPL');
    expect(ledger.last('AAPL')).toBeUndefined();
    expect(ledger.admit('AAPL', 180_000)).toBe(true);
  });

  it('stays bounded and treats what it no longer remembers as already delivered', () => {
    const ledger = createBarLedger(3);
    for (const t of [1, 2, 3, 4, 5]) expect(ledger.admit('AAPL', t * 60_000)).toBe(true);
    expect(ledger.admit('AAPL', 60_000)).toBe(false);
    expect(ledger.admit('AAPL', 5 * 60_000)).toBe(false);
    expect(ledger.admit('AAPL', 6 * 60_000)).toBe(true);
  });
});
