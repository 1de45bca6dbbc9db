import { manualClock, type SdkEvent, SdkEvent as SdkEventSchema, ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { alertId, createAlertCenter } from './alert-center.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');

function setup() {
  const clock = manualClock(T0);
  const events: SdkEvent[] = [];
  const alerts = createAlertCenter({ clock, emit: (e) => events.push(SdkEventSchema.parse(e)) });
  return { clock, events, alerts };
}

describe('createAlertCenter', () => {
  it('raises an alert once, however often the condition is seen, and clears it once', () => {
    const { alerts, events, clock } = setup();
    const raised = alerts.raise({ type: 'latency', subject: 'polygon', severity: 'warning', message: 'slow' });
    expect(raised).toEqual({
      id: 'latency:polygon',
      type: 'latency',
      subject: 'polygon',
      severity: 'warning',
      message: 'slow',
      at: T0,
    });
    clock.advance(1_000);
    expect(alerts.raise({ type: 'latency', subject: 'polygon', severity: 'warning', message: 'still slow' })).toBe(
      undefined,
    );
    expect(alerts.isActive('latency', 'polygon')).toBe(true);
    expect(alerts.clear('latency', 'polygon', 'fast again')).toBe(true);
    expect(alerts.clear('latency', 'polygon', 'fast again')).toBe(false);
    expect(alerts.isActive('latency', 'polygon')).toBe(false);
    expect(events).toEqual([
      { schemaVersion: 1, type: 'alert.raised', at: T0, alert: raised },
      {
        schemaVersion: 1,
        type: 'alert.cleared',
        at: T0 + 1_000,
        alertId: 'latency:polygon',
        alertType: 'latency',
        subject: 'polygon',
        message: 'fast again',
      },
    ]);
  });

  it('keeps alerts of different subjects and types apart, and one without a subject under its type', () => {
    const { alerts } = setup();
    alerts.raise({ type: 'latency', subject: 'polygon', severity: 'warning', message: 'a' });
    alerts.raise({ type: 'latency', subject: 'yahoo', severity: 'warning', message: 'b' });
    alerts.raise({ type: 'quota_low', subject: 'yahoo', severity: 'warning', message: 'c' });
    alerts.raise({ type: 'redis_down', severity: 'warning', message: 'd' });
    expect(alerts.active().map((a) => a.id)).toEqual([
      'latency:polygon',
      'latency:yahoo',
      'quota_low:yahoo',
      'redis_down',
    ]);
    expect(alerts.activeByType()).toEqual({ latency: 2, quota_low: 1, redis_down: 1 });
    expect(alertId('redis_down')).toBe('redis_down');
  });

  it('redacts keys from messages before they leave', () => {
    const { alerts, events } = setup();
    alerts.raise({
      type: 'auth_failure',
      subject: 'alphavantage',
      severity: 'critical',
      message: 'We have detected your API key as DEMO12345 and our standard API rate limit is 25 requests per day.',
    });
    alerts.clear('auth_failure', 'alphavantage', 'GET /query?function=GLOBAL_QUOTE&apikey=DEMO12345 answered');
    expect(
      events.map((e) => (e.type === 'alert.raised' ? e.alert.message : e.type === 'alert.cleared' ? e.message : '')),
    ).toEqual([
      'We have detected your API key as [REDACTED] and our standard API rate limit is 25 requests per day.',
      'GET /query?function=GLOBAL_QUOTE&apikey=[REDACTED] answered',
    ]);
  });

  it('rejects an alert that does not fit the schema, naming the field', () => {
    const { alerts, events } = setup();
    expect(() => alerts.raise({ type: 'meltdown' as 'latency', severity: 'warning', message: 'x' })).toThrow(
      ValidationError,
    );
    expect(() => alerts.raise({ type: 'latency', severity: 'loud' as 'warning', message: 'x' })).toThrow(/severity/);
    expect(events).toEqual([]);
    expect(alerts.active()).toEqual([]);
    expect(() => createAlertCenter({} as never)).toThrow(/emit must be a function/);
  });
});
