import { afterEach, describe, expect, it } from 'vitest';
import { type ReplayServer, startReplayServer } from '../test-support/replay-server.js';
import { createPoolSet } from './pool.js';

let server: ReplayServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('pool set', () => {
  it('closes even while a request hangs, failing that request instead of waiting for it', async () => {
    server = await startReplayServer(() => ({ body: JSON.stringify({ never: 'finished' }), hang: true }));
    const pools = createPoolSet({ closeGraceMs: 50 });
    const pool = pools.pool(server.url);
    const { body } = await pool.request({ path: '/hang', method: 'GET' });
    const reading = body.text().then(
      () => 'finished',
      () => 'failed',
    );
    await pools.close();
    expect(pools.closed).toBe(true);
    expect(await reading).toBe('failed');
    expect(pool.destroyed).toBe(true);
  });

  it('lets a request that completes within the grace period finish', async () => {
    server = await startReplayServer(() => ({ body: 'done' }));
    const pools = createPoolSet({ closeGraceMs: 10_000 });
    const pending = pools.pool(server.url).request({ path: '/ok', method: 'GET' });
    const closing = pools.close();
    const { body } = await pending;
    expect(await body.text()).toBe('done');
    await closing;
  });
});
