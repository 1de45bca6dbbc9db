import { describe, expect, it } from 'vitest';
import { createStreamCounters } from './stream-stats.js';

const state = { status: 'subscribed' as const, connected: true, authenticated: true, subscribed: 2 };

describe('stream counters', () => {
  it('reports messages per second over the last ten seconds and the lag of the last message', () => {
    const c = createStreamCounters('polygon');
    const t0 = Date.UTC(2026, 2, 10, 15, 0, 0);
    for (let s = 0; s < 20; s++) for (let i = 0; i < 5; i++) c.message(t0 + s * 1000 + i, t0 + s * 1000 - 40);
    const snap = c.snapshot(t0 + 19_500, state);
    expect(snap.messages).toBe(100);
    expect(snap.messagesPerSecond).toBe(5);
    expect(snap.lagMs).toBe(44);
    expect(snap.lastMessageAt).toBe(t0 + 19_004);
    expect(c.snapshot(t0 + 60_000, state).messagesPerSecond).toBe(0);
  });

  it('counts duplicates, decode errors and reconnects apart from messages', () => {
    const c = createStreamCounters('yahoo');
    c.duplicate();
    c.decodeError();
    c.decodeError();
    c.reconnect();
    c.frame();
    const snap = c.snapshot(0, state);
    expect(snap).toMatchObject({
      provider: 'yahoo',
      duplicates: 1,
      decodeErrors: 2,
      reconnects: 1,
      frames: 1,
      messages: 0,
    });
    expect(snap.lastMessageAt).toBeNull();
    expect(snap.lagMs).toBeNull();
  });
});
