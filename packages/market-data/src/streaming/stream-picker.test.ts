import { manualClock, type ProviderHealth } from '@stockade/core';
import type { Provider, StreamChannel } from '@stockade/providers';
import { describe, expect, it } from 'vitest';
import { createStreamPicker, type StreamCandidate } from './stream-picker.js';

const healthy: ProviderHealth = {
  status: 'healthy',
  enabled: true,
  requests: 0,
  successRate: 1,
  latencyMs: { p50: null, p95: null, p99: null },
  consecutiveFailures: 0,
  breaker: 'closed',
  quotaLeft: null,
  cost: 0,
};

function candidate(name: string, channels: StreamChannel[] | null): StreamCandidate {
  const provider = {
    name,
    capabilities: channels === null ? {} : { streaming: { channels, assetClasses: ['equity'], note: '' } },
    ...(channels === null ? {} : { stream: () => undefined }),
  } as unknown as Provider;
  return { name, provider };
}

const all = [
  candidate('polygon', ['trades', 'quotes', 'minute_bars', 'second_bars']),
  candidate('yahoo', ['quotes']),
  candidate('alphavantage', null),
];

describe('choosing the streaming provider', () => {
  it('takes the best-ranked healthy provider that carries every wanted channel', () => {
    const health = new Map<string, ProviderHealth>();
    const picker = createStreamPicker({
      candidates: [all[1] as StreamCandidate, all[0] as StreamCandidate, all[2] as StreamCandidate],
      urlOf: () => undefined,
      health: (n) => health.get(n) ?? healthy,
      clock: manualClock(0),
    });
    expect(picker.pick(new Set(['quotes']))?.name).toBe('yahoo');
    expect(picker.pick(new Set(['quotes', 'minute_bars']))?.name).toBe('polygon');
    health.set('polygon', { ...healthy, breaker: 'open' });
    expect(picker.pick(new Set(['minute_bars']))?.name).toBe('yahoo');
    health.set('yahoo', { ...healthy, status: 'unhealthy' });
    expect(picker.pick(new Set(['quotes']))).toBeUndefined();
    expect(picker.anyStreamable()).toBe(true);
  });

  it('keeps off a failed provider for a cooldown that doubles up to the cap, and forgets it on success', () => {
    const clock = manualClock(1_000);
    const picker = createStreamPicker({
      candidates: all,
      allowed: ['polygon'],
      urlOf: () => 'ws://127.0.0.1:1/polygon/stocks',
      health: () => healthy,
      clock,
      retryInitialMs: 100,
      retryMaxMs: 300,
    });
    const quotes = new Set<StreamChannel>(['quotes']);
    picker.failed('polygon', 'auth refused');
    expect(picker.pick(quotes)).toBeUndefined();
    expect(picker.nextRetryAt()).toBe(1_100);
    clock.advance(100);
    expect(picker.pick(quotes)?.name).toBe('polygon');
    picker.failed('polygon', 'auth refused');
    expect(picker.nextRetryAt()).toBe(1_300);
    picker.failed('polygon', 'auth refused');
    picker.failed('polygon', 'auth refused');
    expect(picker.nextRetryAt()).toBe(1_400);
    picker.succeeded('polygon');
    expect(picker.nextRetryAt()).toBeUndefined();
  });

  it('never streams from a provider without a URL here, or one not allowed', () => {
    const picker = createStreamPicker({
      candidates: all,
      allowed: ['yahoo', 'alphavantage'],
      urlOf: (n) => (n === 'yahoo' ? null : undefined),
      health: () => healthy,
      clock: manualClock(0),
    });
    expect(picker.anyStreamable()).toBe(false);
    expect(picker.pick(new Set(['quotes']))).toBeUndefined();
  });
});
