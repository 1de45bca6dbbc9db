import { manualClock } from '@stockade/core';
import { startSimulator } from '@stockade/simulator';
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
import { alphaVantageProvider } from './adapter.js';

const report = fuzzReport('providers/alphavantage');
const timeout = FUZZ_RUNS * 60;
const clock = manualClock(Date.parse('2025-02-19T21:00:00Z'));
const errors = [
  'error-note-rate-limit-legacy-5-per-min.json',
  'error-information-rate-limit-25-per-day.json',
  'error-message-invalid-api-call.json',
].map((f) => fixture(`alphavantage/${f}`));
const quotePayloads = [fixture('alphavantage/global-quote-MSFT.json'), ...errors];
const seriesPayloads = [
  fixture('alphavantage/time-series-daily-compact-MSFT.json'),
  fixture('alphavantage/time-series-intraday-1min-compact-MSFT.json'),
  evalFixture('alphavantage/time-series-intraday-1min-MSFT-2017-08-11.json'),
  ...errors,
];
// No recorded CURRENCY_EXCHANGE_RATE answer exists; the simulator's (which follows the real shape) stands in.
const ratePayloads: string[] = [...errors];

// Alpha Vantage's HTTP-200 error bodies: a top-level "Error Message", "Note" or "Information" string.
const allowed: AllowedKinds = {
  always: ['not_found'],
  envelope: ['auth', 'bad_request', 'rate_limited', 'not_entitled'],
  hasEnvelope(text) {
    try {
      const body = JSON.parse(text) as Record<string, unknown>;
      return ['Error Message', 'Note', 'Information'].some((k) => typeof body?.[k] === 'string');
    } catch {
      return false;
    }
  },
};

let server: ReplayServer;
let av: Provider;
let current: ParserCase = EMPTY_CASE;

beforeAll(async () => {
  const sim = await startSimulator({ port: 0, seed: 3, clock });
  try {
    const res = await fetch(
      `${sim.url('alphavantage')}/query?function=CURRENCY_EXCHANGE_RATE&from_currency=BTC&to_currency=USD&apikey=fuzz`,
    );
    ratePayloads.unshift(await res.text());
  } finally {
    await sim.stop();
  }
  server = await startReplayServer(() => answerOf(current));
  av = alphaVantageProvider({ baseUrl: server.url, apiKey: 'fuzz-key-0123456789', clock });
});

afterAll(async () => {
  await av?.close();
  await server?.close();
  report.write();
});

const forget = () => server.requests.splice(0);

describe('alphavantage parsing under arbitrary bodies', () => {
  it('answers GLOBAL_QUOTE with a valid quote or a typed ProviderError', { timeout }, async () => {
    await report.measure('quotes, equity (GLOBAL_QUOTE)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(quotePayloads), async (c) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() => av.quotes(['MSFT']));
          for (const name of checkParserOutcome(outcome, c, allowed, ['MSFT'])) tally(outcomes, name);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('answers CURRENCY_EXCHANGE_RATE with a valid quote or a typed ProviderError', { timeout }, async () => {
    await report.measure('quotes, crypto (CURRENCY_EXCHANGE_RATE)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(ratePayloads), async (c) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() => av.quotes(['BTC-USD']));
          for (const name of checkParserOutcome(outcome, c, allowed, ['BTC-USD'])) tally(outcomes, name);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('answers TIME_SERIES_DAILY / INTRADAY with a valid series or a typed ProviderError', { timeout }, async () => {
    await report.measure('bars 1d / 1m (TIME_SERIES_*)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(parserCases(seriesPayloads), fc.constantFrom('1d', '1m'), async (c, interval) => {
          current = c;
          forget();
          const outcome = await outcomeOf(() => av.bars('MSFT', { interval, from: '2017-08-01', to: '2017-12-19' }));
          for (const name of checkParserOutcome(outcome, c, allowed, ['MSFT'])) tally(outcomes, name);
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });
});
