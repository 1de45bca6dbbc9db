import { ProviderError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { createSingleFlight } from './single-flight.js';

function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createSingleFlight', () => {
  it('runs one load for 1,000 concurrent callers of a key and counts the joiners', async () => {
    let joins = 0;
    const flight = createSingleFlight<number>({ onJoin: () => joins++ });
    const gate = deferred<number>();
    let calls = 0;
    const load = () => {
      calls++;
      return gate.promise;
    };
    const all = Array.from({ length: 1_000 }, () => flight.run('AAPL', load));
    gate.resolve(187.5);
    expect(await Promise.all(all)).toEqual(new Array(1_000).fill(187.5));
    expect(calls).toBe(1);
    expect(joins).toBe(999);
    expect(flight.has('AAPL')).toBe(false);
  });

  it('rejects only the caller that aborted, without cancelling the shared load', async () => {
    const flight = createSingleFlight<string>();
    const gate = deferred<string>();
    let loadSignal: AbortSignal | undefined;
    const load = (signal: AbortSignal) => {
      loadSignal = signal;
      return gate.promise;
    };
    const impatient = new AbortController();
    const a = flight.run('MSFT', load, impatient.signal);
    const b = flight.run('MSFT', load, new AbortController().signal);
    const c = flight.run('MSFT', load);
    const reason = new DOMException('caller gave up', 'AbortError');
    impatient.abort(reason);
    await expect(a).rejects.toBe(reason);
    expect(loadSignal?.aborted).toBe(false);
    gate.resolve('ok');
    await expect(b).resolves.toBe('ok');
    await expect(c).resolves.toBe('ok');
  });

  it('aborts the load once every waiter has aborted, and starts afresh for the next caller', async () => {
    const flight = createSingleFlight<string>();
    const signals: AbortSignal[] = [];
    const load = (signal: AbortSignal) => {
      signals.push(signal);
      return new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
    };
    const x = new AbortController();
    const y = new AbortController();
    const p1 = flight.run('TSLA', load, x.signal);
    const p2 = flight.run('TSLA', load, y.signal);
    x.abort();
    expect(signals[0]?.aborted).toBe(false);
    y.abort();
    expect(signals[0]?.aborted).toBe(true);
    await expect(p1).rejects.toMatchObject({ name: 'AbortError' });
    await expect(p2).rejects.toMatchObject({ name: 'AbortError' });
    expect(flight.has('TSLA')).toBe(false);
    const z = flight.run('TSLA', () => Promise.resolve('fresh'));
    await expect(z).resolves.toBe('fresh');
    expect(signals).toHaveLength(1);
  });

  it('hands a failed load to every waiter and frees the key', async () => {
    const flight = createSingleFlight<string>();
    const gate = deferred<string>();
    const a = flight.run('NVDA', () => gate.promise);
    const b = flight.run('NVDA', () => gate.promise, new AbortController().signal);
    const err = new ProviderError('503 upstream', { provider: 'polygon', kind: 'transient' });
    gate.reject(err);
    await expect(a).rejects.toBe(err);
    await expect(b).rejects.toBe(err);
    expect(flight.size).toBe(0);
  });

  it('rejects at once with the reason of an already aborted signal', async () => {
    const flight = createSingleFlight<string>();
    let calls = 0;
    const reason = new DOMException('late', 'AbortError');
    await expect(
      flight.run(
        'AMD',
        async () => {
          calls++;
          return 'x';
        },
        AbortSignal.abort(reason),
      ),
    ).rejects.toBe(reason);
    expect(calls).toBe(0);
  });
});
