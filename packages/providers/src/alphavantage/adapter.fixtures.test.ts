import { readdirSync } from 'node:fs';
import { manualClock } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { providerRejection } from '../test-support/rejection.js';
import {
  evalFixture,
  fixture,
  fixtureDir,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../test-support/replay-server.js';
import { alphaVantageProvider } from './adapter.js';

const KEY = 'AVTESTKEY0123456';
const clock = manualClock(Date.parse('2025-03-04T15:00:00Z'));
let server: ReplayServer | undefined;
let provider: Provider | undefined;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = undefined;
  server = undefined;
});

async function avAgainst(
  answer: (fn: string, n: number) => ReplayResponse,
  options: Partial<Parameters<typeof alphaVantageProvider>[0]> = {},
) {
  let n = 0;
  server = await startReplayServer((req) => answer(req.url.searchParams.get('function') ?? '', n++));
  provider = alphaVantageProvider({ baseUrl: server.url, apiKey: KEY, clock, ...options });
  return { av: provider, server };
}

const body = (text: string): ReplayResponse => ({ body: text });

describe('alpha vantage adapter against recorded payloads', () => {
  it('parses the MSFT GLOBAL_QUOTE strings into a quote', async () => {
    const { av, server } = await avAgainst(() => body(fixture('alphavantage/global-quote-MSFT.json')));
    const { quotes, errors } = await av.quotes(['MSFT']);
    expect(errors).toEqual([]);
    const q = quotes[0];
    expect(q).toMatchObject({
      symbol: 'MSFT',
      price: 112.13,
      open: 112.63,
      high: 113.17,
      low: 110.64,
      volume: 29062853,
      previousClose: 112.79,
      currency: 'USD',
      exchange: 'US',
      marketState: 'closed',
      provider: 'alphavantage',
      delayed: true,
      stale: false,
    });
    // Only a date comes back: the price is that day's 16:00 New York close.
    expect(q?.asOf).toBe(Date.parse('2018-10-05T20:00:00Z'));
    expect(q?.change).toBeCloseTo(-0.66, 10);
    expect(q?.changePercent).toBeCloseTo(-0.5852, 4);
    const sent = server.requests[0]?.url;
    expect(sent?.pathname).toBe('/query');
    expect(Object.fromEntries(sent?.searchParams ?? [])).toEqual({
      function: 'GLOBAL_QUOTE',
      symbol: 'MSFT',
      apikey: KEY,
    });
  });

  it('parses TIME_SERIES_DAILY as raw bars stamped at New York midnight', async () => {
    const { av, server } = await avAgainst(() => body(fixture('alphavantage/time-series-daily-compact-MSFT.json')));
    const series = await av.bars('MSFT', { interval: '1d', from: '2017-08-07', to: '2017-08-11' });
    expect(series).toMatchObject({
      symbol: 'MSFT',
      adjustment: 'raw',
      currency: 'USD',
      truncated: false,
      provider: 'alphavantage',
    });
    expect(series.bars).toEqual([
      {
        t: Date.parse('2017-08-11T04:00:00Z'),
        sessionDate: '2017-08-11',
        o: 71.61,
        h: 72.7,
        l: 71.28,
        c: 72.5,
        v: 21121250,
      },
    ]);
    expect(server.requests[0]?.url.searchParams.get('outputsize')).toBe('full');
  });

  it('parses 100 TIME_SERIES_INTRADAY minutes in US/Eastern, split- and dividend-adjusted', async () => {
    const { av } = await avAgainst(() => body(fixture('alphavantage/time-series-intraday-1min-compact-MSFT.json')));
    const series = await av.bars('MSFT', { interval: '1m', from: '2017-12-18', to: '2017-12-18' });
    expect(series.adjustment).toBe('split_dividend');
    expect(series.bars).toHaveLength(100);
    expect(series.bars[0]).toEqual({
      t: Date.parse('2017-12-18T18:17:00Z'),
      sessionDate: '2017-12-18',
      o: 86.8101,
      h: 86.82,
      l: 86.79,
      c: 86.8,
      v: 31172,
    });
    expect(series.bars.at(-1)?.t).toBe(Date.parse('2017-12-18T19:56:00Z'));
  });

  it('asks for raw intraday bars with adjusted=false and for a past month by month', async () => {
    const { av, server } = await avAgainst(() =>
      body(fixture('alphavantage/time-series-intraday-1min-compact-MSFT.json')),
    );
    const series = await av.bars('MSFT', { interval: '1m', from: '2017-12-18', to: '2017-12-18', adjustment: 'raw' });
    expect(series.adjustment).toBe('raw');
    expect(server.requests[0]?.url.searchParams.get('adjusted')).toBe('false');
    expect(server.requests[0]?.url.searchParams.get('month')).toBe('2017-12');
  });

  it.each([['symbol-search-BA.json'], ['batch-stock-quotes-MSFT-FB-AAPL-deprecated.json']])(
    'treats %s, a body of an endpoint it does not use, as bad_response',
    async (file) => {
      const { av } = await avAgainst(() => body(fixture(`alphavantage/${file}`)));
      const err = await providerRejection(av.quotes(['MSFT']));
      expect(err.kind).toBe('bad_response');
      expect(err.message).toContain('GLOBAL_QUOTE did not have the expected shape at Global Quote');
    },
  );

  it('maps the legacy Note throttle to rate_limited with a one-minute hint, rejecting the whole call', async () => {
    const { av, server } = await avAgainst(
      () => body(fixture('alphavantage/error-note-rate-limit-legacy-5-per-min.json')),
      { concurrency: 1 },
    );
    const err = await providerRejection(av.quotes(['MSFT', 'AAPL', 'IBM']));
    expect(err).toMatchObject({ kind: 'rate_limited', status: 200, retryAfterMs: 60_000 });
    // The first throttle stops the fan-out: no further quota is spent on AAPL and IBM.
    expect(server.requests).toHaveLength(1);
  });

  it('maps the Information 25/day throttle to rate_limited until the next New York midnight', async () => {
    const { av } = await avAgainst(() => body(fixture('alphavantage/error-information-rate-limit-25-per-day.json')));
    const err = await providerRejection(av.bars('MSFT', { interval: '1d', from: '2025-03-03', to: '2025-03-03' }));
    expect(err.kind).toBe('rate_limited');
    // 2025-03-04T15:00Z is 10:00 in New York; midnight there is 05:00Z on the 5th.
    expect(err.retryAfterMs).toBe(Date.parse('2025-03-05T05:00:00Z') - clock.now());
  });

  it('redacts the key when the throttle message echoes it', async () => {
    const echo = JSON.stringify({
      Information: `We have detected your API key as ${KEY} and our standard API rate limit is 25 requests per day. Please subscribe to any of the premium plans.`,
    });
    const { av } = await avAgainst(() => body(echo));
    const err = await providerRejection(av.quotes(['MSFT']));
    expect(err.kind).toBe('rate_limited');
    expect(err.message).toContain('We have detected your API key as [REDACTED]');
    expect(err.message).not.toContain(KEY);
    expect(JSON.stringify(err)).not.toContain(KEY);
  });

  it('maps Error Message to bad_request, per symbol', async () => {
    const { av } = await avAgainst(() => body(fixture('alphavantage/error-message-invalid-api-call.json')));
    const { quotes, errors } = await av.quotes(['NOPE']);
    expect(quotes).toEqual([]);
    expect(errors[0]?.error).toMatchObject({ kind: 'bad_request', symbols: ['NOPE'] });
    expect(errors[0]?.error.message).toContain('Invalid API call');
  });
});

