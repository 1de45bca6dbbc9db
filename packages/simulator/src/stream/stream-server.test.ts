import { manualClock } from '@stockade/core';
import protobuf from 'protobufjs/minimal.js';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { type Simulator, startSimulator } from '../server.js';

const KEY = 'SIMSTREAMKEY0123456789abcdefABCD';
let sim: Simulator | undefined;
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  await sim?.stop();
  sim = undefined;
});

/** A client that queues every text frame it receives. */
async function connect(url: string) {
  const ws = new WebSocket(url);
  sockets.push(ws);
  const frames: string[] = [];
  const waiters: Array<() => void> = [];
  ws.on('message', (data) => {
    frames.push(data.toString());
    for (const w of waiters.splice(0)) w();
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = async (match: (text: string) => boolean = () => true): Promise<string> => {
    for (;;) {
      const i = frames.findIndex(match);
      if (i >= 0) return frames.splice(i, 1)[0] as string;
      await new Promise<void>((resolve) => waiters.push(resolve));
    }
  };
  return { ws, frames, next };
}

/** Field numbers present in a PricingData message. */
function fieldNumbers(b64: string): number[] {
  const r = protobuf.Reader.create(Buffer.from(b64, 'base64'));
  const out: number[] = [];
  while (r.pos < r.len) {
    const tag = r.uint32();
    out.push(tag >>> 3);
    r.skipType(tag & 7);
  }
  return out;
}

describe('the simulated Polygon stream', () => {
  it('speaks the real handshake: connected, auth, one success per subscribed parameter, then JSON-array data frames', async () => {
    sim = await startSimulator({
      seed: 3,
      keys: { polygon: KEY },
      stampFrames: true,
      streamFaults: { polygon: { eventsPerSecond: 100 } },
    });
    expect(sim.wsUrl('polygon')).toBe(`ws://127.0.0.1:${sim.port}/polygon/stocks`);
    const c = await connect(sim.wsUrl('polygon'));
    expect(JSON.parse(await c.next())).toEqual([
      { ev: 'status', status: 'connected', message: 'Connected Successfully' },
    ]);
    c.ws.send(JSON.stringify({ action: 'subscribe', params: 'T.AAPL' }));
    expect(JSON.parse(await c.next())[0].status).toBe('auth_required');
    c.ws.send(JSON.stringify({ action: 'auth', params: KEY }));
    expect(JSON.parse(await c.next())).toEqual([{ ev: 'status', status: 'auth_success', message: 'authenticated' }]);
    c.ws.send(JSON.stringify({ action: 'subscribe', params: 'T.AAPL,Q.MSFT' }));
    expect(JSON.parse(await c.next())).toEqual([
      { ev: 'status', status: 'success', message: 'subscribed to: T.AAPL' },
      { ev: 'status', status: 'success', message: 'subscribed to: Q.MSFT' },
    ]);
    const data = JSON.parse(await c.next((t) => t.includes('"ev":"T"'))) as Record<string, unknown>[];
    const trade = data.find((e) => e.ev === 'T') as Record<string, unknown>;
    expect(trade).toMatchObject({ sym: 'AAPL', z: 3 });
    expect(typeof trade.p).toBe('number');
    expect(typeof trade.q).toBe('number');
    expect(trade.hr).toMatch(/^\d+$/);
    expect(sim.streams.stats('polygon')).toMatchObject({
      connections: 1,
      open: 1,
      authAttempts: 1,
      subscribeMessages: 1,
    });
  });

  it('refuses a wrong key with auth_failed and closes', async () => {
    sim = await startSimulator({ seed: 3, keys: { polygon: KEY } });
    const c = await connect(sim.wsUrl('polygon'));
    await c.next();
    const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
    c.ws.send(JSON.stringify({ action: 'auth', params: 'wrong' }));
    expect(JSON.parse(await c.next())[0].status).toBe('auth_failed');
    expect(await closed).toBe(1008);
    expect(sim.streams.stats('polygon').authFailures).toBe(1);
  });

  it('sends AM bars when its clock crosses a minute and repeats events under the duplicates fault', async () => {
    const clock = manualClock(Date.parse('2026-03-10T15:00:30Z'));
    sim = await startSimulator({ seed: 3, clock, streamFaults: { massive: { duplicates: 1, eventsPerSecond: 50 } } });
    const c = await connect(sim.wsUrl('massive'));
    c.ws.send(JSON.stringify({ action: 'auth', params: 'any' }));
    c.ws.send(JSON.stringify({ action: 'subscribe', params: 'AM.AAPL,T.AAPL' }));
    await c.next((t) => t.includes('subscribed to: T.AAPL'));
    const frame = JSON.parse(await c.next((t) => t.includes('"ev":"T"'))) as Record<string, unknown>[];
    const trades = frame.filter((e) => e.ev === 'T');
    expect(trades[1]).toEqual(trades[0]);
    clock.advance(60_000);
    const bars = JSON.parse(await c.next((t) => t.includes('"ev":"AM"'))) as Record<string, unknown>[];
    expect(bars.find((e) => e.ev === 'AM')).toMatchObject({
      sym: 'AAPL',
      s: Date.parse('2026-03-10T15:00:00Z'),
      e: Date.parse('2026-03-10T15:01:00Z'),
    });
  });

  it('stops answering pings and sending data while silent', async () => {
    sim = await startSimulator({ seed: 3, streamFaults: { polygon: { silent: true } } });
    const c = await connect(sim.wsUrl('polygon'));
    let pongs = 0;
    c.ws.on('pong', () => pongs++);
    c.ws.ping();
    const s = sim;
    await expect.poll(() => s.streams.stats('polygon').pingsIgnored).toBe(1);
    s.streams.faults.clear('polygon');
    c.ws.ping();
    await expect.poll(() => pongs).toBe(1);
    expect(s.streams.stats('polygon').pongs).toBe(1);
  });

  it('drops every connection on demand and refuses unknown stream paths', async () => {
    sim = await startSimulator({ seed: 3 });
    const c = await connect(sim.wsUrl('polygon'));
    const closed = new Promise<void>((resolve) => c.ws.once('close', () => resolve()));
    expect(sim.streams.drop('polygon')).toBe(1);
    await closed;
    const bad = new WebSocket(`ws://127.0.0.1:${sim.port}/polygon/crypto-nope`);
    sockets.push(bad);
    await expect(new Promise((_r, reject) => bad.once('error', reject))).rejects.toThrow();
    expect(sim.streams.stats('polygon')).toMatchObject({ drops: 1, connections: 1 });
  });
});

describe('the simulated Yahoo stream', () => {
  it('sends a full PricingData first and afterwards only the fields that changed', async () => {
    sim = await startSimulator({ seed: 3, streamFaults: { yahoo: { eventsPerSecond: 100 } } });
    expect(sim.wsUrl('yahoo')).toBe(`ws://127.0.0.1:${sim.port}/yahoo/?version=2`);
    const c = await connect(sim.wsUrl('yahoo'));
    c.ws.send(JSON.stringify({ subscribe: ['BRK-B'] }));
    const first = JSON.parse(await c.next()) as { type: string; message: string };
    const second = JSON.parse(await c.next()) as { type: string; message: string };
    expect(first.type).toBe('pricing');
    expect(fieldNumbers(first.message)).toEqual(expect.arrayContaining([1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 27]));
    const later = fieldNumbers(second.message);
    expect(later).toContain(1);
    expect(later).not.toContain(16); // previous close does not change within the day
    expect(later).not.toContain(5);
    const legacy = await connect(sim.wsUrl('yahoo').replace('?version=2', ''));
    legacy.ws.send(JSON.stringify({ subscribe: ['AAPL'] }));
    expect(await legacy.next()).toMatch(/^[A-Za-z0-9+/]+=*$/);
  });
});
