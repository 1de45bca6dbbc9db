import { ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { createFaultController, parseFaultPlan } from './faults.js';

describe('fault controller', () => {
  it('replaces with set, merges with update and clears one provider or all', () => {
    const f = createFaultController({ polygon: { badKey: true } });
    f.update('polygon', { latency: { fixedMs: 50 } });
    expect(f.get('polygon')).toEqual({ badKey: true, latency: { fixedMs: 50 } });
    f.set('polygon', { errorRate: { 500: 1 } });
    expect(f.get('polygon')).toEqual({ errorRate: { 500: 1 } });
    f.set('yahoo', { hang: 0.5 });
    f.clear('polygon');
    expect(f.get('polygon')).toEqual({});
    expect(f.get('yahoo')).toEqual({ hang: 0.5 });
    f.clear();
    expect(f.get('yahoo')).toEqual({});
  });

  it('rejects an unknown fault, a probability above 1 and an unknown provider, naming them', () => {
    const f = createFaultController({});
    expect(() => f.set('polygon', { reset: 2 })).toThrow(/polygon\.reset/);
    expect(() => f.set('polygon', { nope: true } as never)).toThrow(ValidationError);
    expect(() => f.set('bing' as never, {})).toThrow(/Unknown provider "bing"/);
    expect(() => parseFaultPlan({ bing: {} })).toThrow(/Unknown provider/);
    expect(() => parseFaultPlan({ polygon: { latency: { p50Ms: 100, p99Ms: 10 } } })).toThrow(/p99Ms/);
  });

  it('tells the switch hook what was passed, not the merged result', () => {
    const seen: unknown[] = [];
    const f = createFaultController({}, (provider, faults) => seen.push([provider, faults]));
    f.set('yahoo', { expiredCrumb: true });
    f.update('yahoo', { latency: { fixedMs: 1 } });
    expect(seen).toEqual([
      ['yahoo', { expiredCrumb: true }],
      ['yahoo', { latency: { fixedMs: 1 } }],
    ]);
  });

  it('hands out copies, so changing what get returns changes nothing', () => {
    const f = createFaultController({ polygon: { notEntitled: ['snapshot'] } });
    f.get('polygon').notEntitled?.push('aggs');
    expect(f.get('polygon').notEntitled).toEqual(['snapshot']);
  });
});
