import type { StreamStats, StreamStatus } from './types.js';

const WINDOW_SECONDS = 10;

/** The counters behind {@link StreamStats}, updated on the hot path by plain field writes. */
export interface StreamCounters {
  /** Counts a frame read off the socket. */
  frame(): void;
  /** Counts a data event that arrived at `receivedAt` and was true at the source at `sourceAt`. */
  message(receivedAt: number, sourceAt: number): void;
  /** Counts an event dropped as a repeat. */
  duplicate(): void;
  /** Counts a frame or event that did not decode. */
  decodeError(): void;
  /** Counts a connection opened after the first. */
  reconnect(): void;
  /** A snapshot, given the parts the stream itself knows. */
  snapshot(
    now: number,
    state: { status: StreamStatus; connected: boolean; authenticated: boolean; subscribed: number },
  ): StreamStats;
}

/** Creates zeroed counters for the stream of `provider`. */
export function createStreamCounters(provider: string): StreamCounters {
  let frames = 0;
  let messages = 0;
  let duplicates = 0;
  let decodeErrors = 0;
  let reconnects = 0;
  let lastMessageAt: number | null = null;
  let lagMs: number | null = null;
  // Per-second counts over the last WINDOW_SECONDS seconds of the clock, as a ring.
  const ring = new Array<number>(WINDOW_SECONDS).fill(0);
  let ringSecond = Number.NaN;
  let firstSecond = Number.NaN;
  const advance = (second: number) => {
    if (second === ringSecond) return;
    if (Number.isNaN(ringSecond) || second - ringSecond >= WINDOW_SECONDS || second < ringSecond) ring.fill(0);
    else for (let s = ringSecond + 1; s <= second; s++) ring[s % WINDOW_SECONDS] = 0;
    ringSecond = second;
  };
  return {
    frame() {
      frames += 1;
    },
    message(receivedAt, sourceAt) {
      messages += 1;
      lastMessageAt = receivedAt;
      lagMs = receivedAt - sourceAt;
      const second = Math.floor(receivedAt / 1000);
      if (second !== ringSecond) advance(second);
      if (Number.isNaN(firstSecond)) firstSecond = second;
      const slot = second % WINDOW_SECONDS;
      ring[slot] = (ring[slot] ?? 0) + 1;
    },
    duplicate() {
      duplicates += 1;
    },
    decodeError() {
      decodeErrors += 1;
    },
    reconnect() {
      reconnects += 1;
    },
    snapshot(now, state) {
      const second = Math.floor(now / 1000);
      advance(second);
      let sum = 0;
      for (const n of ring) sum += n;
      // Divide by the seconds actually observed, so a young stream's rate is not diluted.
      const span = Number.isNaN(firstSecond) ? 1 : Math.max(1, Math.min(WINDOW_SECONDS, second - firstSecond + 1));
      return {
        provider,
        ...state,
        messages,
        frames,
        messagesPerSecond: sum / span,
        reconnects,
        lastMessageAt,
        lagMs,
        duplicates,
        decodeErrors,
      };
    },
  };
}
