import { manualClock } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCaptured } from '../captured-io.test-support.js';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.stop());

interface BarsJson {
  symbol: string;
  interval: string;
  provider: string;
  adjustment: string;
  bars: Array<{ t: number; sessionDate: string; o: number; h: number; l: number; c: number; v: number }>;
}

/** The same bars straight from the simulator's Polygon endpoint, without the SDK in between. */
async function polygonDaily(symbol: string, from: string, to: string) {
  const res = await fetch(
    `${sim.url('polygon')}/v2/aggs/ticker/${symbol}/range/1/day/${from}/${to}?adjusted=true&apiKey=k`,
  );
  const body = (await res.json()) as {
    results: Array<{ t: number; o: number; h: number; l: number; c: number; v: number }>;
  };
  return body.results;
}

describe('stockade bars', () => {
  it('gives the bars of a date range as JSON, equal to what the provider served', async () => {
    const run = await runCaptured([
      'bars',
      'AAPL',
      '--interval',
      '1d',
      '--from',
      '2026-01-01',
      '--to',
      '2026-01-31',
      '--json',
      '--simulator',
      sim.origin,
    ]);
    expect(run.code).toBe(0);
    const series = JSON.parse(run.stdout) as BarsJson;
    expect(series).toMatchObject({ symbol: 'AAPL', interval: '1d', provider: 'polygon' });
    // January 2026: 22 weekdays, less New Year's Day and Martin Luther King Jr. Day.
    expect(series.bars).toHaveLength(20);
    expect(series.bars[0]?.sessionDate).toBe('2026-01-02');
    expect(series.bars.at(-1)?.sessionDate).toBe('2026-01-30');
    expect(series.bars.map((b) => b.sessionDate)).not.toContain('2026-01-19');
    const upstream = await polygonDaily('AAPL', '2026-01-01', '2026-01-31');
    expect(series.bars.map((b) => [b.t, b.o, b.h, b.l, b.c, b.v])).toEqual(
      upstream.map((b) => [b.t, b.o, b.h, b.l, b.c, b.v]),
    );
  });

  it('prints one aligned row per session, prices to the cent', async () => {
    const run = await runCaptured(
      ['bars', 'MSFT', '--from', '2026-03-02', '--to', '2026-03-06', '--simulator', sim.origin],
      {},
    );
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('Session       Open    High     Low   Close      Volume');
    expect(lines.slice(1).map((l) => l.slice(0, 10))).toEqual([
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
    ]);
    const upstream = await polygonDaily('MSFT', '2026-03-02', '2026-03-06');
    const closes = lines.slice(1).map((l) => Number((l.trim().split(/ +/)[4] as string).replace(/,/g, '')));
    expect(closes).toEqual(upstream.map((b) => Math.round(b.c * 100) / 100));
  });

  it('adds a caption on a terminal saying where the bars came from', async () => {
    const run = await runCaptured(
      ['bars', 'MSFT', '--from', '2026-03-02', '--to', '2026-03-06', '--simulator', sim.origin],
      {
        tty: true,
      },
    );
    expect(run.stdout.split('\n')[0]).toBe('MSFT 1d bars from polygon (split-adjusted), 5 bars');
  });

  it('defaults to the 30 days before today on the run clock', async () => {
    const clock = manualClock(Date.parse('2026-03-16T20:00:00Z'));
    const run = await runCaptured(['bars', 'SPY', '--json', '--simulator', sim.origin], { clock });
    expect(run.code).toBe(0);
    const sessions = (JSON.parse(run.stdout) as BarsJson).bars.map((b) => b.sessionDate);
    // 2026-02-14 to 2026-03-16: Presidents' Day (02-16) is closed.
    expect(sessions[0]).toBe('2026-02-17');
    expect(sessions.at(-1)).toBe('2026-03-16');
    expect(sessions).toHaveLength(20);
  });

  it('refuses a bad interval, an impossible date and a backwards range as usage errors', async () => {
    const interval = await runCaptured(['bars', 'AAPL', '--interval', '2d']);
    expect(interval.code).toBe(2);
    expect(interval.stderr).toContain('--interval must be one of 1m, 5m, 15m, 30m, 1h, 1d, 1w, 1mo, got "2d"');
    const date = await runCaptured(['bars', 'AAPL', '--from', '2026-02-30']);
    expect(date.code).toBe(2);
    expect(date.stderr).toContain('--from must be a date as YYYY-MM-DD, got "2026-02-30"');
    const backwards = await runCaptured(['bars', 'AAPL', '--from', '2026-03-01', '--to', '2026-02-01']);
    expect(backwards.code).toBe(2);
    expect(backwards.stderr).toContain('--from 2026-03-01 is after --to 2026-02-01');
    const two = await runCaptured(['bars', 'AAPL', 'MSFT']);
    expect(two.code).toBe(2);
    expect(two.stderr).toContain('bars takes at most 1 symbol, got also MSFT');
  });
});
