import type { ProviderStream, StreamEvent } from './types.js';

/**
 * Resolves with the first event of `stream` that satisfies `match` (events seen before the call
 * are not replayed). Rejects after `limitMs` so a broken stream fails its test instead of hanging it.
 */
export function nextEvent<E extends StreamEvent = StreamEvent>(
  stream: ProviderStream,
  match: (e: StreamEvent) => boolean,
  limitMs = 8_000,
): Promise<E> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(
        new Error(`no matching ${stream.provider} stream event within ${limitMs} ms; status ${stream.stats().status}`),
      );
    }, limitMs);
    const off = stream.on((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e as E);
    });
  });
}

/** Resolves once `check()` is true, polling every 5 ms; rejects after `limitMs`. */
export async function until(check: () => boolean, what: string, limitMs = 8_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Collects every event of a stream. */
export function record(stream: ProviderStream): StreamEvent[] {
  const events: StreamEvent[] = [];
  stream.on((e) => events.push(e));
  return events;
}
