import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bollinger } from './bollinger.js';
import { ema } from './ema.js';
import { macd } from './macd.js';
import { momentum } from './momentum.js';
import { rateOfChange } from './roc.js';
import { rsi } from './rsi.js';
import { sma } from './sma.js';
import {
  batchBollinger,
  batchEma,
  batchMacd,
  batchMomentum,
  batchRoc,
  batchRsi,
  batchSma,
} from './talib-batch.test-support.js';

interface PriceSeries {
  id: string;
  n: number;
  close: number[];
}
const load = (file: string): PriceSeries =>
  JSON.parse(readFileSync(new URL(`../../../../../shared/eval/prices/${file}`, import.meta.url), 'utf8'));
const series = [load('input_talib_regtest_252.json'), load('input_spy_daily_300.json')];

/** Within 1e-9 relative (with a 1e-12 absolute floor for lines that cross zero). */
function expectClose(actual: number | null | undefined, expected: number, where: string): void {
  expect(actual, where).not.toBeNull();
  const a = actual as number;
  const tolerance = Math.max(1e-9 * Math.max(Math.abs(a), Math.abs(expected)), 1e-12);
  if (!(Math.abs(a - expected) <= tolerance)) expect.fail(`${where}: got ${a}, expected ${expected}`);
}

/** Streams `xs` through `update` and checks nulls before `lookback` and values from it on. */
function checkStream(
  xs: readonly number[],
  lookback: number,
  update: (x: number) => unknown,
  pick: (out: unknown) => number,
  expected: readonly number[],
  label: string,
): void {
  xs.forEach((x, i) => {
    const out = update(x);
    if (i < lookback) expect(out, `${label} bar ${i} should still be warming up`).toBeNull();
    else expectClose(out === null ? null : pick(out), expected[i] as number, `${label} bar ${i}`);
  });
}

const num = (out: unknown) => out as number;

describe.each(series)('TA-Lib parity on $id (close-only indicators)', ({ id, close }) => {
  it('SMA(20) starts at bar 19 and equals the window mean', () => {
    const ind = sma(20);
    expect(ind.lookback).toBe(19);
    checkStream(close, 19, (x) => ind.update(x), num, batchSma(close, 20), `${id} SMA20`);
  });

  it('EMA(20) is seeded with the SMA of the first 20 closes and starts at bar 19', () => {
    const ind = ema(20);
    expect(ind.lookback).toBe(19);
    checkStream(close, 19, (x) => ind.update(x), num, batchEma(close, 20), `${id} EMA20`);
  });

  it('RSI(14) uses Wilder smoothing seeded by simple means and starts at bar 14', () => {
    const ind = rsi(14);
    expect(ind.lookback).toBe(14);
    checkStream(close, 14, (x) => ind.update(x), num, batchRsi(close, 14), `${id} RSI14`);
  });

  it('MACD(12,26,9) begins all three lines at bar 33 with the fast EMA seeded on bars 14–25', () => {
    const ind = macd({ fast: 12, slow: 26, signal: 9 });
    expect(ind.lookback).toBe(33);
    const ref = batchMacd(close, 12, 26, 9);
    type M = { macd: number; signal: number; histogram: number };
    checkStream(
      close,
      33,
      (x) => ind.update(x),
      (o) => (o as M).macd,
      ref.macd,
      `${id} MACD line`,
    );
    ind.reset();
    checkStream(
      close,
      33,
      (x) => ind.update(x),
      (o) => (o as M).signal,
      ref.signal,
      `${id} MACD signal`,
    );
    ind.reset();
    checkStream(
      close,
      33,
      (x) => ind.update(x),
      (o) => (o as M).histogram,
      ref.histogram,
      `${id} MACD histogram`,
    );
  });

  it('a fast EMA seeded on bars 0–11 would not match: the seeding is what the MACD test checks', () => {
    const naiveFast = batchEma(close, 12);
    const slow = batchEma(close, 26);
    const ref = batchMacd(close, 12, 26, 9);
    const naiveLine = (naiveFast[40] as number) - (slow[40] as number);
    expect(Math.abs(naiveLine - (ref.macd[40] as number))).toBeGreaterThan(1e-6);
  });

  it('Bollinger(20, 2) uses the population deviation and starts at bar 19', () => {
    const ind = bollinger({ period: 20, stdDev: 2 });
    expect(ind.lookback).toBe(19);
    const ref = batchBollinger(close, 20, 2);
    type B = { upper: number; middle: number; lower: number };
    for (const band of ['upper', 'middle', 'lower'] as const) {
      ind.reset();
      checkStream(
        close,
        19,
        (x) => ind.update(x),
        (o) => (o as B)[band],
        ref[band],
        `${id} BB ${band}`,
      );
    }
  });

  it('momentum(10) is close minus the close 10 bars back, from bar 10', () => {
    const ind = momentum(10);
    expect(ind.lookback).toBe(10);
    checkStream(close, 10, (x) => ind.update(x), num, batchMomentum(close, 10), `${id} MOM10`);
  });

  it('ROC(10) is the percent change over 10 bars, from bar 10', () => {
    const ind = rateOfChange(10);
    expect(ind.lookback).toBe(10);
    checkStream(close, 10, (x) => ind.update(x), num, batchRoc(close, 10), `${id} ROC10`);
  });
});
