import { describe, expect, it } from 'vitest';
import {
  formatChange,
  formatInstant,
  formatPercentChange,
  formatPrice,
  formatQuantity,
  formatRatio,
} from './figures.js';

describe('figures', () => {
  it('prints prices with the decimals their size needs, grouped by thousands', () => {
    expect(formatPrice(281.0703)).toBe('281.07');
    expect(formatPrice(66056.8125)).toBe('66,056.81');
    expect(formatPrice(1.22791)).toBe('1.2279');
    expect(formatPrice(0.00012345)).toBe('0.000123');
    expect(formatPrice(undefined)).toBe('-');
  });

  it('signs changes and uses the decimals of the price they belong to', () => {
    expect(formatChange(-4.1919, 281.07)).toBe('-4.19');
    expect(formatChange(0.00452, 1.2279)).toBe('+0.0045');
    expect(formatChange(null, 1)).toBe('-');
    expect(formatPercentChange(-1.4695)).toBe('-1.47%');
    expect(formatRatio(0.0567, { signed: true })).toBe('+5.7%');
    expect(formatRatio(null)).toBe('-');
  });

  it('groups volumes and keeps fractional crypto volumes to two decimals', () => {
    expect(formatQuantity(34993711)).toBe('34,993,711');
    expect(formatQuantity(117224.618)).toBe('117,224.62');
  });

  it('prints instants in UTC to the second', () => {
    expect(formatInstant(Date.UTC(2026, 10, 20, 21, 0, 0))).toBe('2026-11-20 21:00:00Z');
  });
});
