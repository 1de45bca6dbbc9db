import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { atr } from './atr.js';
import { bollinger } from './bollinger.js';
import { ema } from './ema.js';
import { macd } from './macd.js';
import { momentum } from './momentum.js';
import { rateOfChange } from './roc.js';
import { rsi } from './rsi.js';
import { sma } from './sma.js';
import { stochasticSlow } from './stochastic.js';

// Values TA-Lib itself publishes for its regression series, from ta_regtest/ta_test_func/*.c
// (test_ma.c, test_rsi.c, test_macd.c, test_bbands.c, test_trange.c, test_stoch.c, test_mom.c).
// TA-Lib checks these literals within ±0.01 (TA_REAL_EQ(x, v, 0.01)), so that is the tolerance
// here: they anchor the batch references to the C library; the parity tests do the 1e-9 checks.
const data = JSON.parse(
  readFileSync(new URL('../../../../../shared/eval/prices/input_talib_regtest_252.json', import.meta.url), 'utf8'),
) as { high: number[]; low: number[]; close: number[] };
const bars = data.close.map((c, i) => ({ h: data.high[i] as number, l: data.low[i] as number, c }));

/** Streams every input and returns the outputs from the first non-null one (TA-Lib's output index 0). */
function outputs<T>(inputs: readonly unknown[], update: (x: never) => T | null, copy: (v: T) => T = (v) => v): T[] {
  const out: T[] = [];
  for (const x of inputs) {
    const v = update(x as never);
    if (v !== null) out.push(copy(v));
  }
  return out;
}

const near = (actual: number | undefined, expected: number) => {
  expect(actual).toBeDefined();
  expect(Math.abs((actual as number) - expected)).toBeLessThan(0.01);
};

describe('TA-Lib published regression values (talib_regtest_252)', () => {
  it('SMA(30) first, second, third and last outputs', () => {
    const s = sma(30);
    const out = outputs(data.close, (x: number) => s.update(x));
    expect(out).toHaveLength(252 - 29);
    near(out[0], 90.42);
    near(out[1], 90.21);
    near(out[2], 89.96);
    near(out[29], 87.12);
    near(out[222], 108.42);
  });

  it('EMA(10) outputs 0, 1, 20 and 242', () => {
    const e = ema(10);
    const out = outputs(data.close, (x: number) => e.update(x));
    expect(out).toHaveLength(243);
    near(out[0], 93.22);
    near(out[1], 93.75);
    near(out[20], 86.46);
    near(out[242], 108.97);
  });

  it('RSI(14) first three and last outputs', () => {
    const r = rsi(14);
    const out = outputs(data.close, (x: number) => r.update(x));
    expect(out).toHaveLength(252 - 14);
    near(out[0], 49.14);
    near(out[1], 52.32);
    near(out[2], 46.07);
    near(out[252 - 15], 49.63);
  });

  it('MACD(12,26,9) first output at bar 33: macd −1.9738, signal −2.7071', () => {
    const m = macd();
    const out = outputs(
      data.close,
      (x: number) => m.update(x),
      (v) => ({ ...v }),
    );
    expect(out).toHaveLength(252 - 33);
    near(out[0]?.macd, -1.9738);
    near(out[0]?.signal, -2.7071);
    near(out[0]?.histogram, -1.9738 - -2.7071);
  });

  it('BBANDS(20, 2, 2, SMA) first output: 98.0734 / 92.8910 / 87.7086', () => {
    const b = bollinger({ period: 20, stdDev: 2 });
    const out = outputs(
      data.close,
      (x: number) => b.update(x),
      (v) => ({ ...v }),
    );
    expect(out).toHaveLength(252 - 19);
    near(out[0]?.upper, 98.0734);
    near(out[0]?.middle, 92.891);
    near(out[0]?.lower, 87.7086);
  });

  it('ATR(14) outputs 0, 1, 2, 12, 13, 14 and 237', () => {
    const a = atr(14);
    const out = outputs(bars, (bar: (typeof bars)[number]) => a.update(bar));
    expect(out).toHaveLength(252 - 14);
    const expected: Array<[number, number]> = [
      [0, 3.578],
      [1, 3.4876],
      [2, 3.55],
      [12, 3.245],
      [13, 3.394],
      [14, 3.413],
      [237, 3.26],
    ];
    for (const [i, v] of expected) near(out[i], v);
  });

  it('STOCH(5, 3 SMA, 3 SMA) first and last outputs', () => {
    const st = stochasticSlow({ kPeriod: 5, kSlowing: 3, dPeriod: 3 });
    const out = outputs(
      bars,
      (bar: (typeof bars)[number]) => st.update(bar),
      (v) => ({ ...v }),
    );
    expect(out).toHaveLength(252 - 8);
    near(out[0]?.k, 24.0128);
    near(out[0]?.d, 36.254);
    near(out[252 - 9]?.k, 30.194);
    near(out[252 - 9]?.d, 43.69);
  });

  it('MOM(14) and ROC(14) first three and last outputs', () => {
    const m = momentum(14);
    const mom = outputs(data.close, (x: number) => m.update(x));
    near(mom[0], -0.5);
    near(mom[1], -2.0);
    near(mom[2], -5.22);
    near(mom[252 - 15], -1.13);
    const r = rateOfChange(14);
    const roc = outputs(data.close, (x: number) => r.update(x));
    near(roc[0], -0.546);
    near(roc[1], -2.109);
    near(roc[2], -5.53);
    near(roc[252 - 15], -1.0367);
  });
});
