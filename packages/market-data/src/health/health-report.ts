import {
  type Clock,
  type HealthCheck,
  HealthReport,
  type HealthStatus,
  type ProviderHealth,
  redact,
  systemClock,
  TimeoutError,
  ValidationError,
} from '@stockade/core';
import { describeProvider } from './describe-provider.js';
import type { HealthMonitor } from './health-monitor.js';

/** 1 liveness, 2 readiness, 3 deep. */
export type HealthLevel = 1 | 2 | 3;

/** What a level-3 probe of one provider found. */
export interface ProbeResult {
  /** Whether the provider answered the cheap request correctly. */
  ok: boolean;
  /** How long it took, ms. */
  latencyMs: number;
  /** What went wrong (redacted before it is reported). */
  error?: string;
}

/** The cache section of a `HealthReport`. */
export type CacheHealth = HealthReport['cache'];
/** The Redis section of a `HealthReport`. */
export type RedisHealth = HealthReport['redis'];

/** Options of {@link buildHealthReport}. */
export interface HealthReportOptions {
  /** Which level to check. @default 1 */
  level?: HealthLevel;
  /** SDK version reported. */
  version: string;
  /** When the manager was created, epoch ms (for `uptimeMs`). */
  startedAt: number;
  /** Source of time. @default systemClock */
  clock?: Clock;
  /** The per-provider health monitor. */
  monitor: HealthMonitor;
  /** The cache's state. @default an empty L1 and no L2 */
  cache?: () => CacheHealth;
  /** Redis's state; called at every level (at level 1 it may answer from the connection state without a ping). @default disabled */
  redis?: (options: { signal: AbortSignal; level: HealthLevel }) => Promise<RedisHealth>;
  /** Configuration checks shown at levels 2 and 3; a `fail` makes the report unhealthy. @default none */
  configChecks?: () => readonly HealthCheck[];
  /** A cheap request to one provider (level 3; required there). */
  probe?: (provider: string, options: { signal: AbortSignal }) => Promise<ProbeResult>;
  /** Time limit of each probe and of the Redis check, ms. @default 5_000 */
  timeoutMs?: number;
  /** Abandons the report: it rejects with the signal's reason. */
  signal?: AbortSignal;
}

const emptyCache: CacheHealth = {
  status: 'healthy',
  l1: { entries: 0, bytes: 0, hitRate: null },
  l2: { status: 'disabled', errors: 0 },
};

/**
 * Builds a `HealthReport`, validated with core's schema.
 *
 * - Level 1 (liveness): `healthy` whenever the process can answer; providers, cache and Redis are
 *   reported but not judged.
 * - Level 2 (readiness): `unhealthy` when a config check fails or no enabled provider is usable
 *   (usable: enabled and not unhealthy); otherwise `degraded` when any check warns or fails (a
 *   provider degraded or unhealthy while another serves, Redis configured but degraded or down —
 *   the SDK then runs on L1 alone —, the cache degraded); else `healthy`.
 * - Level 3 (deep): level 2 plus a probe of every enabled provider, in parallel, each within
 *   `timeoutMs`; a provider whose probe fails is not usable.
 *
 * @example
 * const report = await buildHealthReport({ level: 2, version: '0.1.0', startedAt, monitor });
 * res.statusCode = report.status === 'unhealthy' ? 503 : 200;
 */
