import { describe, expect, it } from 'vitest';
import { capture } from '../captured-io.test-support.js';
import { createProgress } from './progress.js';

describe('createProgress', () => {
  it('writes one line per item when stderr is not a terminal', () => {
    const stderr = capture(false);
    const progress = createProgress(stderr, { total: 2, label: 'backtest' });
    progress.step('SPY');
    progress.step('AAPL');
    progress.done();
    expect(stderr.text).toBe('backtest 1/2 SPY\nbacktest 2/2 AAPL\n');
  });

  it('redraws one line on a terminal and clears it at the end', () => {
    const stderr = capture(true);
    const progress = createProgress(stderr, { total: 3, label: 'signals' });
    progress.step('SPY');
    progress.done();
    expect(stderr.text).toBe('\r\x1b[2Ksignals 1/3 SPY\r\x1b[2K');
  });

  it('says nothing for a single item', () => {
    const stderr = capture(true);
    const progress = createProgress(stderr, { total: 1, label: 'backtest' });
    progress.step('SPY');
    progress.done();
    expect(stderr.text).toBe('');
  });
});
