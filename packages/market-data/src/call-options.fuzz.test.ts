import { ConfigError, StockadeError, silentLogger, ValidationError } from '@stockade/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_RUNS, fuzzReport, tally } from '../../../test/reliability/fuzz-report.js';
import { createMarketDataManager } from './manager.js';
import { type Harness, startHarness, testConfig } from './test-support/harness.js';

const report = fuzzReport('market-data/options');
const timeout = FUZZ_RUNS * 60;
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  report.write();
});

// Each field gets a valid value, an odd one or nothing; sometimes the whole object is arbitrary.
const odd = fc.oneof(
  fc.anything({ maxDepth: 1 }),
  fc.constantFrom(null, -1, 0, Number.NaN, Number.POSITIVE_INFINITY, 1e308, '', '5s', 'yahoo', [], {}, ['nope'], [1]),
);
const field = <T>(valid: fc.Arbitrary<T>) => fc.oneof({ weight: 2, arbitrary: valid }, { weight: 1, arbitrary: odd });
const providerList = fc.subarray(['yahoo', 'polygon', 'massive', 'alphavantage']);
const quoteOptions = fc.oneof(
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        maxStaleMs: field(fc.nat({ max: 86_400_000 })),
        strategy: field(fc.constantFrom('failover', 'hedged', 'consensus')),
        providers: field(providerList.filter((l) => l.length > 0)),
        signal: field(fc.constant(undefined)),
      },
      { requiredKeys: [] },
    ),
  },
);
const barsOptions = fc.oneof(
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        // Weekly: a cached daily read takes ~15-60 ms here (bar-store stitching), which 1,000 cases cannot afford.
        interval: field(fc.constant('1w')),
        from: field(fc.constantFrom('2026-03-02', Date.parse('2026-03-02T15:00:00Z'))),
        to: field(fc.constant('2026-03-06')),
        adjustment: field(fc.constantFrom('raw', 'split', 'split_dividend')),
        acceptAdjustments: field(fc.subarray(['raw', 'split', 'split_dividend'])),
        providers: field(providerList),
      },
      { requiredKeys: ['from', 'interval'] },
    ),
  },
);
const subscribeOptions = fc.oneof(
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  {
    weight: 4,
    arbitrary: fc.record(
      {
        intervalMs: field(fc.integer({ min: 100, max: 60_000 })),
        closedIntervalMs: field(fc.integer({ min: 100, max: 600_000 })),
        strategy: field(fc.constantFrom('failover', 'hedged')),
        onError: field(fc.constant(() => {})),
      },
      { requiredKeys: [] },
    ),
  },
);
const symbolsArg = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(['AAPL'], ['MSFT', 'SPY'], ['BTC-USD']) },
  { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) },
  { weight: 1, arbitrary: fc.array(fc.string({ maxLength: 8 }), { maxLength: 3 }) },
);

// A refusal must be a ValidationError (or ConfigError) that says which option and what was wrong.
function refused(err: unknown, outcomes: Record<string, number>): void {
  if (!(err instanceof ValidationError) && !(err instanceof ConfigError)) {
    throw new Error(
      `threw ${err instanceof Error ? `${err.name}: ${err.message}` : String(err)}, not a ValidationError`,
    );
  }
  expect(err.message.trim().length).toBeGreaterThan(10);
  tally(outcomes, err.name);
}

describe('manager call options under arbitrary input', () => {
  it('quotes() answers or rejects with a ValidationError saying what was wrong', { timeout }, async () => {
    await report.measure('quotes(symbols, options)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(symbolsArg, quoteOptions, async (symbols, options) => {
          let results: Awaited<ReturnType<typeof h.md.quotes>>;
          try {
            results = await h.md.quotes(symbols as string[], options as never);
          } catch (err) {
            return refused(err, outcomes);
          }
          expect(results).toHaveLength((symbols as string[]).length);
          for (const r of results) {
            if (!r.ok) expect(r.error).toBeInstanceOf(StockadeError);
            tally(outcomes, r.ok ? 'quote' : `answer ${r.error.name}`);
          }
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('bars() answers or rejects with a ValidationError saying what was wrong', { timeout }, async () => {
    await report.measure('bars(symbol, options)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(fc.constantFrom('AAPL', 'MSFT'), barsOptions, async (symbol, options) => {
          try {
            const series = await h.md.bars(symbol, options as never);
            expect(series.symbol).toBe(symbol);
            tally(outcomes, 'series');
          } catch (err) {
            // Valid options may still find no provider able to serve them: a typed StockadeError.
            if (err instanceof StockadeError && !(err instanceof ValidationError)) return tally(outcomes, err.name);
            refused(err, outcomes);
          }
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('subscribe() starts a subscription or throws a ValidationError saying what was wrong', { timeout }, async () => {
    await report.measure('subscribe(symbols, onQuote, options)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.property(
          symbolsArg,
          fc.oneof(
            fc.constant(() => {}),
            odd,
          ),
          subscribeOptions,
          (symbols, onQuote, options) => {
            try {
              const sub = h.md.subscribe(symbols as string[], onQuote as never, options as never);
              sub.close();
              tally(outcomes, 'subscribed');
            } catch (err) {
              refused(err, outcomes);
            }
          },
        ),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('createMarketDataManager() builds a manager or throws a ConfigError / ValidationError', { timeout }, async () => {
    const urls = {
      yahoo: h.sim.url('yahoo'),
      alphavantage: h.sim.url('alphavantage'),
      polygon: h.sim.url('polygon'),
      massive: h.sim.url('massive'),
    };
    await report.measure('createMarketDataManager(options)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.asyncProperty(
          fc.record(
            {
              config: fc.oneof(fc.constant(testConfig()), fc.object({ maxDepth: 2 }), odd),
              clock: field(fc.constant(h.clock)),
              providers: field(fc.constant([])),
              providerPriority: field(fc.constant({ yahoo: 1 })),
              logger: fc.constant(silentLogger),
            },
            { requiredKeys: ['logger'] },
          ),
          async (options) => {
            try {
              const md = createMarketDataManager({ ...options, simulatorUrls: urls } as never);
              await md.ready().catch((err: unknown) => refused(err, outcomes));
              await md.close();
              tally(outcomes, 'manager');
            } catch (err) {
              refused(err, outcomes);
            }
          },
        ),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });
});
