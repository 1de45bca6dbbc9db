import { describe, expect, it } from 'vitest';
import { createStreamConsumer, type StreamConsumer } from './stream-consumer.js';
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