export async function buildHealthReport(options: HealthReportOptions): Promise<HealthReport> {
  const level = options.level ?? 1;
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { monitor, signal } = options;
  if (level !== 1 && level !== 2 && level !== 3) {
    throw new ValidationError(`buildHealthReport: level must be 1, 2 or 3, got ${String(level)}`, [
      { path: 'level', message: 'expected 1, 2 or 3' },
    ]);
  }
  if (level === 3 && options.probe === undefined) {
    throw new ValidationError('buildHealthReport: level 3 needs a probe function', [
      { path: 'probe', message: 'required at level 3' },
    ]);
  }
  signal?.throwIfAborted();

  const providers: Record<string, ProviderHealth> = {};
  for (const name of monitor.providers()) providers[name] = monitor.providerHealth(name);
  const enabled = Object.keys(providers).filter((p) => providers[p]?.enabled);

  const redisCheck =
    options.redis === undefined
      ? Promise.resolve<RedisHealth>({ status: 'disabled' })
      : withTimeout(
          (s) => options.redis!({ signal: s, level }),
          timeoutMs,
          signal,
          (): RedisHealth => ({ status: 'down' }),
        );
  const probes =
    level === 3
      ? Promise.all(
          enabled.map((p) => {
            const started = clock.now();
            return withTimeout(
              (s) => options.probe!(p, { signal: s }),
              timeoutMs,
              signal,
              (err): ProbeResult => ({
                ok: false,
                latencyMs: err === 'timeout' ? timeoutMs : Math.max(0, clock.now() - started),
                error: failureText(err, timeoutMs),
              }),
            );
          }),
        )
      : Promise.resolve([]);
  const [redis, probeResults] = await abortable(Promise.all([redisCheck, probes]), signal);
  probeResults.forEach((r, i) => {
    const health = providers[enabled[i] as string] as ProviderHealth;
    health.probe = { ok: r.ok, latencyMs: r.latencyMs, ...(r.error === undefined ? {} : { error: redact(r.error) }) };
    // A provider that cannot answer a cheap probe right now is not healthy, whatever its history says.
    if (!r.ok) health.status = 'unhealthy';
  });

  const cache = options.cache?.() ?? emptyCache;
  const checks: HealthCheck[] = [];
  let status: HealthStatus = 'healthy';
  if (level > 1) {
    const configChecks = options.configChecks?.() ?? [];
    checks.push(...configChecks);
    for (const name of enabled) checks.push(describeProvider(monitor.assessment(name), providers[name]?.probe));
    const usable = enabled.filter((p) => providers[p]?.status !== 'unhealthy' && providers[p]?.probe?.ok !== false);
    checks.push(
      usable.length > 0
        ? {
            name: 'providers',
            status: 'ok',
            message: `${usable.length} of ${enabled.length} enabled providers usable: ${usable.join(', ')}`,
          }
        : {
            name: 'providers',
            status: 'fail',
            message:
              enabled.length === 0 ? 'no provider is enabled' : `none of ${enabled.join(', ')} is usable right now`,
            fix: 'enable a provider in config (providers.<name>.enabled) or fix the failing ones listed above',
          },
    );
    if (redis.status !== 'disabled') checks.push(redisHealthCheck(redis));
    if (cache.status !== 'healthy') {
      checks.push({ name: 'cache', status: 'warn', message: `cache is ${cache.status} (L2 ${cache.l2.status})` });
    }
    if (configChecks.some((c) => c.status === 'fail') || usable.length === 0) status = 'unhealthy';
    else if (checks.some((c) => c.status !== 'ok')) status = 'degraded';
  }

  const report = {
    status,
    level,
    version: options.version,
    uptimeMs: Math.max(0, clock.now() - options.startedAt),
    providers,
    cache,
    redis,
    checks,
    checkedAt: Math.round(clock.now()),
  };
  const parsed = HealthReport.safeParse(report);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new ValidationError(
      `buildHealthReport: the report does not match core's HealthReport schema — ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')} (check what the cache, redis and probe callbacks return)`,
      issues,
    );
  }
  return parsed.data;
}

function redisHealthCheck(redis: RedisHealth): HealthCheck {
  const latency = redis.latencyMs === undefined ? '' : ` (${Math.round(redis.latencyMs)} ms)`;
  if (redis.status === 'ok') return { name: 'redis', status: 'ok', message: `reachable${latency}` };
  return {
    name: 'redis',
    status: 'warn',
    message: `Redis is ${redis.status}${latency}: serving from the in-process cache only, nothing shared across processes`,
    fix: 'check cache.redisUrl and that the Redis server is running and reachable',
  };
}

function failureText(err: unknown, timeoutMs: number): string {
  if (err === 'timeout') return `no answer within ${timeoutMs} ms`;
  return err instanceof Error ? err.message : String(err);
}

/**
 * Runs `task` with its own signal, aborted after `timeoutMs` or with `outer`. A timeout or a
 * failure of the task resolves to `onFailure(...)`; the outer signal is handled by the caller.
 */
async function withTimeout<T>(
  task: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  outer: AbortSignal | undefined,
  onFailure: (err: unknown) => T,
): Promise<T> {
  const controller = new AbortController();
  const forward = () => controller.abort(outer?.reason);
  outer?.addEventListener('abort', forward, { once: true });
  let timer: NodeJS.Timeout | undefined;
  let expired = false;
  const timedOut = new Promise<T>((resolve) => {
    timer = setTimeout(() => {
      expired = true;
      controller.abort(new TimeoutError(`health check timed out after ${timeoutMs} ms`, timeoutMs));
      resolve(onFailure('timeout'));
    }, timeoutMs);
    timer.unref();
  });
  try {
    let run: Promise<T>;
    try {
      run = task(controller.signal);
    } catch (err) {
      run = Promise.reject(err);
    }
    return await Promise.race([run.catch((err) => onFailure(expired ? 'timeout' : err)), timedOut]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', forward);
  }
}

/** Rejects with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
