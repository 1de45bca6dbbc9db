import { manualClock } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import type { Provider } from '../provider.js';
import { evalFixture, type ReplayServer, startReplayServer } from '../test-support/replay-server.js';
import { yahooProvider } from './adapter.js';

let server: ReplayServer | undefined;
let provider: Provider | undefined;

afterEach(async () => {
  await provider?.close();
  await server?.close();
  provider = undefined;
  server = undefined;
});

/** A Yahoo adapter whose chart endpoint answers `body`. */
async function yahooReplaying(body: string): Promise<Provider> {
  server = await startReplayServer(() => ({ body }));
  provider = yahooProvider({ baseUrl: server.url, clock: manualClock(Date.parse('2025-02-20T12:00:00Z')) });
  return provider;
}

describe('yahoo adapter against the held-out payloads', () => {
  it('surfaces the AAPL 4:1 split and the 0.205 dividend, with adjclose', async () => {
    const yahoo = await yahooReplaying(evalFixture('yahoo/chart-AAPL-1d-2020-08-31_2020-11-07-split-dividends.json'));
    const series = await yahoo.bars('AAPL', { interval: '1d', from: '2020-08-31', to: '2020-11-06' });
    expect(series.bars).toHaveLength(49);
    expect(series.splits).toEqual([{ t: 1598880600000, numerator: 4, denominator: 1 }]);
    expect(series.dividends).toEqual([{ t: 1604673000000, amount: 0.205, currency: 'USD' }]);
    expect(series.bars[0]).toMatchObject({
      sessionDate: '2020-08-31',
      o: 127.58000183105469,
      c: 129.0399932861328,
      adjClose: 125.82673645019531,
      v: 225702700,
    });
    expect(series.bars.at(-1)?.sessionDate).toBe('2020-11-06');
    expect(series.adjustment).toBe('split');
  });

  it('drops the all-null WSU.DE bar, leaving two, with EUR and Berlin session dates', async () => {
    const yahoo = await yahooReplaying(evalFixture('yahoo/chart-WSU.DE-1d-2023-08-04_2023-08-09-nulls.json'));
    const series = await yahoo.bars('WSU.DE', { interval: '1d', from: '2023-08-04', to: '2023-08-08' });
    expect(series.currency).toBe('EUR');
    expect(series.bars.map((b) => [b.sessionDate, b.o, b.c, b.v])).toEqual([
      ['2023-08-04', 34.25, 34.45000076293945, 1251],
      ['2023-08-08', 34.04999923706055, 33.20000076293945, 10846],
    ]);
  });

  it('keeps the pre, regular and post bars of the TSLA 30m chart', async () => {
    const yahoo = await yahooReplaying(evalFixture('yahoo/chart-TSLA-30m-2021-11-22-prepost.json'));
    const series = await yahoo.bars('TSLA', { interval: '30m', from: '2021-11-22', to: '2021-11-22' });
    expect(series.bars).toHaveLength(30);
    expect(series.bars[0]).toMatchObject({ t: 1637571600000, sessionDate: '2021-11-22', o: 1148.51, c: 1168.7, v: 0 });
    expect(series.bars.at(-1)?.t).toBe(1637623800000);
    expect(series.bars.every((b) => b.adjClose === undefined)).toBe(true);
  });
});
