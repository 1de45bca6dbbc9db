import { readdirSync } from 'node:fs';
import { manualClock } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { providerRejection } from '../test-support/rejection.js';
import {
  fixture,
  fixtureDir,
  type ReplayResponse,
  type ReplayServer,
  startReplayServer,
} from '../test-support/replay-server.js';
import { yahooProvider } from './adapter.js';

const clock = manualClock(Date.parse('2025-02-19T21:00:00Z'));
let server: ReplayServer | undefined;
let provider: Provider | undefined;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = undefined;
  server = undefined;
});

interface Routes {
  chart?: (symbol: string) => ReplayResponse;
  quote?: (n: number) => ReplayResponse;
  crumb?: (n: number) => ReplayResponse;
}

async function yahooAgainst(routes: Routes): Promise<{ yahoo: Provider; server: ReplayServer }> {
  let quotes = 0;
  let crumbs = 0;
  server = await startReplayServer((req) => {
    const path = req.url.pathname;
    if (path === '/cookie')
      return { status: 404, headers: { 'set-cookie': [`A3=d=cookie${crumbs}; Domain=.yahoo.com; Path=/`] } };
    if (path === '/v1/test/getcrumb')
      return routes.crumb?.(crumbs++) ?? { body: `crumb${crumbs++}`, headers: { 'content-type': 'text/plain' } };
    if (path === '/v7/finance/quote' && routes.quote) return routes.quote(quotes++);
    const chart = /^\/v8\/finance\/chart\/(.+)$/.exec(path);
    if (chart && routes.chart) return routes.chart(decodeURIComponent(chart[1] as string));
    return { status: 599, body: `unexpected ${req.path}` };
  });
  provider = yahooProvider({ baseUrl: server.url, cookieUrl: `${server.url}/cookie`, clock });
  return { yahoo: provider, server };
}

const json = (body: string, status = 200): ReplayResponse => ({ status, body });

