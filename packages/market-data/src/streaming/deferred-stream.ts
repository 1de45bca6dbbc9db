import type { StreamChannel } from '@stockade/providers';
import type { MarketStream, MarketStreamStats } from './stream-types.js';

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * A {@link MarketStream} handed out at once while the real one opens after the manager is ready,
 * so `stream()` can stay synchronous; a failed start rejects the first `next()` with its error.
 */
export function deferStream(
  symbols: readonly string[],
  channels: readonly StreamChannel[],
  opening: Promise<MarketStream>,
): MarketStream {
  let inner: MarketStream | undefined;
  let closed = false;
  const ready = opening.then((s) => {
    inner = s;
    if (closed) s.close();
    return s;
  });
  // A failed start surfaces on next(); it must not also be an unhandled rejection.
  ready.catch(() => {});
  const stream: MarketStream = {
    symbols,
    channels,
    async next() {
      if (closed && inner === undefined) return DONE;
      return (inner ?? (await ready)).next();
    },
    async return() {
      stream.close();
      return DONE;
    },
    [Symbol.asyncIterator]() {
      return stream;
    },
    stats: (): MarketStreamStats => inner?.stats() ?? { conflated: 0, byChannel: {}, queued: 0, delivered: 0 },
    close() {
      closed = true;
      inner?.close();
    },
  };
  return stream;
}
