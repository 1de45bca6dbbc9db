import { isProviderError, manualClock } from '@stockade/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_RUNS, fuzzReport, tally } from '../../../../test/reliability/fuzz-report.js';
import type { Provider } from '../provider.js';
import {
  type AllowedKinds,
  answerOf,
  checkParserOutcome,
  EMPTY_CASE,
  outcomeOf,
  type ParserCase,
  parserCases,
} from '../test-support/parser-fuzz.js';
import { fixture, type ReplayServer, startReplayServer } from '../test-support/replay-server.js';
import { yahooProvider } from './adapter.js';

const report = fuzzReport('providers/yahoo');
const timeout = FUZZ_RUNS * 60;
const errors = ['error-401-invalid-crumb.json', 'error-401-user-unable-to-access-feature.json'];
const chartPayloads = [
  'chart-AAPL-1d-2020-01-01_2020-01-03.json',
  'chart-AAPL-1m-2024-10-02-intraday.json',
  'chart-AAPL-1m-2025-02-01-weekend-no-bars.json',
  'chart-BTC-USD-1d-2020-01-01_2020-01-03.json',
  'error-chart-404-SI-no-data-delisted.json',
  'error-chart-400-BEKE-data-doesnt-exist.json',
  ...errors,
].map((f) => fixture(`yahoo/${f}`));
const quotePayloads = ['quote-AAPL-BABA.json', 'quote-UNIR.MI-empty-result.json', ...errors].map((f) =>
  fixture(`yahoo/${f}`),
);

// Yahoo's error envelope (`chart.error`, `finance.error`, `quoteResponse.error`…) or its plain-text
// throttle: a 200 carrying one may be classified by what it says.
const allowed: AllowedKinds = {
  always: ['not_found'],
  envelope: ['not_found', 'auth', 'bad_request', 'rate_limited'],
  hasEnvelope(text) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return /too many requests/i.test(text);
    }
    if (typeof body !== 'object' || body === null) return false;
    return Object.values(body).some((v) => {
      const error = (v as { error?: unknown } | null)?.error;
      return typeof error === 'object' && error !== null;
    });
  },
};

let server: ReplayServer;
let yahoo: Provider;
let current: ParserCase = EMPTY_CASE;

beforeAll(async () => {
  server = await startReplayServer((req) => {
    const path = req.url.pathname;
    if (path === '/cookie') return { status: 404, headers: { 'set-cookie': ['A3=d=fuzz; Path=/'] } };
    if (path === '/v1/test/getcrumb') return { body: 'fuzzCrumb1', headers: { 'content-type': 'text/plain' } };
    return answerOf(current);
  });
  yahoo = yahooProvider({
    baseUrl: server.url,
    cookieUrl: `${server.url}/cookie`,
    clock: manualClock(Date.parse('2025-02-19T21:00:00Z')),
    // A fuzzed "unable to access this feature" must not switch the batch endpoint off for the next cases.
    quoteEndpointRetryMs: 0,
  });
});

afterAll(async () => {
  await yahoo?.close();
  await server?.close();
  report.write();
});

// The replay server keeps every request; a long fuzz run must not hold them all.
const forget = () => server.requests.splice(0);

describe('yahoo parsing under arbitrary bodies', () => {
  // Found by the bars property below: a stamp no Date can hold threw a RangeError from Intl.
  it('answers a chart whose timestamp no Date can hold with a bad_response', async () => {
    const chart = JSON.parse(fixture('yahoo/chart-AAPL-1d-2020-01-01_2020-01-03.json'));
    chart.chart.result[0].timestamp = [-1e308];
    current = { ...EMPTY_CASE, body: { origin: 'mutated', body: Buffer.from(JSON.stringify(chart)) } };
    const thrown = await yahoo.bars('AAPL', { interval: '1d', from: '2020-01-01', to: '2020-01-03' }).catch((e) => e);
    expect(isProviderError(thrown, 'bad_response')).toBe(true);
    expect(thrown.message).toMatch(/normalized bars of AAPL are invalid at bars\.0/);
  });

  it('answers a single quote (chart meta) with a valid quote or a typed ProviderError', { timeout }, async () => {
    await report.measure('quotes, 1 symbol (chart)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(chartPayloads), async (c) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() => yahoo.quotes(['AAPL']));
          for (const name of checkParserOutcome(outcome, c, allowed, ['AAPL'])) tally(outcomes, name);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('answers a quote batch (v7 quote) with valid quotes or typed ProviderErrors', { timeout }, async () => {
    await report.measure('quotes, batch of 2 (v7 quote)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(quotePayloads), async (c) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() => yahoo.quotes(['AAPL', 'BABA']));
          for (const name of checkParserOutcome(outcome, c, allowed, ['AAPL', 'BABA'])) tally(outcomes, name);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('answers bars (chart) with a valid series or a typed ProviderError', { timeout }, async () => {
    await report.measure('bars 1d (chart)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(chartPayloads), async (c) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() =>
            yahoo.bars('AAPL', { interval: '1d', from: '2020-01-01', to: '2020-01-03' }),
          );
          for (const name of checkParserOutcome(outcome, c, allowed, ['AAPL'])) tally(outcomes, name);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });
});
