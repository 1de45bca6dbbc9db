/**
 * Plain batch implementations of TA-Lib's classic algorithms, written as straightforward loops
 * from TA-Lib's definitions (ta_func/*.c) and deliberately unlike the streaming classes: windows
 * are re-summed from scratch at every bar, the variance is two-pass, extremes are re-scanned. The
 * parity tests compare the streaming indicators with these on real price series.
 *
 * Every function returns an array as long as its input, NaN before the first output.
 */

const nans = (n: number): number[] => new Array<number>(n).fill(Number.NaN);
const at = (xs: readonly number[], i: number): number => xs[i] as number;

function windowMean(xs: readonly number[], end: number, n: number): number {
  let s = 0;
  for (let j = end - n + 1; j <= end; j++) s += at(xs, j);
  return s / n;
}

/** TA_SMA: lookback n−1. */
export function batchSma(xs: readonly number[], n: number): number[] {
  const out = nans(xs.length);
  for (let i = n - 1; i < xs.length; i++) out[i] = windowMean(xs, i, n);
  return out;
}

/** TA_INT_EMA (classic): seed = mean of the n inputs ending at bar `seedEnd`, then the recursion. */
export function batchEma(xs: readonly number[], n: number, seedEnd = n - 1): number[] {
  const out = nans(xs.length);
  const k = 2 / (n + 1);
  if (seedEnd >= xs.length) return out;
  let prev = windowMean(xs, seedEnd, n);
  out[seedEnd] = prev;
  for (let i = seedEnd + 1; i < xs.length; i++) {
    prev = (at(xs, i) - prev) * k + prev;
    out[i] = prev;
  }
  return out;
}

/** TA_RSI (classic, no unstable period): lookback n. */
export function batchRsi(xs: readonly number[], n: number): number[] {
  const out = nans(xs.length);
  let gain = 0;
  let loss = 0;
  for (let i = 1; i <= n && i < xs.length; i++) {
    const d = at(xs, i) - at(xs, i - 1);
    if (d > 0) gain += d;
    else loss -= d;
  }
  gain /= n;
  loss /= n;
  const rsi = () => (gain + loss === 0 ? 0 : (100 * gain) / (gain + loss));
  if (n < xs.length) out[n] = rsi();
  for (let i = n + 1; i < xs.length; i++) {
    const d = at(xs, i) - at(xs, i - 1);
    gain = (gain * (n - 1) + Math.max(d, 0)) / n;
    loss = (loss * (n - 1) + (d < 0 ? -d : 0)) / n;
    out[i] = rsi();
  }
  return out;
}

/**
 * TA_MACD: both EMAs start at bar slow−1, the fast one seeded with the mean of the `fast` inputs
 * ending there; the signal EMA runs over the MACD line from that bar. Lookback slow−1+signal−1.
 */
export function batchMacd(
  xs: readonly number[],
  fast: number,
  slow: number,
  signal: number,
): { macd: number[]; signal: number[]; histogram: number[] } {
  const start = slow - 1;
  const fastEma = batchEma(xs, fast, start);
  const slowEma = batchEma(xs, slow, start);
  const line = xs.map((_, i) => (i >= start ? at(fastEma, i) - at(slowEma, i) : Number.NaN));
  const sig = nans(xs.length);
  const lineFromStart = line.slice(start);
  const sigFromStart = batchEma(lineFromStart, signal);
  for (let i = 0; i < sigFromStart.length; i++) sig[start + i] = at(sigFromStart, i);
  const lookback = slow - 1 + signal - 1;
  const macd = line.map((v, i) => (i >= lookback ? v : Number.NaN));
  return { macd, signal: sig, histogram: macd.map((v, i) => v - at(sig, i)) };
}

/** TA_BBANDS with an SMA middle band and the population standard deviation (two-pass). */
export function batchBollinger(
  xs: readonly number[],
  n: number,
  k: number,
): { upper: number[]; middle: number[]; lower: number[] } {
  const upper = nans(xs.length);
  const middle = nans(xs.length);
  const lower = nans(xs.length);
  for (let i = n - 1; i < xs.length; i++) {
    const mean = windowMean(xs, i, n);
    let ss = 0;
    for (let j = i - n + 1; j <= i; j++) ss += (at(xs, j) - mean) ** 2;
    const sd = Math.sqrt(ss / n);
    middle[i] = mean;
    upper[i] = mean + k * sd;
    lower[i] = mean - k * sd;
  }
  return { upper, middle, lower };
}

