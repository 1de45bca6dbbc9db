import { CircuitOpenError, manualClock, ProviderError, type ProviderErrorKind } from '@stockade/core';
import { ExponentialBackoff, noJitterGenerator } from 'cockatiel';
import { describe, expect, it } from 'vitest';
import { type BreakerStateEvent, circuitBreaker } from './circuit-breaker.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');
const fail = (kind: ProviderErrorKind) => () => Promise.reject(new ProviderError(kind, { provider: 'polygon', kind }));
const ok = () => Promise.resolve('quote');

describe('circuitBreaker', () => {
  it('opens after the set number of failures in a row and refuses at once with when to retry', async () => {
    const clock = manualClock(T0);
    const breaker = circuitBreaker({ name: 'polygon', breaker: { consecutive: 3 }, halfOpenAfterMs: 5_000, clock });
    for (let i = 0; i < 3; i++) await expect(breaker.execute(fail('transient'))).rejects.toBeInstanceOf(ProviderError);
    expect(breaker.state).toBe('open');
    let called = false;
    const refused = await breaker
      .execute(() => {
        called = true;
        return 'x';
      })
      .catch((e: unknown) => e);
    expect(called).toBe(false);
    expect(refused).toBeInstanceOf(CircuitOpenError);
    expect((refused as CircuitOpenError).retryAt).toBe(T0 + 5_000);
  });

  it('does not count what shows the provider is alive: not found, bad request, 429, not entitled', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 2 }, clock: manualClock(T0) });
    for (const kind of ['not_found', 'bad_request', 'rate_limited', 'not_entitled', 'not_found'] as const) {
      await breaker.execute(fail(kind)).catch(() => {});
    }
    expect(breaker.state).toBe('closed');
    await breaker.execute(fail('timeout')).catch(() => {});
    await breaker.execute(fail('not_found')).catch(() => {});
    await breaker.execute(fail('timeout')).catch(() => {});
    expect(breaker.state).toBe('closed');
    await breaker.execute(fail('bad_response')).catch(() => {});
    expect(breaker.state).toBe('open');
  });

  it('opens at once on auth', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 10 }, clock: manualClock(T0) });
    await breaker.execute(fail('auth')).catch(() => {});
    expect(breaker.state).toBe('open');
  });

  it('lets one probe through when half-open, refusing the others, and closes when it succeeds', async () => {
    const clock = manualClock(T0);
    const events: BreakerStateEvent[] = [];
    const breaker = circuitBreaker({ name: 'yahoo', breaker: { consecutive: 1 }, halfOpenAfterMs: 1_000, clock });
    breaker.onStateChange((e) => events.push(e));
    await breaker.execute(fail('unavailable')).catch(() => {});
    clock.advance(1_000);
    let release!: (v: string) => void;
    const probe = breaker.execute(() => new Promise<string>((r) => (release = r)));
    expect(breaker.state).toBe('half_open');
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    release('quote');
    await expect(probe).resolves.toBe('quote');
    expect(breaker.state).toBe('closed');
    expect(events.map((e) => `${e.from}>${e.to}`)).toEqual(['closed>open', 'open>half_open', 'half_open>closed']);
    expect(events[0]?.error).toBeInstanceOf(ProviderError);
    expect(events[0]?.at).toBe(T0);
  });

  it('reopens when the probe fails, for longer with a growing backoff', async () => {
    const clock = manualClock(T0);
    const breaker = circuitBreaker({
      breaker: { consecutive: 1 },
      halfOpenAfterMs: new ExponentialBackoff({ initialDelay: 1_000, generator: noJitterGenerator }),
      clock,
    });
    await breaker.execute(fail('transient')).catch(() => {});
    expect(breaker.retryAt).toBe(T0 + 1_000);
    clock.advance(1_000);
    await breaker.execute(fail('timeout')).catch(() => {});
    expect(breaker.state).toBe('open');
    expect(breaker.retryAt).toBe(T0 + 1_000 + 2_000);
  });

  it('is held open by isolate() until every handle is disposed', async () => {
    const breaker = circuitBreaker({ clock: manualClock(T0) });
    const a = breaker.isolate();
    const b = breaker.isolate();
    expect(breaker.state).toBe('isolated');
    await expect(breaker.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    a.dispose();
    a.dispose();
    expect(breaker.state).toBe('isolated');
    b.dispose();
    expect(breaker.state).toBe('closed');
    await expect(breaker.execute(ok)).resolves.toBe('quote');
  });

  it('survives a restart: an open circuit exported with toJSON stays open in the next process', async () => {
    const clock = manualClock(T0);
    const before = circuitBreaker({ name: 'massive', breaker: { consecutive: 1 }, halfOpenAfterMs: 30_000, clock });
    await before.execute(fail('unavailable')).catch(() => {});
    const saved = JSON.parse(JSON.stringify(before.toJSON()));
    clock.advance(10_000);
    const after = circuitBreaker({
      name: 'massive',
      breaker: { consecutive: 1 },
      halfOpenAfterMs: 30_000,
      clock,
      initialState: saved,
    });
    expect(after.state).toBe('open');
    await expect(after.execute(ok)).rejects.toBeInstanceOf(CircuitOpenError);
    clock.advance(20_000);
    await expect(after.execute(ok)).resolves.toBe('quote');
    expect(after.state).toBe('closed');
    expect(() => circuitBreaker({ initialState: { state: 'ajar' } as never })).toThrow(/initialState\.state/);
  });

  it("keeps a sampling breaker's counts across a restart too", async () => {
    const clock = manualClock(T0);
    const opts = { breaker: { count: { threshold: 0.5, size: 4 } }, clock };
    const first = circuitBreaker(opts);
    await first.execute(ok);
    await first.execute(fail('transient')).catch(() => {});
    await first.execute(fail('transient')).catch(() => {});
    const second = circuitBreaker({
      ...opts,
      breaker: { count: { threshold: 0.5, size: 4 } },
      initialState: first.toJSON(),
    });
    await second.execute(fail('transient')).catch(() => {});
    expect(second.state).toBe('open');
  });

  it('does not record a call the caller aborted', async () => {
    const breaker = circuitBreaker({ breaker: { consecutive: 1 }, clock: manualClock(T0) });
    const controller = new AbortController();
    controller.abort();
    await breaker.execute(fail('timeout'), { signal: controller.signal }).catch(() => {});
    expect(breaker.state).toBe('closed');
  });
});
