import { manualClock } from '@stockade/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
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
import { evalFixture, fixture, type ReplayServer, startReplayServer } from '../test-support/replay-server.js';
import { massiveProvider, polygonProvider } from './adapter.js';

// Polygon and Massive share one adapter but are two presets; each case picks one of them, and the
// payload pools mix both hosts' recorded bodies (same shapes, Massive adds decimal-string fields).
const report = fuzzReport('providers/polygon+massive');
const timeout = FUZZ_RUNS * 60;
const clock = manualClock(Date.parse('2023-01-09T20:00:00Z'));
const errors = [
  'polygon/error-401-api-key-not-provided.json',
  'polygon/error-403-not-authorized-timeframe.json',
  'polygon/error-403-not-authorized-not-entitled.json',
].map(fixture);
const snapshotsPayloads = [
  ...['polygon/snapshot-tickers.json', 'massive/snapshot-tickers-doc-sample.json'].map(fixture),
  ...errors,
];
const singlePayloads = [
  ...[
    'polygon/snapshot-ticker-AAPL.json',
    'polygon/prev-AAPL.json',
    'massive/prev-doc-sample.json',
    'polygon/last-trade-AAPL.json',
    'massive/last-trade-doc-sample.json',
  ].map(fixture),
  ...errors,
];
const aggsPayloads = [
  ...[
    'polygon/aggs-AAPL-1day-2023-01-01_2023-01-10.json',
    'polygon/aggs-empty-results-null-legacy.json',
    'massive/aggs-range-doc-sample.json',
  ].map(fixture),
  evalFixture('polygon/aggs-X-BTCUSD-1day-2023-01-01_2023-01-10-crypto.json'),
  evalFixture('polygon/aggs-I-NDX-1day-2023-01-01_2023-05-10-index.json'),
  ...errors,
];

// Polygon's error envelope: a body `status` of ERROR, NOT_FOUND or NOT_AUTHORIZED.
const allowed: AllowedKinds = {
  always: ['not_found'],
  envelope: ['not_entitled'],
  hasEnvelope(text) {
    try {
      const status = (JSON.parse(text) as { status?: unknown } | null)?.status;
      return typeof status === 'string' && /^(error|not_found|not_authorized)$/i.test(status);
    } catch {
      return false;
    }
  },
};

let server: ReplayServer;
const providers: Record<'polygon' | 'massive', Provider> = {} as never;
let current: ParserCase = EMPTY_CASE;
const preset = fc.constantFrom<'polygon' | 'massive'>('polygon', 'massive');

beforeAll(async () => {
  server = await startReplayServer(() => answerOf(current));
  // entitlementRetryMs 0: a fuzzed 403 must not switch an endpoint off for the next cases.
  const options = {
    baseUrl: server.url,
    apiKey: 'fuzz-key-0123456789abcdef012345',
    clock,
    pageCap: 2,
    entitlementRetryMs: 0,
  };
  providers.polygon = polygonProvider(options);
  providers.massive = massiveProvider(options);
});

afterAll(async () => {
  await Promise.all(Object.values(providers).map((p) => p.close()));
  await server?.close();
  report.write();
});

const forget = () => server.requests.splice(0);

describe('polygon and massive parsing under arbitrary bodies', () => {
  it('answers a snapshot batch with valid quotes or typed ProviderErrors', { timeout }, async () => {
    await report.measure('quotes, batch of 2 (snapshot tickers)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(snapshotsPayloads), preset, async (c, name) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() => providers[name].quotes(['BCAT', 'AAPL']));
          for (const o of checkParserOutcome(outcome, c, allowed, ['BCAT', 'AAPL'])) tally(outcomes, o);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('answers a single quote (snapshot ticker, then prev) with a valid quote or a typed ProviderError', {
    timeout,
  }, async () => {
    await report.measure('quotes, 1 symbol (snapshot ticker / prev)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(singlePayloads), preset, async (c, name) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() => providers[name].quotes(['AAPL']));
          for (const o of checkParserOutcome(outcome, c, allowed, ['AAPL'])) tally(outcomes, o);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('answers aggregates (with next_url pages) with a valid series or a typed ProviderError', { timeout }, async () => {
    await report.measure('bars 1d (aggs, next_url)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(aggsPayloads), preset, async (c, name) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() =>
            providers[name].bars('AAPL', { interval: '1d', from: '2023-01-01', to: '2023-01-10' }),
          );
          for (const o of checkParserOutcome(outcome, c, allowed, ['AAPL'])) tally(outcomes, o);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });
});
