import { manualClock, type SdkEvent, SdkEvent as SdkEventSchema } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { createHealthMonitor, type HealthMonitorOptions } from '../health/health-monitor.js';
import { createAlertCenter } from './alert-center.js';
import { createAlertRules } from './alert-rules.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');

function setup(overrides: Partial<HealthMonitorOptions> = {}) {
  const clock = manualClock(T0);
  const monitor = createHealthMonitor({
    providers: ['massive', 'yahoo'],
    clock,
    windowMs: 60_000,
    thresholds: { consecutiveFailuresAlert: 3, latencyFactor: 3, quotaWarnRatio: 0.8 },
    ...overrides,
  });
  const events: SdkEvent[] = [];
  const alerts = createAlertCenter({ clock, emit: (e) => events.push(SdkEventSchema.parse(e)) });
  const rules = createAlertRules({
    monitor,
    alerts,
    keySourceOf: (p) => (p === 'massive' ? 'env MASSIVE_API_KEY' : undefined),
  });
  const log = () =>
    events.map((e) =>
      e.type === 'alert.raised' ? `+${e.alert.id}` : e.type === 'alert.cleared' ? `-${e.alertId}` : e.type,
    );
  const messages = () =>
    events.map((e) => (e.type === 'alert.raised' ? e.alert.message : e.type === 'alert.cleared' ? e.message : ''));
  return { clock, monitor, alerts, rules, events, log, messages };
}

describe('createAlertRules', () => {
  it('raises consecutive_failures once at N failures and clears it on the next success', () => {
    const { monitor, log, messages } = setup();
    for (let i = 0; i < 6; i++) {
      monitor.recordAttempt('yahoo', {
        ok: false,
        latencyMs: 5_000,
        errorKind: 'timeout',
        message: 'no answer in 5000 ms',
      });
    }
    expect(log()).toEqual(['+consecutive_failures:yahoo']);
    monitor.recordAttempt('yahoo', { ok: true, latencyMs: 90 });
    expect(log()).toEqual(['+consecutive_failures:yahoo', '-consecutive_failures:yahoo']);
    expect(messages()).toEqual([
      'yahoo: 3 consecutive failures, the last timeout: no answer in 5000 ms',
      'yahoo: answering again',
    ]);
  });

  it('raises auth_failure on the first 401, naming the config path and the key source, and clears it', () => {
    const { monitor, log, messages, alerts } = setup();
    monitor.recordAttempt('massive', { ok: false, latencyMs: 40, errorKind: 'auth', message: '401 Unknown API Key' });
    expect(alerts.active()).toMatchObject([{ id: 'auth_failure:massive', severity: 'critical' }]);
    expect(messages()[0]).toBe(
      'massive: authentication failed (401 Unknown API Key) — check providers.massive.apiKey, set from env MASSIVE_API_KEY',
    );
    monitor.recordAttempt('yahoo', { ok: false, latencyMs: 40, errorKind: 'auth', message: 'Invalid Crumb' });
    expect(messages()[1]).toBe(
      'yahoo: authentication failed (Invalid Crumb) — check providers.yahoo.apiKey (no key source recorded)',
    );
    // Both keys rejected: nothing can serve, which is its own alert.
    monitor.recordAttempt('massive', { ok: true, latencyMs: 40 });
    expect(log()).toEqual([
      '+auth_failure:massive',
      '+auth_failure:yahoo',
      '+all_providers_down',
      '-auth_failure:massive',
      '-all_providers_down',
    ]);
    expect(messages().slice(3)).toEqual(['massive: authentication works again', 'massive is usable again']);
  });

  it('raises latency when p95 passes the adaptive threshold and clears it when it is back under', () => {
    const { monitor, clock, log, messages } = setup({ providers: ['yahoo'] });
    const steady = (ms: number, n: number) => {
      for (let i = 0; i < n; i++) {
        clock.advance(1_000);
        monitor.recordAttempt('yahoo', { ok: true, latencyMs: ms });
      }
    };
    steady(800, 61);
    steady(9_000, 4);
    monitor.refresh();
    expect(log()).toEqual(['+latency:yahoo']);
    expect(messages()[0]).toBe('yahoo: p95 latency 9000 ms is above 2400 ms (3× its usual 800 ms)');
    // Once the slow answers have left the 60 s window.
    steady(800, 60);
    monitor.refresh();
    expect(log()).toEqual(['+latency:yahoo', '-latency:yahoo']);
  });

  it('raises quota_low when the tightest quota is nearly spent and clears it when it refills', () => {
    const { monitor, log, messages } = setup();
    monitor.setQuotaLeft('massive', 30, 100);
    monitor.setQuotaLeft('massive', 12);
    monitor.setQuotaLeft('massive', 3);
    monitor.setQuotaLeft('massive', 100);
    expect(log()).toEqual(['+quota_low:massive', '-quota_low:massive']);
    expect(messages()).toEqual([
      'massive: 12 of 100 calls left in its tightest quota (warns at 80% used)',
      'massive: quota no longer nearly spent (100 calls left)',
    ]);
  });

  it('raises all_providers_down when every enabled provider is unhealthy and clears it when one recovers', () => {
    const { monitor, log, messages } = setup({ providers: ['massive', 'yahoo', { name: 'polygon', enabled: false }] });
    monitor.setBreakerState('massive', 'open');
    expect(log()).toEqual([]);
    monitor.setBreakerState('yahoo', 'open');
    expect(log()).toEqual(['+all_providers_down']);
    expect(messages()[0]).toBe('every enabled provider is unhealthy (massive, yahoo): only cached data can be served');
    monitor.setBreakerState('yahoo', 'half_open');
    expect(log()).toEqual(['+all_providers_down', '-all_providers_down']);
    expect(messages()[1]).toBe('yahoo is usable again');
  });

  it('raises conditions already present when the rules start', () => {
    const clock = manualClock(T0);
    const monitor = createHealthMonitor({ providers: ['yahoo'], clock, thresholds: { quotaWarnRatio: 0.9 } });
    monitor.setQuotaLeft('yahoo', 5, 100);
    monitor.setBreakerState('yahoo', 'open');
    const events: SdkEvent[] = [];
    const alerts = createAlertCenter({ clock, emit: (e) => events.push(e) });
    const rules = createAlertRules({ monitor, alerts });
    expect(alerts.active().map((a) => a.id)).toEqual(['quota_low:yahoo', 'all_providers_down']);
    rules.dispose();
    monitor.setBreakerState('yahoo', 'closed');
    expect(alerts.active()).toHaveLength(2);
  });
});
