import { manualClock } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { evalFixture, type ReplayServer, startReplayServer } from '../test-support/replay-server.js';
import { polygonProvider } from './adapter.js';

let server: ReplayServer | undefined;
let provider: Provider | undefined;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = undefined;
  server = undefined;
});

/** A Polygon adapter whose every endpoint answers `body`. */
async function polygonReplaying(body: string): Promise<{ p: Provider; server: ReplayServer }> {
  server = await startReplayServer(() => ({ body }));
  provider = polygonProvider({
    baseUrl: server.url,
    apiKey: 'EvalKey_0123456789abcdefghijklmn',
    clock: manualClock(Date.parse('2024-06-27T15:00:00Z')),
  });
  return { p: provider, server };
}

describe('polygon adapter against the held-out payloads', () => {
  it('serves I:NDX bars without volume, dated in New York though stamped at 01:00', async () => {
    const { p, server } = await polygonReplaying(
      evalFixture('polygon/aggs-I-NDX-1day-2023-01-01_2023-05-10-index.json'),
    );
    const series = await p.bars('^NDX', { interval: '1d', from: '2023-01-01', to: '2023-05-10' });
    expect(server.requests[0]?.url.pathname).toBe('/v2/aggs/ticker/I:NDX/range/1/day/2023-01-01/2023-05-10');
    expect(series.symbol).toBe('^NDX');
    expect(series.bars).toHaveLength(54);
    expect(series.bars[0]).toEqual({
      t: 1677045600000,
      sessionDate: '2023-02-22',
      o: 12085.67432708806,
      h: 12156.21386217595,
      l: 12006.0375472456,
      c: 12066.27182303612,
    });
    expect(series.bars.every((b) => b.v === undefined && b.vwap === undefined && b.trades === undefined)).toBe(true);
    expect(series.bars.map((b) => b.sessionDate)).not.toContain('2023-02-23');
    expect(series.bars.at(-1)?.sessionDate).toBe('2023-05-10');
  });

  it('serves X:BTCUSD bars with fractional volume and UTC session dates, weekends included', async () => {
    const { p, server } = await polygonReplaying(
      evalFixture('polygon/aggs-X-BTCUSD-1day-2023-01-01_2023-01-10-crypto.json'),
    );
    const series = await p.bars('BTC-USD', { interval: '1d', from: '2023-01-01', to: '2023-01-10' });
    expect(server.requests[0]?.url.pathname).toBe('/v2/aggs/ticker/X:BTCUSD/range/1/day/2023-01-01/2023-01-10');
    expect(series.bars.map((b) => b.sessionDate)).toEqual(
      Array.from({ length: 10 }, (_, i) => `2023-01-${String(i + 1).padStart(2, '0')}`),
    );
    expect(series.bars[0]).toMatchObject({
      t: 1672531200000,
      v: 12300.315533316923,
      vwap: 16549.5494,
      o: 16532,
      c: 16611.58,
      trades: 292354,
    });
    expect(series.currency).toBe('USD');
  });
});
