import { ProviderError } from '@stockade/core';
import {
  ConsecutiveBreaker,
  circuitBreaker as cockatielBreaker,
  timeout as cockatielTimeout,
  handleAll,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { toCockatielPolicy } from './cockatiel-interop.js';
import { pipeline } from './pipeline.js';
import { retry } from './retry.js';
import { retryBudget } from './retry-budget.js';

const quickRetry = () =>
  retry({ maxAttempts: 3, backoff: { initialDelayMs: 1, jitter: 'none' }, budget: retryBudget({ minPerWindow: 100 }) });

describe('composing with cockatiel', () => {
  it("runs inside cockatiel's wrap(), and cockatiel's breaker sees each of our attempts' outcome", async () => {
    const theirs = cockatielBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(10) });
    const failures: unknown[] = [];
    theirs.onFailure((e) => failures.push(e.reason));
    let n = 0;
    const composed = wrap(toCockatielPolicy(quickRetry()), theirs);
    const result = await composed.execute(({ signal }) => {
      expect(signal).toBeInstanceOf(AbortSignal);
      if (++n < 3) throw new ProviderError('503', { provider: 'polygon', kind: 'transient' });
      return 'bars';
    });
    expect(result).toBe('bars');
    expect(n).toBe(3);
    expect(failures).toHaveLength(2);
  });

  it('runs a cockatiel policy inside ours, handing it our signal', async () => {
    const theirs = cockatielTimeout(50, TimeoutStrategy.Cooperative);
    const ours = pipeline({ provider: 'yahoo', retry: quickRetry() });
    let seen: AbortSignal | undefined;
    const result = await ours.execute(({ signal }) =>
      theirs.execute(({ signal: inner }) => {
        seen = inner;
        return 'quote';
      }, signal),
    );
    expect(result).toBe('quote');
    expect(seen).toBeInstanceOf(AbortSignal);
  });

  it('accepts the signal the way cockatiel passes it, as the second argument', async () => {
    const controller = new AbortController();
    controller.abort('stop');
    await expect(quickRetry().execute(() => 'x', controller.signal)).rejects.toBe('stop');
  });
});