describe('alpha vantage key handling', () => {
  it('asks the key resolver for a fresh key once after an auth answer, sending only the new key', async () => {
    const keys = ['OLDKEY0123456789', 'NEWKEY0123456789'];
    let refreshes = 0;
    server = await startReplayServer((req) =>
      req.url.searchParams.get('apikey') === keys[1]
        ? body(fixture('alphavantage/global-quote-MSFT.json'))
        : body(JSON.stringify({ 'Error Message': 'the parameter apikey is invalid or missing.' })),
    );
    provider = alphaVantageProvider({
      baseUrl: server.url,
      clock,
      keyResolver: {
        resolve: async () => ({ key: keys[Math.min(refreshes, 1)] as string }),
        refresh: async () => ++refreshes === 1,
      },
    });
    const { quotes } = await provider.quotes(['MSFT']);
    expect(quotes[0]?.price).toBe(112.13);
    expect(refreshes).toBe(1);
    expect(server.requests.map((r) => r.url.searchParams.get('apikey'))).toEqual(keys);
  });
});

describe('alpha vantage adapter against the held-out payload', () => {
  it('reads the 16:00:00 close bar of 2017-08-11', async () => {
    const { av } = await avAgainst(() =>
      body(evalFixture('alphavantage/time-series-intraday-1min-MSFT-2017-08-11.json')),
    );
    const series = await av.bars('MSFT', { interval: '1m', from: '2017-08-11', to: '2017-08-11' });
    expect(series.bars).toEqual([
      {
        t: Date.parse('2017-08-11T20:00:00Z'),
        sessionDate: '2017-08-11',
        o: 72.495,
        h: 72.53,
        l: 72.45,
        c: 72.5,
        v: 2262503,
      },
    ]);
  });
});

describe('alpha vantage fixture coverage', () => {
  it('exercises every recorded alphavantage file', () => {
    expect(readdirSync(fixtureDir('fixtures', 'alphavantage')).sort()).toEqual([
      'batch-stock-quotes-MSFT-FB-AAPL-deprecated.json',
      'error-information-rate-limit-25-per-day.json',
      'error-message-invalid-api-call.json',
      'error-note-rate-limit-legacy-5-per-min.json',
      'global-quote-MSFT.json',
      'symbol-search-BA.json',
      'time-series-daily-compact-MSFT.json',
      'time-series-intraday-1min-compact-MSFT.json',
    ]);
  });
});
