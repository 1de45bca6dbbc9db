import { createServer } from 'node:net';
import { isProviderError, registerSecret } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from '../test-support/replay-server.js';
import { createTransport, type Transport } from './transport.js';

let server: ReplayServer | undefined;
let transport: Transport | undefined;

afterEach(async () => {
  await transport?.close();
  await server?.close();
  transport = undefined;
  server = undefined;
});

function make(options: Partial<Parameters<typeof createTransport>[0]> = {}): Transport {
  transport = createTransport({ provider: 'test', ...options });
  return transport;
}

async function failure(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}

describe('http transport', () => {
  it('asks for gzip and decompresses the body', async () => {
    server = await startReplayServer(() => ({ body: JSON.stringify({ hello: 'world'.repeat(100) }), gzip: true }));
    const res = await make().get(new URL(`${server.url}/x`), { operation: 'test' });
    expect(JSON.parse(res.text).hello).toBe('world'.repeat(100));
    expect(server.requests[0]?.headers['accept-encoding']).toBe('gzip, deflate');
  });

  it('reuses keep-alive sockets across requests', async () => {
    server = await startReplayServer(() => ({ body: '{}' }));
    const t = make();
    for (let i = 0; i < 10; i++) await t.get(new URL(`${server.url}/x`), { operation: 'test' });
    expect(server.requests).toHaveLength(10);
    // undici may open a spare socket while the last one is released; never one per request.
    expect(server.connections()).toBeLessThanOrEqual(2);
    expect(t.stats()).toMatchObject({ running: 0, pending: 0 });
    expect(t.stats().connected).toBeGreaterThanOrEqual(1);
  });

  it('refuses a body over the limit, by its declared length', async () => {
    server = await startReplayServer(() => ({ body: 'x'.repeat(5000) }));
    const err = await failure(make({ bodyLimitBytes: 1000 }).get(new URL(`${server.url}/big`), { operation: 'test' }));
    expect(err).toMatchObject({ kind: 'bad_response' });
    expect((err as Error).message).toContain('1000-byte body limit');
  });

  it('refuses a body that decompresses past the limit', async () => {
    server = await startReplayServer(() => ({ body: 'x'.repeat(100_000), gzip: true }));
    const err = await failure(
      make({ bodyLimitBytes: 10_000 }).get(new URL(`${server.url}/bomb`), { operation: 'test' }),
    );
    expect(err).toMatchObject({ kind: 'bad_response' });
  });

  it('keeps X-Request-Id and y-rid, and reads Retry-After into every header observer', async () => {
    server = await startReplayServer((req) => {
      const headers: Record<string, string> =
        req.path === '/a' ? { 'x-request-id': 'abc', 'retry-after': '7' } : { 'y-rid': 'yrid1' };
      return { status: 429, body: '{}', headers };
    });
    const t = make();
    const seen: Array<{ status: number; retryAfterMs?: number }> = [];
    const sub = t.onResponseHeaders((e) => seen.push({ status: e.status, retryAfterMs: e.retryAfterMs }));
    const a = await t.get(new URL(`${server.url}/a`), { operation: 'test' });
    expect(a).toMatchObject({ status: 429, requestId: 'abc', retryAfterMs: 7000 });
    sub.dispose();
    const b = await t.get(new URL(`${server.url}/b`), { operation: 'test' });
    expect(b.requestId).toBe('yrid1');
    expect(seen).toEqual([{ status: 429, retryAfterMs: 7000 }]);
  });

  it('maps a refused connection to unavailable, with the key redacted from the URL', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((r) => probe.close(() => r()));
    registerSecret('SECRET-KEY-123');
    const err = await failure(
      make().get(new URL(`http://127.0.0.1:${port}/query?function=X&apikey=SECRET-KEY-123`), {
        operation: 'quotes',
        symbols: ['MSFT'],
      }),
    );
    expect(isProviderError(err, 'unavailable')).toBe(true);
    expect((err as Error).message).toContain('apikey=[REDACTED]');
    expect((err as Error).message).not.toContain('SECRET-KEY-123');
    expect(err).toMatchObject({ operation: 'quotes', symbols: ['MSFT'] });
  });

  it('maps a socket destroyed mid-answer to transient', async () => {
    const raw = createServer((socket) => socket.once('data', () => socket.destroy()));
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const { port } = raw.address() as { port: number };
    try {
      const err = await failure(make().get(new URL(`http://127.0.0.1:${port}/x`), { operation: 'test' }));
      expect(err).toMatchObject({ kind: 'transient' });
    } finally {
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });

  it('maps a headers timeout to timeout', async () => {
    const raw = createServer(() => undefined);
    await new Promise<void>((r) => raw.listen(0, '127.0.0.1', r));
    const { port } = raw.address() as { port: number };
    const sockets: import('node:net').Socket[] = [];
    raw.on('connection', (s) => sockets.push(s));
    try {
      const err = await failure(
        make({ headersTimeoutMs: 50 }).get(new URL(`http://127.0.0.1:${port}/x`), { operation: 'test' }),
      );
      expect(err).toMatchObject({ kind: 'timeout' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => raw.close(() => r()));
    }
  });

  it('rejects with the abort reason itself and frees the socket when aborted mid-body', async () => {
    server = await startReplayServer(() => ({ body: '{"partial": "x'.padEnd(2000, 'x'), hang: true }));
    const t = make();
    const controller = new AbortController();
    const reason = new Error('caller gave up');
    const pending = t.get(new URL(`${server.url}/hang`), { operation: 'test', signal: controller.signal });
    await until(() => server?.requests.length === 1 && t.stats().running === 1);
    expect(t.stats().running).toBe(1);
    controller.abort(reason);
    expect(await failure(pending)).toBe(reason);
    await until(() => server?.closedSockets() === 1);
    expect(server.closedSockets()).toBe(1);
    expect(t.stats().running).toBe(0);
  });

  it('rejects at once with the reason of an already-aborted signal, sending nothing', async () => {
    server = await startReplayServer(() => ({ body: '{}' }));
    const reason = new Error('already');
    const err = await failure(
      make().get(new URL(`${server.url}/x`), { operation: 'test', signal: AbortSignal.abort(reason) }),
    );
    expect(err).toBe(reason);
    expect(server.requests).toHaveLength(0);
  });

  it('fails as unavailable after close', async () => {
    server = await startReplayServer(() => ({ body: '{}' }));
    const t = make();
    await t.close();
    expect(await failure(t.get(new URL(`${server.url}/x`), { operation: 'test' }))).toMatchObject({
      kind: 'unavailable',
    });
  });
});