/** TA_TRANGE: from bar 1, the greatest of high−low, |prevClose−high|, |prevClose−low|. */
export function batchTrueRange(h: readonly number[], l: readonly number[], c: readonly number[]): number[] {
  const out = nans(h.length);
  for (let i = 1; i < h.length; i++) {
    const y = at(c, i - 1);
    out[i] = Math.max(at(h, i) - at(l, i), Math.abs(y - at(h, i)), Math.abs(y - at(l, i)));
  }
  return out;
}

/** TA_ATR: first value at bar n = mean of TR[1..n], then Wilder's recursion. */
export function batchAtr(h: readonly number[], l: readonly number[], c: readonly number[], n: number): number[] {
  const tr = batchTrueRange(h, l, c);
  const out = nans(h.length);
  if (n >= h.length) return out;
  let prev = windowMean(tr, n, n);
  out[n] = prev;
  for (let i = n + 1; i < h.length; i++) {
    prev = (prev * (n - 1) + at(tr, i)) / n;
    out[i] = prev;
  }
  return out;
}

/** Raw %K at every bar from kPeriod−1: (close − lowest low) / (highest high − lowest low) × 100, 0 on a flat range. */
export function batchRawK(h: readonly number[], l: readonly number[], c: readonly number[], kPeriod: number): number[] {
  const out = nans(h.length);
  for (let i = kPeriod - 1; i < h.length; i++) {
    let hh = Number.NEGATIVE_INFINITY;
    let ll = Number.POSITIVE_INFINITY;
    for (let j = i - kPeriod + 1; j <= i; j++) {
      hh = Math.max(hh, at(h, j));
      ll = Math.min(ll, at(l, j));
    }
    out[i] = hh === ll ? 0 : ((at(c, i) - ll) / (hh - ll)) * 100;
  }
  return out;
}

/** An SMA over a series that starts at bar `from` (NaN before it). */
function smaFrom(xs: readonly number[], from: number, n: number): number[] {
  const out = nans(xs.length);
  for (let i = from + n - 1; i < xs.length; i++) out[i] = windowMean(xs, i, n);
  return out;
}

/** TA_STOCHF with SMA %D: outputs from bar kPeriod−1+dPeriod−1. */
export function batchStochF(
  h: readonly number[],
  l: readonly number[],
  c: readonly number[],
  kPeriod: number,
  dPeriod: number,
): { k: number[]; d: number[] } {
  const raw = batchRawK(h, l, c, kPeriod);
  const d = smaFrom(raw, kPeriod - 1, dPeriod);
  const lookback = kPeriod - 1 + dPeriod - 1;
  return { k: raw.map((v, i) => (i >= lookback ? v : Number.NaN)), d };
}

/** TA_STOCH with SMA slow %K and slow %D: outputs from bar kPeriod−1+kSlowing−1+dPeriod−1. */
export function batchStoch(
  h: readonly number[],
  l: readonly number[],
  c: readonly number[],
  kPeriod: number,
  kSlowing: number,
  dPeriod: number,
): { k: number[]; d: number[] } {
  const raw = batchRawK(h, l, c, kPeriod);
  const slowK = smaFrom(raw, kPeriod - 1, kSlowing);
  const d = smaFrom(slowK, kPeriod - 1 + kSlowing - 1, dPeriod);
  const lookback = kPeriod - 1 + kSlowing - 1 + dPeriod - 1;
  return { k: slowK.map((v, i) => (i >= lookback ? v : Number.NaN)), d };
}

/** TA_MOM: x[i] − x[i−n]. */
export function batchMomentum(xs: readonly number[], n: number): number[] {
  return xs.map((x, i) => (i >= n ? x - at(xs, i - n) : Number.NaN));
}

/** TA_ROC: (x[i] / x[i−n] − 1) × 100, 0 when x[i−n] is 0. */
export function batchRoc(xs: readonly number[], n: number): number[] {
  return xs.map((x, i) => (i >= n ? (at(xs, i - n) === 0 ? 0 : (x / at(xs, i - n) - 1) * 100) : Number.NaN));
}

/** TA_OBV: +volume[0] at bar 0, then ± volume by the close's direction. */
export function batchObv(c: readonly number[], v: readonly number[]): number[] {
  const out: number[] = [];
  let obv = 0;
  for (let i = 0; i < c.length; i++) {
    if (i === 0) obv = at(v, 0);
    else if (at(c, i) > at(c, i - 1)) obv += at(v, i);
    else if (at(c, i) < at(c, i - 1)) obv -= at(v, i);
    out.push(obv);
  }
  return out;
}
