import { describe, expect, it } from 'vitest';
import { createStreamConsumer, DELIVERIES_PER_TURN, type StreamConsumer } from './stream-consumer.js';
import type { MarketStreamEvent } from './stream-types.js';

const status = (detail: string): MarketStreamEvent => ({
  type: 'status',
  mode: 'streaming',
  provider: 'polygon',
  status: 'subscribed',
  detail,
  at: 0,
});

describe('a stream consumer', () => {
  it('hands an event straight to a waiting reader, queues the rest latest-wins', async () => {
    const consumer = createStreamConsumer(['AAPL'], ['quotes'], () => {});
    const waiting = consumer.iterator.next();
    expect(consumer.offer('status', 'status', status('a'))).toBe(false);
    expect((await waiting).value).toMatchObject({ detail: 'a' });
    consumer.offer('status', 'status', status('b'));
    expect(consumer.offer('status', 'status', status('c'))).toBe(true);
    expect((await consumer.iterator.next()).value).toMatchObject({ detail: 'c' });
    expect(consumer.iterator.stats()).toMatchObject({ queued: 0, delivered: 2, conflated: 1 });
  });

  it('lets the producer run between long runs of queued events, so a fast-arriving backlog conflates', async () => {
    const consumer = createStreamConsumer(['AAPL'], ['quotes'], () => {});
    const keys = DELIVERIES_PER_TURN * 4;
    const rounds = 20;
    // A producer like a socket: each macrotask brings one frame with an event for every key.
    let round = 0;
    const produce = () => {
      for (let k = 0; k < keys; k++) consumer.offer(`k${k}`, 'quotes', status(`${round}:${k}`));
      round += 1;
      if (round < rounds) setImmediate(produce);
      else setImmediate(() => consumer.end());
    };
    setImmediate(produce);
    // A reader that never awaits anything but the iterator.
    const latest = new Map<string, number>();
    for await (const e of consumer.iterator) {
      if (e.type !== 'status') continue;
      const [r, k] = e.detail.split(':').map(Number) as [number, number];
      expect(r).toBeGreaterThanOrEqual(latest.get(`k${k}`) ?? 0);
      latest.set(`k${k}`, r);
    }
    const stats = consumer.iterator.stats();
    expect(stats.conflated).toBeGreaterThan(0);
    expect(stats.delivered + stats.conflated).toBe(keys * rounds);
    expect(latest.get('k0')).toBe(rounds - 1);
  });

  it('releases once and ends a waiting reader when the signal aborts', async () => {
    const released: StreamConsumer[] = [];
    const abort = new AbortController();
    const consumer = createStreamConsumer(['AAPL'], ['quotes'], (c) => released.push(c), abort.signal);
    const waiting = consumer.iterator.next();
    abort.abort();
    expect(await waiting).toEqual({ done: true, value: undefined });
    await consumer.iterator.return?.();
    consumer.iterator.close();
    expect(released).toEqual([consumer]);
    expect(consumer.offer('status', 'status', status('late'))).toBe(false);
    expect(await consumer.iterator.next()).toEqual({ done: true, value: undefined });
  });

  it('lets the reader finish what is queued when the hub ends it', async () => {
    const consumer = createStreamConsumer(['AAPL'], ['quotes'], () => {});
    consumer.offer('status', 'status', status('last'));
    consumer.end();
    expect((await consumer.iterator.next()).value).toMatchObject({ detail: 'last' });
    expect((await consumer.iterator.next()).done).toBe(true);
  });
});
