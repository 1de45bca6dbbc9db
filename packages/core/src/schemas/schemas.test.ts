import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/errors.js';
import { Bar, BarSeries } from './bar.js';
import { HealthReport } from './health.js';
import { Quote, Trade } from './quote.js';
import { Signal } from './signal.js';
import { validate } from './upgraders.js';

export const validQuote: Quote = {
  symbol: 'AAPL',
  price: 190.12,
  bid: 190.1,
  ask: 190.14,
  volume: 1_234_567,
  change: 1.2,
  changePercent: 0.635,
  currency: 'USD',
  exchange: 'NMS',
  marketState: 'regular',
  asOf: 1_773_000_000_000,
  provider: 'yahoo',
  stale: false,
  delayed: false,
  receivedAt: 1_773_000_000_050,
};

export const validBar: Bar = { t: 1_773_000_000_000, sessionDate: '2026-03-09', o: 1, h: 2, l: 0.5, c: 1.5, v: 100 };

export const validSignal: Signal = {
  schemaVersion: 1,
  id: 'sig-1',
  symbol: 'MSFT',
  action: 'BUY',
  confidence: 0.7,
  agent: 'rsi',
  reasoning: { summary: 'RSI(14) 27.3 below 30', factors: [{ name: 'rsi14', value: 27.3, threshold: 30 }] },
  riskMetrics: { stopLoss: 400, atr: 5.2 },
  price: 410,
  at: 1_773_000_000_000,
};

function issuePaths(run: () => unknown): string[] {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).issues.map((i) => i.path);
  }
  throw new Error('expected a ValidationError');
}

describe('schemas reject bad input with a message that names the field', () => {
  it('Quote: a negative price, a bad symbol and a missing provider', () => {
    const paths = issuePaths(() =>
      validate(Quote, { ...validQuote, price: -1, symbol: 'AA PL', provider: undefined }, 'quote'),
    );
    expect(paths).toEqual(expect.arrayContaining(['price', 'symbol', 'provider']));
    expect(() => validate(Quote, { ...validQuote, price: -1 }, 'quote')).toThrow(/Invalid quote: price:/);
  });

  it('Quote keeps a missing bid missing and accepts null change', () => {
    const { bid: _bid, ...noBid } = validQuote;
    const q = validate(Quote, { ...noBid, change: null, changePercent: null }, 'quote');
    expect('bid' in q).toBe(false);
    expect(q.change).toBeNull();
  });

  it('Quote rejects NaN and Infinity', () => {
    expect(issuePaths(() => validate(Quote, { ...validQuote, price: Number.NaN }, 'quote'))).toContain('price');
    expect(issuePaths(() => validate(Quote, { ...validQuote, bid: Number.POSITIVE_INFINITY }, 'quote'))).toContain(
      'bid',
    );
  });

  it('Trade: size must be non-negative', () => {
    const t = { symbol: 'AAPL', price: 1, size: -5, t: 1, provider: 'polygon' };
    expect(issuePaths(() => validate(Trade, t, 'trade'))).toContain('size');
  });

  it('Bar: high below low and a malformed session date', () => {
    expect(issuePaths(() => validate(Bar, { ...validBar, h: 0.1 }, 'bar'))).toContain('h');
    expect(issuePaths(() => validate(Bar, { ...validBar, sessionDate: '03/09/2026' }, 'bar'))).toContain('sessionDate');
  });

  it('BarSeries: an unknown adjustment and interval', () => {
    const s = {
      symbol: 'AAPL',
      interval: '2d',
      bars: [validBar],
      provider: 'yahoo',
      adjustment: 'dividends',
      splits: [],
      dividends: [],
      truncated: false,
    };
    expect(issuePaths(() => validate(BarSeries, s, 'bar series'))).toEqual(
      expect.arrayContaining(['interval', 'adjustment']),
    );
  });

  it('Signal: confidence above 1 and an unknown action', () => {
    const paths = issuePaths(() => validate(Signal, { ...validSignal, confidence: 1.5, action: 'BUY_MORE' }, 'signal'));
    expect(paths).toEqual(expect.arrayContaining(['confidence', 'action']));
  });

  it('HealthReport: an unknown status and level', () => {
    const report = {
      status: 'fine',
      level: 4,
      version: '0.1.0',
      uptimeMs: 1,
      providers: {},
      cache: { status: 'healthy', l1: { entries: 0, bytes: 0, hitRate: null }, l2: { status: 'disabled', errors: 0 } },
      redis: { status: 'disabled' },
      checks: [],
      checkedAt: 1,
    };
    expect(issuePaths(() => validate(HealthReport, report, 'health report'))).toEqual(
      expect.arrayContaining(['status', 'level']),
    );
    expect(validate(HealthReport, { ...report, status: 'healthy', level: 2 }, 'health report').level).toBe(2);
  });
});
