import { readdirSync } from 'node:fs';
import { manualClock } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import { tryParseJson } from '../http/response-body.js';
import type { Provider } from '../provider.js';
import { providerRejection } from '../test-support/rejection.js';
import {
  fixture,
  fixtureDir,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../test-support/replay-server.js';
import { massiveProvider, polygonProvider } from './adapter.js';
import { classifyPolygonAnswer } from './errors.js';

const KEY = 'PolygonTestKey_0123456789abcdefg';
const clock = manualClock(Date.parse('2024-06-27T15:00:00Z'));
let server: ReplayServer | undefined;
let provider: Provider | undefined;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = undefined;
  server = undefined;
});

type Route = (path: string, n: number) => ReplayResponse;

async function against(
  route: Route,
  make: typeof polygonProvider = polygonProvider,
  extra: Parameters<typeof polygonProvider>[0] = {},
) {
  let n = 0;
  server = await startReplayServer((req) => route(req.url.pathname, n++));
  provider = make({ baseUrl: server.url, apiKey: KEY, clock, ...extra });
  return { p: provider, server };
}

const ok = (text: string): ReplayResponse => ({ body: text });
const status = (code: number, text: string): ReplayResponse => ({ status: code, body: text });

describe('polygon adapter against recorded payloads', () => {
  it('normalizes AAPL daily aggregates, sent with a Bearer key and never a key in the URL', async () => {
    const { p, server } = await against(() => ok(fixture('polygon/aggs-AAPL-1day-2023-01-01_2023-01-10.json')));
    const series = await p.bars('AAPL', { interval: '1d', from: '2023-01-01', to: '2023-01-10' });
    expect(series).toMatchObject({
      symbol: 'AAPL',
      provider: 'polygon',
      adjustment: 'split',
      truncated: false,
      delayed: false,
      currency: 'USD',
    });
    expect(series.bars.map((b) => b.sessionDate)).toEqual([
      '2023-01-03',
      '2023-01-04',
      '2023-01-05',
      '2023-01-06',
      '2023-01-09',
      '2023-01-10',
    ]);
    expect(series.bars[0]).toEqual({
      t: 1672722000000,
      sessionDate: '2023-01-03',
      o: 130.28,
      h: 130.9,
      l: 124.17,
      c: 125.07,
      v: 112117471,
      vwap: 125.725,
      trades: 1021065,
    });
    const req = server.requests[0];
    expect(req?.url.pathname).toBe('/v2/aggs/ticker/AAPL/range/1/day/2023-01-01/2023-01-10');
    expect(Object.fromEntries(req?.url.searchParams ?? [])).toEqual({ adjusted: 'true', sort: 'asc', limit: '50000' });
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`);
    expect(req?.path).not.toContain(KEY);
  });

  it('asks for raw aggregates with adjusted=false and says so', async () => {
    const { p, server } = await against(() => ok(fixture('polygon/aggs-AAPL-1day-2023-01-01_2023-01-10.json')));
    const series = await p.bars('AAPL', { interval: '1d', from: '2023-01-01', to: '2023-01-10', adjustment: 'raw' });
    expect(series.adjustment).toBe('raw');
    expect(server.requests[0]?.url.searchParams.get('adjusted')).toBe('false');
    await expect(
      p.bars('AAPL', { interval: '1d', from: '2023-01-01', to: '2023-01-10', adjustment: 'split_dividend' }),
    ).rejects.toMatchObject({ kind: 'unavailable' });
    expect(server.requests).toHaveLength(1);
  });

  it('treats results: null (legacy empty range) as an empty series', async () => {
    const { p } = await against(() => ok(fixture('polygon/aggs-empty-results-null-legacy.json')));
    const series = await p.bars('AAPL', { interval: '1d', from: '2020-01-04', to: '2020-01-05' });
    expect(series.bars).toEqual([]);
  });

  it('marks a DELAYED answer as delayed', async () => {
    const delayed = fixture('polygon/aggs-AAPL-1day-2023-01-01_2023-01-10.json').replace(
      '"status": "OK"',
      '"status": "DELAYED"',
    );
    const { p } = await against(() => ok(delayed));
    expect((await p.bars('AAPL', { interval: '1d', from: '2023-01-01', to: '2023-01-10' })).delayed).toBe(true);
  });

  it('quotes a batch from the snapshot tickers endpoint; a ticker left out is not_found', async () => {
    const { p, server } = await against(() => ok(fixture('polygon/snapshot-tickers.json')));
    const { quotes, errors } = await p.quotes(['BCAT', 'AAPL']);
    expect(quotes).toHaveLength(1);
    const q = quotes[0];
    expect(q).toMatchObject({
      symbol: 'BCAT',
      price: 20.506,
      bid: 20.5,
      ask: 20.6,
      bidSize: 13,
      askSize: 22,
      open: 20.64,
      high: 20.64,
      low: 20.506,
      volume: 37216,
      previousClose: 20.63,
      currency: 'USD',
      exchange: 'US',
      provider: 'polygon',
      delayed: false,
      asOf: 1605192894630,
    });
    expect(q?.change).toBeCloseTo(-0.124, 10);
    expect(errors.map((e) => [e.symbol, e.error.kind])).toEqual([['AAPL', 'not_found']]);
    expect(server.requests[0]?.url.pathname).toBe('/v2/snapshot/locale/us/markets/stocks/tickers');
    expect(server.requests[0]?.url.searchParams.get('tickers')).toBe('BCAT,AAPL');
  });

  it('quotes one symbol from the single-ticker snapshot, lastTrade.c null and all', async () => {
    const { p, server } = await against(() => ok(fixture('polygon/snapshot-ticker-AAPL.json')));
    const { quotes } = await p.quotes(['AAPL']);
    expect(quotes[0]).toMatchObject({
      symbol: 'AAPL',
      price: 159.99,
      bid: 159.98,
      ask: 159.99,
      bidSize: 3,
      askSize: 5,
      open: 161.84,
      high: 166.2,
      low: 159.8,
      volume: 68840127,
      previousClose: 163.64,
      asOf: 1651251948294,
    });
    expect(server.requests[0]?.url.pathname).toBe('/v2/snapshot/locale/us/markets/stocks/tickers/AAPL');
  });

  it('falls back per symbol to the previous close when the key is not entitled to snapshots (403)', async () => {
    const { p, server } = await against(
      (path) =>
        path.includes('/snapshot/')
          ? status(403, fixture('polygon/error-403-not-authorized-not-entitled.json'))
          : ok(fixture('polygon/prev-AAPL.json')),
      polygonProvider,
      { concurrency: 1 },
    );
    const { quotes, errors } = await p.quotes(['AAPL', 'MSFT']);
    expect(errors).toEqual([]);
    expect(quotes.find((q) => q.symbol === 'AAPL')).toMatchObject({
      price: 156.8,
      open: 162.25,
      high: 162.34,
      low: 156.72,
      volume: 95595226,
      asOf: 1651003200000,
      change: null,
    });
    expect(server.requests.map((r) => r.url.pathname)).toEqual([
      '/v2/snapshot/locale/us/markets/stocks/tickers',
      '/v2/snapshot/locale/us/markets/stocks/tickers/AAPL',
      '/v2/aggs/ticker/AAPL/prev',
      '/v2/aggs/ticker/MSFT/prev',
    ]);
    // The key's plan is remembered: the next call goes straight to /prev.
    server.requests.length = 0;
    await p.quotes(['AAPL', 'MSFT']);
    expect(server.requests.map((r) => r.url.pathname)).toEqual([
      '/v2/aggs/ticker/AAPL/prev',
      '/v2/aggs/ticker/MSFT/prev',
    ]);
  });

  it('maps 401 "API Key was not provided" to auth with the body request_id', async () => {
    const { p } = await against(() => status(401, fixture('polygon/error-401-api-key-not-provided.json')));
    const err = await providerRejection(p.bars('AAPL', { interval: '1d', from: '2023-01-01', to: '2023-01-10' }));
    expect(err).toMatchObject({ kind: 'auth', status: 401, requestId: 'xxxxxxxxxxxxxxxxxx', retryable: false });
    expect(err.message).toContain('API Key was not provided');
  });

  it('maps 403 NOT_AUTHORIZED (timeframe) on bars to not_entitled, keeping X-Request-Id', async () => {
    const { p } = await against(() => ({
      ...status(403, fixture('polygon/error-403-not-authorized-timeframe.json')),
      headers: { 'x-request-id': 'hdr-123' },
    }));
    const err = await providerRejection(p.bars('AAPL', { interval: '1d', from: '2024-12-31', to: '2024-12-31' }));
    expect(err).toMatchObject({ kind: 'not_entitled', status: 403, requestId: 'hdr-123' });
    expect(err.message).toContain("Your plan doesn't include this data timeframe");
  });

  it('maps 429 to rate_limited with Retry-After', async () => {
    const body = JSON.stringify({
      status: 'ERROR',
      request_id: 'r1',
      error:
        "You've exceeded the maximum requests per minute, please wait or upgrade your subscription to continue. https://polygon.io/pricing",
    });
    const { p } = await against(() => ({ status: 429, body, headers: { 'retry-after': '12' } }));
    const err = await providerRejection(p.quotes(['AAPL', 'MSFT']));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 429, retryAfterMs: 12_000 });
  });

  it('answers a probe from the previous close', async () => {
    const { p, server } = await against(() => ok(fixture('polygon/prev-AAPL.json')));
    expect(await p.probe()).toMatchObject({ ok: true });
    expect(server.requests[0]?.url.pathname).toBe('/v2/aggs/ticker/AAPL/prev');
  });

  it.each([
    ['polygon/last-trade-AAPL.json', 'snapshot did not have the expected shape at ticker'],
    ['polygon/trades-v3-AAPL-limit2.json', 'snapshot did not have the expected shape at ticker'],
  ])('treats %s, a body of an endpoint it does not use, as bad_response', async (file, words) => {
    const { p } = await against(() => ok(fixture(file)));
    const err = await providerRejection(p.quotes(['AAPL']));
    expect(err.kind).toBe('bad_response');
    expect(err.message).toContain(words);
  });

  it('accepts v3 status values other than OK (POLYFEEDPLUS) and still validates the shape', async () => {
    const text = fixture('polygon/quotes-v3-SPY-limit50-page1.json');
    expect(classifyPolygonAnswer(200, text, tryParseJson(text))).toBeUndefined();
    const { p } = await against(() => ok(text));
    const err = await providerRejection(p.bars('SPY', { interval: '1d', from: '2023-10-27', to: '2023-10-27' }));
    expect(err.kind).toBe('bad_response');
    expect(err.message).toContain('aggregates did not have the expected shape at results[0].o');
  });
});

describe('massive preset against its doc samples', () => {
  it('follows next_url on the configured host, with the Bearer key and no key in the URL', async () => {
    const { p, server } = await against(
      (_path, n) =>
        ok(
          n === 0
            ? fixture('massive/aggs-range-doc-sample.json')
            : fixture('polygon/aggs-AAPL-1day-2023-01-01_2023-01-10.json'),
        ),
      massiveProvider,
    );
    const series = await p.bars('AAPL', { interval: '1d', from: '2020-01-01', to: '2020-01-10' });
    expect(series.provider).toBe('massive');
    expect(series.bars).toHaveLength(8);
    expect(series.truncated).toBe(false);
    const second = server.requests[1];
    expect(second?.path).toBe(
      '/v2/aggs/ticker/AAPL/range/1/day/1578114000000/2020-01-10?cursor=bGltaXQ9MiZzb3J0PWFzYw',
    );
    expect(second?.headers.authorization).toBe(`Bearer ${KEY}`);
  });

  it('marks a series cut by the page cap as truncated', async () => {
    const { p, server } = await against(() => ok(fixture('massive/aggs-range-doc-sample.json')), massiveProvider, {
      pageCap: 3,
    });
    const series = await p.bars('AAPL', { interval: '1d', from: '2020-01-01', to: '2020-01-10' });
    expect(series.truncated).toBe(true);
    expect(server.requests).toHaveLength(3);
    // The doc sample repeats the same two days on every page: deduplicated by stamp.
    expect(series.bars.map((b) => b.sessionDate)).toEqual(['2020-01-02', '2020-01-03']);
  });

  it('reads the snapshot with the added decimal-string fields', async () => {
    const { p } = await against(() => ok(fixture('massive/snapshot-tickers-doc-sample.json')), massiveProvider);
    const { quotes } = await p.quotes(['BCAT', 'MSFT']);
    expect(quotes[0]).toMatchObject({
      symbol: 'BCAT',
      provider: 'massive',
      price: 20.506,
      volume: 37216,
      previousClose: 20.63,
    });
  });

  it('quotes from the previous-close doc sample when snapshots are not entitled', async () => {
    const { p } = await against(
      (path) =>
        path.includes('/snapshot/')
          ? status(403, fixture('polygon/error-403-not-authorized-not-entitled.json'))
          : ok(fixture('massive/prev-doc-sample.json')),
      massiveProvider,
    );
    const { quotes } = await p.quotes(['AAPL']);
    expect(quotes[0]).toMatchObject({
      symbol: 'AAPL',
      price: 115.97,
      open: 115.55,
      high: 117.59,
      low: 114.13,
      volume: 131704427,
    });
  });

  it.each([['massive/last-trade-doc-sample.json'], ['massive/trades-v3-doc-sample.json']])(
    'treats %s as bad_response for a snapshot',
    async (file) => {
      const { p } = await against(() => ok(fixture(file)), massiveProvider);
      expect((await providerRejection(p.quotes(['AAPL']))).kind).toBe('bad_response');
    },
  );
});

describe('polygon and massive fixture coverage', () => {
  it('exercises every recorded polygon and massive file', () => {
    expect(readdirSync(fixtureDir('fixtures', 'polygon')).length).toBe(11);
    expect(readdirSync(fixtureDir('fixtures', 'massive')).length).toBe(5);
    expect(readdirSync(fixtureDir('eval/fixtures', 'polygon')).length).toBe(2);
  });
});
