import { describe, expect, it } from 'vitest';
import { vwap } from './vwap.js';

const bar = (h: number, l: number, c: number, v: number | undefined, sessionDate = '2024-03-04') => ({
  h,
  l,
  c,
  v,
  sessionDate,
});

describe('VWAP', () => {
  it('anchored: the volume-weighted mean of typical prices since the session began', () => {
    const ind = vwap();
    expect(ind.update(bar(11, 9, 10, 100))).toBe(10);
    // typical 20 with volume 300: (10×100 + 20×300) / 400
    expect(ind.update(bar(21, 19, 20, 300))).toBe(17.5);
  });

  it('anchored: restarts when the session date changes', () => {
    const ind = vwap();
    ind.update(bar(11, 9, 10, 100, '2024-03-04'));
    ind.update(bar(21, 19, 20, 300, '2024-03-04'));
    expect(ind.update(bar(31, 29, 30, 50, '2024-03-05'))).toBe(30);
  });

  it('rolling: only the last `period` bars count', () => {
    const ind = vwap({ period: 2 });
    expect(ind.update(bar(11, 9, 10, 100))).toBeNull();
    expect(ind.update(bar(21, 19, 20, 100))).toBe(15);
    // The first bar has left the window: (20×100 + 40×300) / 400
    expect(ind.update(bar(41, 39, 40, 300))).toBe(35);
  });

  it('falls back to the plain mean of typical prices when the window has no volume (an index)', () => {
    const ind = vwap({ period: 2 });
    ind.update(bar(11, 9, 10, undefined));
    expect(ind.update(bar(21, 19, 20, 0))).toBe(15);
  });
});
