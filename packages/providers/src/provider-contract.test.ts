import { ConfigError, isProviderError } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import { alphaVantageProvider } from './alphavantage/adapter.js';
import { massiveProvider, polygonProvider } from './polygon/adapter.js';
import type { Provider } from './provider.js';
import { type ReplayServer, startReplayServer } from './test-support/replay-server.js';
import { yahooProvider } from './yahoo/adapter.js';

let server: ReplayServer | undefined;
let provider: Provider | undefined;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = undefined;
  server = undefined;
});

const factories = [
  ['yahoo', (baseUrl: string) => yahooProvider({ baseUrl, cookieUrl: `${baseUrl}/fc` })],
  ['alphavantage', (baseUrl: string) => alphaVantageProvider({ baseUrl, apiKey: 'CONTRACTKEY12345' })],
  ['polygon', (baseUrl: string) => polygonProvider({ baseUrl, apiKey: 'ContractKey_0123456789abcdefghij' })],
  ['massive', (baseUrl: string) => massiveProvider({ baseUrl, apiKey: 'ContractKey_0123456789abcdefghij' })],
] as const;

describe.each(factories)('%s provider contract', (name, factory) => {
  async function make(): Promise<Provider> {
    server = await startReplayServer(() => ({ status: 500, body: 'unexpected request' }));
    provider = factory(server.url);
    return provider;
  }

  it('states its name and capabilities', async () => {
    const p = await make();
    expect(p.name).toBe(name);
    expect(p.capabilities.intervals).toEqual(expect.arrayContaining(['1d']));
    expect(p.capabilities.maxBatchSize).toBeGreaterThanOrEqual(1);
    expect(p.capabilities.batchQuotes).toBe(p.capabilities.maxBatchSize > 1);
    expect(p.capabilities.needsKey).toBe(name !== 'yahoo');
    expect(p.capabilities.adjustments.length).toBeGreaterThan(0);
    expect(p.capabilities.freeTier.note.length).toBeGreaterThan(10);
  });

  it('answers invalid and unsupported symbols without any request, each exactly once', async () => {
    const p = await make();
    const { quotes, errors } = await p.quotes(['A/B', '', 'A/B', name === 'yahoo' ? 'AA PL' : '7203.T']);
    expect(quotes).toEqual([]);
    expect(errors.map((e) => e.error.kind)).toEqual([
      'bad_request',
      'bad_request',
      name === 'yahoo' ? 'bad_request' : 'unavailable',
    ]);
    expect(errors.every((e) => isProviderError(e.error) && e.error.provider === name)).toBe(true);
    expect(server?.requests).toHaveLength(0);
  });

  it('says which symbols it can serve', async () => {
    const p = await make();
    expect(p.supports('AAPL')).toBe(true);
    expect(p.supports('BTC-USD')).toBe(true);
    expect(p.supports('not a symbol')).toBe(false);
    expect(p.supports('^GSPC')).toBe(name !== 'alphavantage');
    expect(p.supports('WSU.DE')).toBe(name === 'yahoo' || name === 'alphavantage');
  });

  it('refuses malformed bar requests as bad_request and unsupported ones as unavailable, sending nothing', async () => {
    const p = await make();
    await expect(
      p.bars('AAPL', { interval: '2h' as '1h', from: '2024-01-01', to: '2024-01-31' }),
    ).rejects.toMatchObject({ kind: 'bad_request' });
    await expect(p.bars('AAPL', { interval: '1d', from: '2024-02-30', to: '2024-03-31' })).rejects.toMatchObject({
      kind: 'bad_request',
    });
    await expect(p.bars('AAPL', { interval: '1d', from: '2024-03-31', to: '2024-01-01' })).rejects.toMatchObject({
      kind: 'bad_request',
    });
    await expect(p.bars('A/B', { interval: '1d', from: '2024-01-01', to: '2024-01-31' })).rejects.toMatchObject({
      kind: 'bad_request',
    });
    await expect(
      p.bars('AAPL', { interval: '1d', from: '2024-01-01', to: '2024-01-31', adjustment: 'nonsense' as 'raw' }),
    ).rejects.toMatchObject({ kind: 'unavailable' });
    if (name !== 'yahoo')
      await expect(
        p.bars(name === 'alphavantage' ? '^GSPC' : 'WSU.DE', { interval: '1d', from: '2024-01-01', to: '2024-01-31' }),
      ).rejects.toMatchObject({ kind: 'unavailable' });
    expect(server?.requests).toHaveLength(0);
  });

  it('rejects at once with the reason of an aborted signal', async () => {
    const p = await make();
    const reason = new Error('gone');
    await expect(p.quotes(['AAPL', 'MSFT'], { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(
      p.bars('AAPL', { interval: '1d', from: '2024-01-01', to: '2024-01-31', signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    await expect(p.probe({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(server?.requests).toHaveLength(0);
  });

  it('turns a 5xx into transient and reports it to header observers', async () => {
    const p = await make();
    const seen: number[] = [];
    p.onResponseHeaders((e) => seen.push(e.status));
    await expect(p.bars('AAPL', { interval: '1d', from: '2024-01-01', to: '2024-01-31' })).rejects.toMatchObject({
      kind: 'transient',
      status: 500,
    });
    expect(seen).toEqual([500]);
  });

  it('fails as unavailable once closed', async () => {
    const p = await make();
    await p.close();
    await expect(p.bars('AAPL', { interval: '1d', from: '2024-01-01', to: '2024-01-31' })).rejects.toMatchObject({
      kind: 'unavailable',
    });
    expect(p.poolStats()).toEqual({ connected: 0, pending: 0, running: 0 });
  });
});

describe('factory options', () => {
  it('are validated at the edge with every problem listed', () => {
    let err: unknown;
    try {
      polygonProvider({ connections: 0, baseUrl: 'ftp://x', pageCap: 0, apiKey: '' });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const paths = (err as ConfigError).issues.map((i) => i.path).sort();
    expect(paths).toEqual([
      'providers.polygon.apiKey',
      'providers.polygon.baseUrl',
      'providers.polygon.connections',
      'providers.polygon.pageCap',
    ]);
  });

  it('reject unknown options by name', () => {
    expect(() => yahooProvider({ conections: 4 } as never)).toThrow(ConfigError);
    expect(() => alphaVantageProvider({ pageCap: 2 } as never)).toThrow(/pageCap/);
  });
});
