import type { StreamChannel } from '@stockade/providers';
import { createConflatingQueue } from './conflating-queue.js';
import type { MarketStream, MarketStreamEvent } from './stream-types.js';

/** The hub's side of one `stream()` caller. */
export interface StreamConsumer {
  /** The iterator handed to the caller. */
  readonly iterator: MarketStream;
  /** Symbols, canonical. */
  readonly symbols: readonly string[];
  /** Channels. */
  readonly channels: ReadonlySet<StreamChannel>;
  /** Hands an event over: to a waiting reader at once, else into the conflating queue. Returns true when it conflated. */
  offer(key: string, channel: string, event: MarketStreamEvent): boolean;
  /** Ends the iterator (the hub closing); the reader gets what is queued, then `done`. */
  end(): void;
}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * Events handed from the queue before the reader is made to wait one macrotask. A `for await`
 * loop would otherwise drain the queue in microtasks while the socket goes unread, so a backlog
 * would build up in socket buffers, where nothing conflates it; yielding lets the frames that
 * arrived meanwhile be read and conflated here, latest wins.
 */
export const DELIVERIES_PER_TURN = 64;

/**
 * Creates a consumer whose iterator reads a {@link createConflatingQueue}: with a reader waiting,
 * an event is handed over directly; otherwise it waits in the queue, one per key, latest wins.
 * `release` is called once when the iterator ends by `return()`, `close()` or the signal.
 */
export function createStreamConsumer(
  symbols: readonly string[],
  channels: readonly StreamChannel[],
  release: (consumer: StreamConsumer) => void,
  signal?: AbortSignal,
): StreamConsumer {
  const queue = createConflatingQueue<MarketStreamEvent>();
  let waiting: ((r: IteratorResult<MarketStreamEvent, undefined>) => void) | undefined;
  let ended = false;
  let released = false;
  let delivered = 0;
  let sinceTurn = 0;

  const finish = () => {
    ended = true;
    // A chained waiter re-arms `waiting` when resolved: loop until every reader has its `done`.
    while (waiting !== undefined) {
      const w = waiting;
      waiting = undefined;
      w(DONE);
    }
  };
  const stop = () => {
    queue.clear();
    finish();
    if (!released) {
      released = true;
      signal?.removeEventListener('abort', stop);
      release(consumer);
    }
  };

  const iterator: MarketStream = {
    symbols,
    channels,
    next() {
      if (sinceTurn >= DELIVERIES_PER_TURN && queue.size > 0) {
        sinceTurn = 0;
        return new Promise((resolve) => setImmediate(() => resolve(iterator.next())));
      }
      const value = queue.shift();
      if (value !== undefined) {
        delivered += 1;
        sinceTurn += 1;
        return Promise.resolve({ done: false, value });
      }
      sinceTurn = 0;
      if (ended) return Promise.resolve(DONE);
      // One reader at a time is the AsyncIterator contract; a second next() replaces nothing, it waits its turn.
      const previous = waiting;
      return new Promise((resolve) => {
        waiting = previous
          ? (r) => {
              previous(r);
              waiting = resolve;
            }
          : resolve;
      });
    },
    return() {
      stop();
      return Promise.resolve(DONE);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
    stats: () => ({ ...queue.counts(), queued: queue.size, delivered }),
    close: stop,
  };

  const consumer: StreamConsumer = {
    iterator,
    symbols,
    channels: new Set(channels),
    offer(key, channel, event) {
      if (ended) return false;
      if (waiting !== undefined) {
        const w = waiting;
        waiting = undefined;
        delivered += 1;
        w({ done: false, value: event });
        return false;
      }
      return queue.push(key, channel, event);
    },
    end: finish,
  };

  if (signal?.aborted === true) stop();
  else signal?.addEventListener('abort', stop, { once: true });
  return consumer;
}
