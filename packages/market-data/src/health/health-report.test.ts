import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HealthReport, manualClock, ValidationError } from '@stockade/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHealthMonitor } from './health-monitor.js';
import { buildHealthReport, type HealthReportOptions, type ProbeResult } from './health-report.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');

function setup() {
  const clock = manualClock(T0);
  const monitor = createHealthMonitor({
    providers: ['polygon', 'yahoo', { name: 'massive', enabled: false }],
    clock,
    windowMs: 60_000,
    thresholds: { consecutiveFailuresAlert: 3 },
  });
  const base: HealthReportOptions = { version: '0.1.0', startedAt: T0 - 90_000, clock, monitor };
  const failAll = (provider: string) => {
    for (let i = 0; i < 3; i++) monitor.recordAttempt(provider, { ok: false, latencyMs: 10, errorKind: 'unavailable' });
  };
  return { clock, monitor, base, failAll };
}

afterEach(() => {
  vi.useRealTimers();
});

describe('buildHealthReport', () => {
  it('level 1 is healthy while the process answers, even with every provider down', async () => {
    const { base, failAll } = setup();
    failAll('polygon');
    failAll('yahoo');
    const levels: number[] = [];
    const report = await buildHealthReport({
      ...base,
      redis: async ({ level }) => {
        levels.push(level);
        return { status: 'ok' };
      },
    });
    expect(HealthReport.parse(report)).toEqual(report);
    expect(report).toMatchObject({ status: 'healthy', level: 1, version: '0.1.0', uptimeMs: 90_000, checkedAt: T0 });
    expect(report.checks).toEqual([]);
    expect(report.providers.polygon?.status).toBe('unhealthy');
    expect(report.cache).toEqual({
      status: 'healthy',
      l1: { entries: 0, bytes: 0, hitRate: null },
      l2: { status: 'disabled', errors: 0 },
    });
    expect(levels).toEqual([1]);
  });

  it('level 2 is healthy with a valid config, usable providers and Redis up', async () => {
    const { base } = setup();
    const report = await buildHealthReport({
      ...base,
      level: 2,
      redis: async () => ({ status: 'ok', latencyMs: 0.4 }),
      configChecks: () => [{ name: 'config', status: 'ok', message: 'valid (profile production)' }],
    });
    expect(report.status).toBe('healthy');
    expect(report.checks.map((c) => `${c.name}=${c.status}`)).toEqual([
      'config=ok',
      'provider:polygon=ok',
      'provider:yahoo=ok',
      'providers=ok',
      'redis=ok',
    ]);
    expect(report.checks.find((c) => c.name === 'providers')?.message).toBe(
      '2 of 2 enabled providers usable: polygon, yahoo',
    );
  });

  it('level 2 is unhealthy with no usable provider, and healthy again once one recovers', async () => {
    const { base, monitor, failAll } = setup();
    failAll('polygon');
    monitor.recordAttempt('yahoo', { ok: false, latencyMs: 30, errorKind: 'auth', message: '401 Invalid API key' });
    const down = await buildHealthReport({ ...base, level: 2 });
    expect(down.status).toBe('unhealthy');
    expect(down.checks.find((c) => c.name === 'providers')).toMatchObject({
      status: 'fail',
      message: 'none of polygon, yahoo is usable right now',
    });
    expect(down.checks.find((c) => c.name === 'provider:yahoo')).toEqual({
      name: 'provider:yahoo',
      status: 'fail',
      message: 'authentication failed: 401 Invalid API key',
      fix: 'check providers.yahoo.apiKey and where it is set',
    });

    monitor.recordAttempt('polygon', { ok: true, latencyMs: 50 });
    const partly = await buildHealthReport({ ...base, level: 2 });
    expect(partly.status).toBe('degraded');
    monitor.recordAttempt('yahoo', { ok: true, latencyMs: 50 });
    expect((await buildHealthReport({ ...base, level: 2 })).status).toBe('healthy');
  });

  it('level 2 is unhealthy when a config check fails', async () => {
    const { base } = setup();
    const report = await buildHealthReport({
      ...base,
      level: 2,
      configChecks: () => [
        { name: 'config', status: 'fail', message: 'providers.polygon.apiKey missing', fix: 'set POLYGON_API_KEY' },
      ],
    });
    expect(report.status).toBe('unhealthy');
  });

  it('level 2 is degraded, not unhealthy, when configured Redis is down or does not answer', async () => {
    const { base } = setup();
    const down = await buildHealthReport({
      ...base,
      level: 2,
      redis: async () => {
        throw new Error('connect ECONNREFUSED 127.0.0.1:6390');
      },
    });
    expect(down.status).toBe('degraded');
    expect(down.redis).toEqual({ status: 'down' });
    expect(down.checks.find((c) => c.name === 'redis')).toMatchObject({ status: 'warn' });

    const up = await buildHealthReport({ ...base, level: 2, redis: async () => ({ status: 'disabled' }) });
    expect(up.status).toBe('healthy');
    expect(up.checks.some((c) => c.name === 'redis')).toBe(false);
  });

  describe('level 3 probes', () => {
    let server: Server;
    let url: string;
    beforeAll(async () => {
      server = createServer((req, res) => {
        if (req.url?.startsWith('/polygon?')) res.writeHead(200).end('{"status":"OK"}');
        else res.writeHead(401).end('{"error":"Unknown API Key"}');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    const httpProbe = async (provider: string, { signal }: { signal: AbortSignal }): Promise<ProbeResult> => {
      const res = await fetch(`${url}/${provider}?apikey=sk_secret_999`, { signal });
      await res.text();
      if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}/${provider}?apikey=sk_secret_999`);
      return { ok: true, latencyMs: 12 };
    };

    it('probes every enabled provider over HTTP and reports each result, keys redacted', async () => {
      const { base } = setup();
      const report = await buildHealthReport({ ...base, level: 3, probe: httpProbe });
      expect(report.status).toBe('degraded');
      expect(report.providers.polygon?.probe).toEqual({ ok: true, latencyMs: 12 });
      expect(report.providers.yahoo?.probe).toEqual({
        ok: false,
        latencyMs: 0,
        error: `HTTP 401 from ${url}/yahoo?apikey=[REDACTED]`,
      });
      expect(report.providers.massive?.probe).toBeUndefined();
      expect(report.checks.find((c) => c.name === 'provider:yahoo')).toMatchObject({
        status: 'fail',
        message: `probe failed: HTTP 401 from ${url}/yahoo?apikey=[REDACTED]`,
      });
      expect(report.checks.find((c) => c.name === 'providers')?.message).toBe(
        '1 of 2 enabled providers usable: polygon',
      );
    });

    it('is unhealthy when no probe succeeds', async () => {
      const { base } = setup();
      const report = await buildHealthReport({
        ...base,
        level: 3,
        probe: (p, o) => httpProbe(p === 'polygon' ? 'nope' : p, o),
      });
      expect(report.status).toBe('unhealthy');
    });
  });

  it('gives up on a probe that does not answer within the timeout, aborting it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { base } = setup();
    const aborted: unknown[] = [];
    const pending = buildHealthReport({
      ...base,
      level: 3,
      timeoutMs: 2_000,
      probe: (provider, { signal }) =>
        provider === 'polygon'
          ? Promise.resolve({ ok: true, latencyMs: 5 })
          : new Promise((_, reject) =>
              signal.addEventListener('abort', () => {
                aborted.push(signal.reason);
                reject(signal.reason);
              }),
            ),
    });
    await vi.advanceTimersByTimeAsync(2_000);
    const report = await pending;
    expect(report.providers.yahoo?.probe).toEqual({ ok: false, latencyMs: 2_000, error: 'no answer within 2000 ms' });
    expect(report.status).toBe('degraded');
    expect(aborted).toHaveLength(1);
    expect(aborted[0]).toMatchObject({ code: 'TIMEOUT', timeoutMs: 2_000 });
  });

  it('rejects with the signal’s reason when aborted while probes hang', async () => {
    const { base } = setup();
    const controller = new AbortController();
    const reason = new Error('client went away');
    const pending = buildHealthReport({
      ...base,
      level: 3,
      signal: controller.signal,
      probe: (_p, { signal }) =>
        new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    });
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });

  it('rejects bad input with a ValidationError that says what to fix', async () => {
    const { base } = setup();
    await expect(buildHealthReport({ ...base, level: 3 })).rejects.toThrow(/level 3 needs a probe function/);
    await expect(
      buildHealthReport({
        ...base,
        cache: () => ({
          status: 'healthy',
          l1: { entries: -1, bytes: 0, hitRate: null },
          l2: { status: 'ok', errors: 0 },
        }),
      }),
    ).rejects.toThrow(ValidationError);
    await expect(buildHealthReport({ ...base, level: 4 as 1 })).rejects.toThrow(/level must be 1, 2 or 3/);
  });
});
