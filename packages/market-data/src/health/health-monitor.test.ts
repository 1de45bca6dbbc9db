import { manualClock, ProviderHealth, profilePresets, ValidationError } from '@stockade/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHealthMonitor, type HealthMonitorOptions, type ProviderHealthChange } from './health-monitor.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');

function setup(overrides: Partial<HealthMonitorOptions> = {}) {
  const clock = manualClock(T0);
  const monitor = createHealthMonitor({
    providers: ['polygon', 'yahoo'],
    clock,
    windowMs: 60_000,
    minRequests: 10,
    thresholds: profilePresets.production.health,
    ...overrides,
  });
  const changes: ProviderHealthChange[] = [];
  monitor.onStatusChange((c) => changes.push(c));
  const transitions = () => changes.map((c) => `${c.provider}:${c.from}->${c.to}`);
  return { clock, monitor, changes, transitions };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('createHealthMonitor', () => {
  it('reports a provider with no traffic as healthy, in core’s ProviderHealth shape', () => {
    const { monitor } = setup({ cost: { total: (p) => (p === 'polygon' ? 0.42 : 0) } });
    const health = monitor.providerHealth('polygon');
    expect(ProviderHealth.parse(health)).toEqual(health);
    expect(health).toEqual({
      status: 'healthy',
      enabled: true,
      requests: 0,
      successRate: 1,
      latencyMs: { p50: null, p95: null, p99: null },
      consecutiveFailures: 0,
      breaker: 'closed',
      quotaLeft: null,
      cost: 0.42,
    });
  });

  it('goes unhealthy after N consecutive failures and healthy again on the next success', () => {
    const { monitor, clock, transitions } = setup();
    for (let i = 0; i < 2; i++) {
      clock.advance(1_000);
      monitor.recordAttempt('polygon', { ok: false, latencyMs: 5_000, errorKind: 'timeout', message: 'timed out' });
    }
    expect(monitor.statuses()).toEqual({ polygon: 'healthy', yahoo: 'healthy' });
    monitor.recordAttempt('polygon', { ok: false, latencyMs: 5_000, errorKind: 'timeout', message: 'timed out' });
    const health = monitor.providerHealth('polygon');
    expect(health).toMatchObject({
      status: 'unhealthy',
      consecutiveFailures: 3,
      lastError: { kind: 'timeout', at: T0 + 2_000, message: 'timed out' },
    });
    expect(monitor.assessment('polygon').reasons).toEqual(['consecutive_failures']);
    monitor.recordAttempt('polygon', { ok: true, latencyMs: 80 });
    expect(monitor.providerHealth('polygon')).toMatchObject({ status: 'healthy', consecutiveFailures: 0, requests: 4 });
    expect(transitions()).toEqual(['polygon:healthy->unhealthy', 'polygon:unhealthy->healthy']);
  });

  it('judges the success rate against both profile thresholds once enough requests are in', () => {
    const { monitor, clock, transitions } = setup({ thresholds: { consecutiveFailuresAlert: 100 } });
    // Development defaults: degraded under 0.8, unhealthy under 0.5.
    const attempt = (ok: boolean) => {
      clock.advance(100);
      monitor.recordAttempt('yahoo', { ok, latencyMs: 100, errorKind: ok ? undefined : 'transient' });
    };
    for (let i = 0; i < 6; i++) attempt(i % 2 === 0);
    // 3 of 6 failed, but 6 < minRequests: not judged yet.
    expect(monitor.statuses().yahoo).toBe('healthy');
    for (let i = 0; i < 4; i++) attempt(true);
    // 7 of 10 → 0.7: degraded.
    expect(monitor.assessment('yahoo')).toMatchObject({ status: 'degraded', reasons: ['success_rate_degraded'] });
    for (let i = 0; i < 8; i++) attempt(false);
    // 7 of 18 → 0.39: unhealthy.
    expect(monitor.assessment('yahoo')).toMatchObject({ status: 'unhealthy', reasons: ['success_rate_unhealthy'] });
    // The failures age out of the 60 s window with no new traffic; a periodic refresh sees it.
    clock.advance(60_000);
    monitor.refresh();
    expect(monitor.providerHealth('yahoo')).toMatchObject({ status: 'healthy', requests: 0, successRate: 1 });
    expect(transitions()).toEqual(['yahoo:healthy->degraded', 'yahoo:degraded->unhealthy', 'yahoo:unhealthy->healthy']);
  });

  it('follows the breaker: open is unhealthy, half-open degraded, closed healthy', () => {
    const { monitor, transitions } = setup();
    monitor.setBreakerState('polygon', 'open');
    expect(monitor.providerHealth('polygon')).toMatchObject({ status: 'unhealthy', breaker: 'open' });
    monitor.setBreakerState('polygon', 'half_open');
    expect(monitor.assessment('polygon')).toMatchObject({ status: 'degraded', reasons: ['breaker_half_open'] });
    monitor.setBreakerState('polygon', 'isolated');
    expect(monitor.statuses().polygon).toBe('unhealthy');
    monitor.setBreakerState('polygon', 'closed');
    expect(monitor.statuses().polygon).toBe('healthy');
    expect(transitions()).toEqual([
      'polygon:healthy->unhealthy',
      'polygon:unhealthy->degraded',
      'polygon:degraded->unhealthy',
      'polygon:unhealthy->healthy',
    ]);
  });

  it('makes a provider unhealthy on its first auth failure, with the key redacted from the message', () => {
    const { monitor } = setup();
    monitor.recordAttempt('polygon', {
      ok: false,
      latencyMs: 40,
      errorKind: 'auth',
      message: '401 Unknown API Key for GET /v2/snapshot?apiKey=sk_live_ABCDEF123456',
    });
    const a = monitor.assessment('polygon');
    expect(a).toMatchObject({ status: 'unhealthy', reasons: ['auth_failure'] });
    expect(a.lastError?.message).toBe('401 Unknown API Key for GET /v2/snapshot?apiKey=[REDACTED]');
    monitor.recordAttempt('polygon', { ok: true, latencyMs: 40 });
    expect(monitor.assessment('polygon')).toMatchObject({ status: 'healthy', reasons: [] });
  });

  it('is degraded when the used share of the tightest quota reaches the warn ratio, healthy once refilled', () => {
    const { monitor, transitions } = setup();
    // Production warns at 80 % used.
    monitor.setQuotaLeft('yahoo', 25, 100);
    expect(monitor.statuses().yahoo).toBe('healthy');
    monitor.setQuotaLeft('yahoo', 20);
    expect(monitor.assessment('yahoo')).toMatchObject({ status: 'degraded', reasons: ['quota_low'] });
    expect(monitor.providerHealth('yahoo').quotaLeft).toBe(20);
    monitor.setQuotaLeft('yahoo', 100);
    expect(monitor.statuses().yahoo).toBe('healthy');
    monitor.setQuotaLeft('yahoo', null);
    expect(monitor.providerHealth('yahoo')).toMatchObject({ status: 'healthy', quotaLeft: null });
    expect(transitions()).toEqual(['yahoo:healthy->degraded', 'yahoo:degraded->healthy']);
  });

  describe('latency against the adaptive baseline', () => {
    function steady(
      monitor: ReturnType<typeof setup>['monitor'],
      clock: ReturnType<typeof setup>['clock'],
      ms: number,
      n: number,
    ) {
      for (let i = 0; i < n; i++) {
        clock.advance(1_000);
        monitor.recordAttempt('yahoo', { ok: true, latencyMs: ms });
      }
    }

    it('does not call a provider that always takes 3.5 s slow, but does when it takes 12 s', () => {
      const { monitor, clock, transitions } = setup({ thresholds: { latencyFactor: 3 } });
      steady(monitor, clock, 3_500, 30);
      // Nothing judged before the first window is learned.
      expect(monitor.assessment('yahoo').latency.baselineMs).toBeUndefined();
      steady(monitor, clock, 3_500, 40);
      const learned = monitor.assessment('yahoo');
      expect(learned.latency).toEqual({ baselineMs: 3_500, thresholdMs: 10_500 });
      expect(learned.status).toBe('healthy');

      steady(monitor, clock, 12_000, 4);
      const slow = monitor.assessment('yahoo');
      expect(slow.stats.p95).toBe(12_000);
      expect(slow).toMatchObject({ status: 'degraded', reasons: ['latency'] });

      // The slow answers age out of the window; the fold in between moved the baseline a fifth of the way.
      steady(monitor, clock, 3_500, 61);
      const recovered = monitor.assessment('yahoo');
      expect(recovered.status).toBe('healthy');
      expect(recovered.latency.baselineMs).toBeCloseTo(0.2 * 12_000 + 0.8 * 3_500, 9);
      expect(transitions()).toEqual(['yahoo:healthy->degraded', 'yahoo:degraded->healthy']);
    });

    it('judges a fast provider against the floor so jitter of tens of milliseconds is not degraded', () => {
      const { monitor, clock } = setup({ thresholds: { latencyFactor: 2 }, latencyFloorMs: 250 });
      steady(monitor, clock, 30, 61);
      steady(monitor, clock, 400, 5);
      expect(monitor.assessment('yahoo')).toMatchObject({ status: 'healthy', latency: { thresholdMs: 500 } });
      steady(monitor, clock, 900, 5);
      expect(monitor.assessment('yahoo').reasons).toEqual(['latency']);
    });
  });

  it('keeps memory bounded: at most maxSamples attempts per provider', () => {
    const { monitor, clock } = setup({ maxSamples: 16 });
    for (let i = 0; i < 1_000; i++) {
      clock.advance(10);
      monitor.recordAttempt('polygon', { ok: true, latencyMs: 50 });
    }
    expect(monitor.providerHealth('polygon').requests).toBe(16);
  });

  it('reports status changes and reason changes to their own listeners, and stops after dispose', () => {
    const { monitor } = setup();
    const reasons: string[] = [];
    const sub = monitor.onAssessmentChange((c) => reasons.push(c.reasons.join('+') || 'none'));
    monitor.setBreakerState('polygon', 'open');
    monitor.recordAttempt('polygon', { ok: false, latencyMs: 1, errorKind: 'auth' });
    monitor.recordAttempt('polygon', { ok: true, latencyMs: 1 });
    sub.dispose();
    monitor.setBreakerState('polygon', 'closed');
    expect(reasons).toEqual(['breaker_open', 'breaker_open+auth_failure', 'breaker_open']);
  });

  it('keeps recording when a listener throws, and warns', () => {
    const { monitor } = setup();
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    monitor.onStatusChange(() => {
      throw new Error('listener bug');
    });
    monitor.setBreakerState('polygon', 'open');
    expect(monitor.statuses().polygon).toBe('unhealthy');
    expect(warn).toHaveBeenCalledWith(
      'a health monitor listener threw: Error: listener bug',
      'StockadeListenerWarning',
    );
  });

  it('reports a disabled provider as not enabled', () => {
    const { monitor } = setup({ providers: ['polygon', { name: 'massive', enabled: false }] });
    expect(monitor.providerHealth('massive').enabled).toBe(false);
    monitor.setEnabled('massive', true);
    expect(monitor.providerHealth('massive').enabled).toBe(true);
    expect(monitor.providers()).toEqual(['polygon', 'massive']);
  });

  it('rejects unknown providers and bad options with a ValidationError that says what is wrong', () => {
    const { monitor } = setup();
    expect(() => monitor.recordAttempt('iex', { ok: true, latencyMs: 1 })).toThrow(
      /Unknown provider "iex" for the health monitor; known: polygon, yahoo/,
    );
    expect(() => monitor.recordAttempt('yahoo', { ok: true, latencyMs: Number.NaN })).toThrow(ValidationError);
    expect(() => setup({ thresholds: { degradedSuccessRate: 1.5 } })).toThrow(/thresholds\.degradedSuccessRate/);
    expect(() => setup({ thresholds: { degradedSuccessRate: 0.5, unhealthySuccessRate: 0.9 } })).toThrow(
      /must not exceed thresholds\.degradedSuccessRate/,
    );
    expect(() => setup({ windowMs: 0 })).toThrow(/windowMs must be a number > 0/);
    expect(() => setup({ providers: ['a', 'a'] })).toThrow(/"a" is listed twice/);
  });
});