describe('yahoo adapter against recorded payloads', () => {
  it('normalizes the AAPL daily chart, keeping adjclose and stating the adjustment', async () => {
    const { yahoo, server } = await yahooAgainst({
      chart: () => json(fixture('yahoo/chart-AAPL-1d-2020-01-01_2020-01-03.json')),
    });
    const series = await yahoo.bars('AAPL', { interval: '1d', from: '2020-01-01', to: '2020-01-02' });
    expect(series).toMatchObject({
      symbol: 'AAPL',
      interval: '1d',
      provider: 'yahoo',
      adjustment: 'split',
      currency: 'USD',
      truncated: false,
      splits: [],
      dividends: [],
    });
    expect(series.bars).toEqual([
      {
        t: 1577975400000,
        sessionDate: '2020-01-02',
        o: 74.05999755859375,
        h: 75.1500015258789,
        l: 73.79750061035156,
        c: 75.0875015258789,
        v: 135480400,
        adjClose: 72.71607208251953,
      },
    ]);
    const sent = server.requests[0]?.url;
    expect(sent?.pathname).toBe('/v8/finance/chart/AAPL');
    expect(sent?.searchParams.get('interval')).toBe('1d');
    expect(sent?.searchParams.get('period1')).toBe('1577836800');
    expect(sent?.searchParams.get('period2')).toBe('1578009600');
    expect(sent?.searchParams.get('events')).toBe('div|split');
  });

  it('serves BTC-USD daily bars with UTC session dates, the New Year holiday included', async () => {
    const { yahoo } = await yahooAgainst({
      chart: () => json(fixture('yahoo/chart-BTC-USD-1d-2020-01-01_2020-01-03.json')),
    });
    const series = await yahoo.bars('BTC-USD', { interval: '1d', from: '2020-01-01', to: '2020-01-03' });
    expect(series.bars.map((b) => b.sessionDate)).toEqual(['2020-01-01', '2020-01-02', '2020-01-03']);
    expect(series.bars[0]).toMatchObject({
      t: 1577836800000,
      o: 7194.89208984375,
      c: 7200.17431640625,
      v: 18565664997,
    });
    expect(series.bars[2]?.adjClose).toBe(7344.88427734375);
  });

  it('drops the null minute of the AAPL 1m intraday chart and the live bar Yahoo appends past the range', async () => {
    const { yahoo } = await yahooAgainst({
      chart: () => json(fixture('yahoo/chart-AAPL-1m-2024-10-02-intraday.json')),
    });
    const series = await yahoo.bars('AAPL', { interval: '1m', from: 1727827200000, to: 1727913600000 - 1 });
    // 391 stamps: one all-null minute dropped, one bar stamped 2024-10-03 20:00Z (past period2) dropped.
    expect(series.bars).toHaveLength(389);
    expect(series.bars.every((b) => b.sessionDate === '2024-10-02' && b.adjClose === undefined)).toBe(true);
    expect(series.bars[0]?.t).toBe(1727875800000);
    expect(series.bars.some((b) => b.o === 0 || b.c === 0)).toBe(false);
    const stamps = series.bars.map((b) => b.t);
    expect(stamps).not.toContain(1727875800000 + 105 * 60_000);
  });

  it('answers an empty weekend range with no bars and no error', async () => {
    const { yahoo } = await yahooAgainst({
      chart: () => json(fixture('yahoo/chart-AAPL-1m-2025-02-01-weekend-no-bars.json')),
    });
    const series = await yahoo.bars('AAPL', { interval: '1m', from: '2025-02-01', to: '2025-02-01' });
    expect(series.bars).toEqual([]);
    expect(series.currency).toBe('USD');
  });

  it('quotes a single symbol from the chart meta, no crumb needed', async () => {
    const { yahoo, server } = await yahooAgainst({
      chart: () => json(fixture('yahoo/chart-AAPL-1m-2025-02-01-weekend-no-bars.json')),
    });
    const { quotes, errors } = await yahoo.quotes(['AAPL']);
    expect(errors).toEqual([]);
    expect(quotes).toHaveLength(1);
    const q = quotes[0];
    expect(q).toMatchObject({
      symbol: 'AAPL',
      price: 244.87,
      previousClose: 244.47,
      high: 246.01,
      low: 243.16,
      volume: 32129951,
      currency: 'USD',
      exchange: 'NMS',
      asOf: 1739998801000,
      provider: 'yahoo',
      stale: false,
      receivedAt: clock.now(),
    });
    expect(q?.change).toBeCloseTo(0.4, 10);
    expect(q?.changePercent).toBeCloseTo((0.4 / 244.47) * 100, 10);
    // 2025-02-19T21:00Z lies before the trading periods Yahoo gives (those of the 20th): closed.
    expect(q?.marketState).toBe('closed');
    expect(server.requests.map((r) => r.url.pathname)).toEqual(['/v8/finance/chart/AAPL']);
    expect(server.requests[0]?.url.searchParams.get('range')).toBe('1d');
  });

  it('quotes a batch from /v7/finance/quote with cookie and crumb', async () => {
    const { yahoo, server } = await yahooAgainst({ quote: () => json(fixture('yahoo/quote-AAPL-BABA.json')) });
    const { quotes, errors } = await yahoo.quotes(['AAPL', 'BABA']);
    expect(errors).toEqual([]);
    const aapl = quotes.find((q) => q.symbol === 'AAPL');
    expect(aapl).toMatchObject({
      price: 244.6,
      bid: 244.44,
      ask: 253.37,
      bidSize: 2,
      askSize: 1,
      previousClose: 241.53,
      open: 241.07,
      high: 245.41,
      low: 241,
      volume: 40896227,
      currency: 'USD',
      exchange: 'NMS',
      marketState: 'closed',
      asOf: 1739566800000,
      delayed: false,
    });
    expect(aapl?.changePercent).toBeCloseTo(1.2710667, 5);
    expect(quotes.find((q) => q.symbol === 'BABA')).toMatchObject({
      price: 124.73,
      exchange: 'NYQ',
      previousClose: 119.54,
    });
    const quoteReq = server.requests.find((r) => r.url.pathname === '/v7/finance/quote');
    expect(quoteReq?.url.searchParams.get('symbols')).toBe('AAPL,BABA');
    expect(quoteReq?.url.searchParams.get('crumb')).toBe('crumb0');
    expect(quoteReq?.headers.cookie).toBe('A3=d=cookie0');
  });

  it('reports a symbol Yahoo silently drops from the batch as not_found', async () => {
    const { yahoo } = await yahooAgainst({ quote: () => json(fixture('yahoo/quote-UNIR.MI-empty-result.json')) });
    const { quotes, errors } = await yahoo.quotes(['UNIR.MI', 'ENEL.MI']);
    expect(quotes).toEqual([]);
    expect(errors.map((e) => [e.symbol, e.error.kind])).toEqual([
      ['UNIR.MI', 'not_found'],
      ['ENEL.MI', 'not_found'],
    ]);
  });

  it('refreshes the crumb once on 401 "Invalid Crumb" and then succeeds', async () => {
    const { yahoo, server } = await yahooAgainst({
      quote: (n) =>
        n === 0
          ? json(fixture('yahoo/error-401-invalid-crumb.json'), 401)
          : json(fixture('yahoo/quote-AAPL-BABA.json')),
    });
    const { quotes } = await yahoo.quotes(['AAPL', 'BABA']);
    expect(quotes.map((q) => q.symbol).sort()).toEqual(['AAPL', 'BABA']);
    const crumbs = server.requests
      .filter((r) => r.url.pathname === '/v7/finance/quote')
      .map((r) => r.url.searchParams.get('crumb'));
    expect(crumbs).toEqual(['crumb0', 'crumb1']);
  });

  it('fetches one cookie and crumb for concurrent batches', async () => {
    const { yahoo, server } = await yahooAgainst({ quote: () => json(fixture('yahoo/quote-AAPL-BABA.json')) });
    await Promise.all([yahoo.quotes(['AAPL', 'BABA']), yahoo.quotes(['AAPL', 'BABA']), yahoo.quotes(['AAPL', 'BABA'])]);
    expect(server.requests.filter((r) => r.url.pathname === '/v1/test/getcrumb')).toHaveLength(1);
    expect(server.requests.filter((r) => r.url.pathname === '/v7/finance/quote')).toHaveLength(3);
  });

  it('never sends a throttle text as a crumb', async () => {
    const { yahoo, server } = await yahooAgainst({
      crumb: () => ({ status: 200, body: '<html>Too many</html>', headers: { 'content-type': 'text/html' } }),
      quote: () => json(fixture('yahoo/quote-AAPL-BABA.json')),
    });
    expect(await providerRejection(yahoo.quotes(['AAPL', 'BABA']))).toMatchObject({ kind: 'bad_response' });
    expect(server.requests.filter((r) => r.url.pathname === '/v7/finance/quote')).toHaveLength(0);
  });

  it('counts a second "Invalid Crumb" as auth, after exactly one refresh', async () => {
    const { yahoo, server } = await yahooAgainst({
      quote: () => json(fixture('yahoo/error-401-invalid-crumb.json'), 401),
    });
    const err = await providerRejection(yahoo.quotes(['AAPL', 'BABA']));
    expect(err).toMatchObject({ kind: 'auth', status: 401, provider: 'yahoo' });
    expect(err.message).toContain('Invalid Crumb');
    expect(server.requests.filter((r) => r.url.pathname === '/v1/test/getcrumb')).toHaveLength(2);
  });

  it('falls back to the chart per symbol when the quote endpoint is shut ("unable to access this feature")', async () => {
    const { yahoo, server } = await yahooAgainst({
      quote: () => json(fixture('yahoo/error-401-user-unable-to-access-feature.json'), 401),
      chart: () => json(fixture('yahoo/chart-AAPL-1m-2025-02-01-weekend-no-bars.json')),
    });
    const { quotes, errors } = await yahoo.quotes(['AAPL', 'MSFT']);
    expect(errors).toEqual([]);
    expect(quotes.map((q) => [q.symbol, q.price])).toEqual(
      expect.arrayContaining([
        ['AAPL', 244.87],
        ['MSFT', 244.87],
      ]),
    );
    // The shut endpoint is remembered: the next batch goes straight to the chart.
    await yahoo.quotes(['AAPL', 'MSFT']);
    expect(server.requests.filter((r) => r.url.pathname === '/v7/finance/quote')).toHaveLength(1);
  });

  it('maps the plain-text 429 to rate_limited, on the chart and on getcrumb', async () => {
    const edge = {
      status: 429,
      body: fixture('yahoo/error-429-edge-too-many-requests.txt'),
      headers: { 'content-type': 'text/plain' },
    };
    const { yahoo } = await yahooAgainst({ chart: () => edge, crumb: () => edge });
    expect(
      await providerRejection(yahoo.bars('AAPL', { interval: '1d', from: '2020-01-01', to: '2020-01-03' })),
    ).toMatchObject({ kind: 'rate_limited', status: 429 });
    const viaCrumb = await providerRejection(yahoo.quotes(['AAPL', 'MSFT']));
    expect(viaCrumb).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(viaCrumb.message).toContain('Edge: Too Many Requests');
  });

  it.each([
    ['error-chart-404-SI-no-data-delisted.json', 404, 'No data found, symbol may be delisted'],
    ['error-chart-400-BEKE-data-doesnt-exist.json', 400, "Data doesn't exist"],
    ['error-quoteSummary-404-ADH-no-fundamentals.json', 404, 'No fundamentals data found'],
  ])('maps %s to not_found', async (file, status, words) => {
    const { yahoo } = await yahooAgainst({
      chart: () => json(fixture(`yahoo/${file}`), status),
      quote: () => json(fixture(`yahoo/${file}`), status),
    });
    const err = await providerRejection(yahoo.bars('SI', { interval: '1d', from: '2020-01-01', to: '2020-01-03' }));
    expect(err).toMatchObject({ kind: 'not_found', status, operation: 'bars', symbols: ['SI'] });
    expect(err.message).toContain(words);
    const single = await yahoo.quotes(['SI']);
    expect(single.errors.map((e) => e.error.kind)).toEqual(['not_found']);
  });

  it('treats a body of another endpoint (quoteSummary) as bad_response naming the path', async () => {
    const { yahoo } = await yahooAgainst({ chart: () => json(fixture('yahoo/quoteSummary-AAPL-price.json')) });
    const err = await providerRejection(yahoo.bars('AAPL', { interval: '1d', from: '2020-01-01', to: '2020-01-03' }));
    expect(err.kind).toBe('bad_response');
    expect(err.message).toMatch(/chart did not have the expected shape at chart/);
    expect(err.cause).toBeDefined();
  });
});

describe('yahoo fixture coverage', () => {
  it('exercises every recorded yahoo file', () => {
    const used = new Set([
      'chart-AAPL-1d-2020-01-01_2020-01-03.json',
      'chart-BTC-USD-1d-2020-01-01_2020-01-03.json',
      'chart-AAPL-1m-2024-10-02-intraday.json',
      'chart-AAPL-1m-2025-02-01-weekend-no-bars.json',
      'quote-AAPL-BABA.json',
      'quote-UNIR.MI-empty-result.json',
      'quoteSummary-AAPL-price.json',
      'error-chart-404-SI-no-data-delisted.json',
      'error-chart-400-BEKE-data-doesnt-exist.json',
      'error-quoteSummary-404-ADH-no-fundamentals.json',
      'error-401-invalid-crumb.json',
      'error-401-user-unable-to-access-feature.json',
      'error-429-edge-too-many-requests.txt',
    ]);
    expect(readdirSync(fixtureDir('fixtures', 'yahoo')).sort()).toEqual([...used].sort());
    expect(readdirSync(fixtureDir('eval/fixtures', 'yahoo')).length).toBe(3);
  });
});
