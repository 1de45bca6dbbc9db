import { describe, expect, it } from 'vitest';
import { ValidationError } from '../errors/index.js';
import { Duration, PositiveDuration, parseDuration } from './duration.js';

describe('parseDuration', () => {
  it('reads milliseconds and unit strings', () => {
    expect(parseDuration(5000)).toBe(5000);
    expect(parseDuration('5000')).toBe(5000);
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('5s')).toBe(5_000);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration(' 3 s ')).toBe(3_000);
  });

  it('rejects negative, non-finite and unit-less garbage with a ValidationError that shows the accepted forms', () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY, '5x', '-5s', '', 's', '5 seconds']) {
      expect(() => parseDuration(bad)).toThrow(ValidationError);
    }
    expect(() => parseDuration('5x')).toThrow(/'250ms', '5s'/);
  });
});

describe('Duration schema', () => {
  it('parses to milliseconds', () => {
    expect(Duration.parse('1h')).toBe(3_600_000);
    expect(Duration.parse(0)).toBe(0);
    expect(PositiveDuration.parse('10ms')).toBe(10);
  });

  it('reports bad and zero durations as issues', () => {
    expect(Duration.safeParse('soon').success).toBe(false);
    expect(Duration.safeParse(true).success).toBe(false);
    const zero = PositiveDuration.safeParse(0);
    expect(zero.success).toBe(false);
    expect(zero.error?.issues[0]?.message).toBe('must be greater than zero');
  });
});
