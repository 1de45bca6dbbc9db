import { describe, expect, it } from 'vitest';
import { createKeyBuilder, hashTagOf, keys } from './redis-keys.js';

describe('the Redis key builder', () => {
  it('builds every key under one prefix with a hash tag', () => {
    expect(keys.quote('best', 'AAPL')).toBe('stockade:v1:{quote:AAPL}:best');
    expect(keys.bars('yahoo', 'AAPL', '1d', 'split', '2026-03')).toBe('stockade:v1:{bars:AAPL:1d}:yahoo:split:2026-03');
    expect(keys.bucket('alphavantage', 'day')).toBe('stockade:v1:{bucket:alphavantage}:day');
    expect(keys.breaker('polygon')).toBe('stockade:v1:{breaker:polygon}');
  });

  it('puts a lock in the same hash slot as its entry', () => {
    const entry = keys.quote('best', 'BRK.B');
    expect(hashTagOf(keys.lock(entry))).toBe(hashTagOf(entry));
  });

  it('puts all buckets of one provider in one slot, so one script can take from all', () => {
    expect(hashTagOf(keys.bucket('alphavantage', 'minute'))).toBe(hashTagOf(keys.bucket('alphavantage', 'day')));
    expect(keys.quotaWindow('alphavantage', 'day')).toBe('stockade:v1:{bucket:alphavantage}:window:day');
    expect(hashTagOf(keys.quotaWindow('alphavantage', 'minute'))).toBe(hashTagOf(keys.bucket('alphavantage', 'day')));
    // A sorted-set window never shares a name with a hash bucket of the same provider and name.
    expect(keys.quotaWindow('polygon', 'minute')).not.toBe(keys.bucket('polygon', 'minute'));
  });

  it('takes the prefix from config and validates it', () => {
    expect(createKeyBuilder({ prefix: 'desk7:' }).quote('best', 'MSFT')).toBe('desk7:{quote:MSFT}:best');
    expect(() => createKeyBuilder({ prefix: 'no-colon' })).toThrow(/must end with ":"/);
  });
});
