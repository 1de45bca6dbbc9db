import {
  type BreakerState,
  type Clock,
  type HealthStatus,
  type ProviderHealth,
  redact,
  systemClock,
  ValidationError,
} from '@stockade/core';
import { type AttemptWindow, attemptWindow } from './attempt-window.js';
import { type HealthSubscription, listenerSet } from './health-listeners.js';
import {
  type HealthThresholdsInput,
  type ResolvedHealthThresholds,
  resolveHealthThresholds,
} from './health-thresholds.js';
import { type LatencyBaseline, latencyBaseline } from './latency-baseline.js';
import { assessProvider, type HealthReason, type ProviderAssessment, sameReasons } from './provider-assessment.js';

/** Options of {@link createHealthMonitor}. */
export interface HealthMonitorOptions {
  /** The providers watched: names, or `{ name, enabled }` (a disabled one is reported but never counted as usable). */
  providers: ReadonlyArray<string | { name: string; enabled?: boolean }>;
  /** Source of time. @default systemClock */
  clock?: Clock;
  /** Length of the rolling window, and the period at which the latency baseline learns, ms. @default 300_000 */
  windowMs?: number;
  /** Attempts kept per provider (memory bound). @default 1024 */
  maxSamples?: number;
  /** Thresholds, same field names as core's `health` config (pass `config.health`). @default the development profile's */
  thresholds?: HealthThresholdsInput;
  /** Attempts in the window before the success rate and latency are judged. @default 10 */
  minRequests?: number;
  /** Weight of each new window's p95 in the latency baseline (see `latencyBaseline`). @default 0.2 */
  baselineAlpha?: number;
  /** Floor of the latency baseline, ms. @default 250 */
  latencyFloorMs?: number;
  /** Where each provider's cost so far comes from (a `CostTracker` fits). @default every cost 0 */
  cost?: { total(provider: string): number };
}

/** One attempt's outcome, as the manager reports it after each provider call. */
export interface AttemptOutcome {
  /** Whether the provider answered usefully. */
  ok: boolean;
  /** How long the attempt took, ms. */
  latencyMs: number;
  /** The `ProviderError` kind of a failure (`auth`, `timeout`…). @default 'unknown' */
  errorKind?: string;
  /** A failure's message; redacted before it is kept. @default the kind */
  message?: string;
  /** When it ended, epoch ms. @default clock.now() */
  at?: number;
}

/** A provider's status or reasons changed. */
export interface ProviderHealthChange {
  /** Provider name. */
  provider: string;
  /** Status before. */
  from: HealthStatus;
  /** Status now. */
  to: HealthStatus;
  /** Reasons before. */
  previousReasons: readonly HealthReason[];
  /** Reasons now. */
  reasons: readonly HealthReason[];
  /** The full assessment now. */
  assessment: ProviderAssessment;
}

/** Per-provider health over a rolling window; see {@link createHealthMonitor}. */
export interface HealthMonitor {
  /** Records one provider attempt. O(window) scan, a sort only every 16 attempts; no timer. */
  recordAttempt(provider: string, outcome: AttemptOutcome): void;
  /** Reports the provider's breaker state (call it from the breaker's state event). */
  setBreakerState(provider: string, state: BreakerState): void;
  /** Reports calls left in the provider's tightest quota (null: unlimited) and, once known, that quota's limit. */
  setQuotaLeft(provider: string, left: number | null, limit?: number): void;
  /** Records whether a consensus answer accepted (`true`) or rejected as an outlier (`false`) this provider's price. */
  recordConsensus(provider: string, accepted: boolean): void;
  /** Enables or disables a provider (after a config reload). */
  setEnabled(provider: string, enabled: boolean): void;
  /** The provider's health as core's `ProviderHealth`, judged now. */
  providerHealth(provider: string): ProviderHealth;
  /** The provider's full assessment (facts, status, reasons), judged now. */
  assessment(provider: string): ProviderAssessment;
  /** Every provider's status, judged now. */
  statuses(): Record<string, HealthStatus>;
  /** Re-judges every provider now; a periodic call lets failures age out of the window with no new traffic. */
  refresh(): void;
  /** The providers watched, in the order given. */
  providers(): readonly string[];
  /** The thresholds in force. */
  readonly thresholds: Readonly<ResolvedHealthThresholds>;
  /** Called when a provider's status changes. */
  onStatusChange(listener: (change: ProviderHealthChange) => void): HealthSubscription;
  /** Called when a provider's status or any of its reasons changes (what the alert rules follow). */
  onAssessmentChange(listener: (change: ProviderHealthChange) => void): HealthSubscription;
}

interface ProviderState {
  enabled: boolean;
  window: AttemptWindow;
  baseline: LatencyBaseline;
  periodStart: number;
  consecutiveFailures: number;
  lastError: { kind: string; at: number; message: string } | undefined;
  breaker: BreakerState;
  quotaLeft: number | null;
  quotaLimit: number | null;
  outlierStreak: number;
  last: ProviderAssessment;
}

/**
 * Creates a {@link HealthMonitor}. Each provider is judged from its last `windowMs` of attempts,
 * its consecutive failures, breaker state and quota, with the rules of `assessProvider`.
 *
 * Latency is judged against an adaptive baseline: every `windowMs` the window's p95 is folded into
 * a slow moving average, and p95 above `max(baseline, latencyFloorMs) × latencyFactor` is
 * degraded. Nothing is judged slow before the first window has been learned.
 *
 * Memory is fixed: `maxSamples` attempts per provider in typed-array rings.
 *
 * @example
 * const monitor = createHealthMonitor({ providers: ['polygon', 'yahoo'], thresholds: config.health });
 * monitor.onStatusChange((c) => log.warn(c, `${c.provider} is ${c.to}`));
 * monitor.recordAttempt('polygon', { ok: false, latencyMs: 5_000, errorKind: 'timeout' });
 * monitor.providerHealth('polygon').consecutiveFailures; // 1
 */
export function createHealthMonitor(options: HealthMonitorOptions): HealthMonitor {
  const clock = options.clock ?? systemClock;
  const windowMs = options.windowMs ?? 300_000;
  const capacity = options.maxSamples ?? 1024;
  const thresholds = resolveHealthThresholds(options.thresholds, options.minRequests ?? 10, 'createHealthMonitor');
  checkPositive('windowMs', windowMs);
  checkPositive('maxSamples', capacity);
  const alpha = options.baselineAlpha ?? 0.2;
  if (!(alpha > 0 && alpha <= 1)) invalid('baselineAlpha', `must be in (0, 1], got ${String(alpha)}`);
  const floorMs = options.latencyFloorMs ?? 250;
  if (!(floorMs >= 0)) invalid('latencyFloorMs', `must be ≥ 0, got ${String(floorMs)}`);
  if (!Array.isArray(options.providers)) invalid('providers', 'expected an array of provider names');

  const states = new Map<string, ProviderState>();
  const statusListeners = listenerSet<ProviderHealthChange>();
  const changeListeners = listenerSet<ProviderHealthChange>();
  const start = clock.now();
  for (const p of options.providers) {
    const name = typeof p === 'string' ? p : p.name;
    if (typeof name !== 'string' || name === '') invalid('providers', 'every provider needs a non-empty name');
    if (states.has(name)) invalid('providers', `"${name}" is listed twice`);
    const fresh: Omit<ProviderState, 'last'> = {
      enabled: typeof p === 'string' ? true : p.enabled !== false,
      window: attemptWindow({ windowMs, capacity }),
      baseline: latencyBaseline({ alpha, floorMs }),
      periodStart: start,
      consecutiveFailures: 0,
      lastError: undefined,
      breaker: 'closed',
      quotaLeft: null,
      quotaLimit: null,
      outlierStreak: 0,
    };
    states.set(name, Object.assign(fresh, { last: judge(name, fresh, start, true) }));
  }

  function stateOf(provider: string): ProviderState {
    const state = states.get(provider);
    if (state === undefined) {
      throw new ValidationError(
        `Unknown provider "${provider}" for the health monitor; known: ${[...states.keys()].join(', ') || 'none'}`,
        [{ path: 'provider', message: 'not one of the monitored providers' }],
      );
    }
    return state;
  }

  function judge(provider: string, s: Omit<ProviderState, 'last'>, now: number, fresh: boolean): ProviderAssessment {
    if (now - s.periodStart >= windowMs) {
      // Learn from the window that just ended before judging the present against it.
      const ended = s.window.stats(now, true);
      if (ended.p95 !== null && ended.latencySamples >= thresholds.minRequests) s.baseline.fold(ended.p95);
      s.periodStart = now;
    }
    return assessProvider(
      {
        provider,
        enabled: s.enabled,
        stats: s.window.stats(now, fresh),
        consecutiveFailures: s.consecutiveFailures,
        lastError: s.lastError,
        breaker: s.breaker,
        quota: { left: s.quotaLeft, limit: s.quotaLimit },
        outlierStreak: s.outlierStreak,
        latency: { baselineMs: s.baseline.valueMs, thresholdMs: s.baseline.thresholdMs(thresholds.latencyFactor) },
        at: now,
      },
      thresholds,
    );
  }

  function evaluate(provider: string, s: ProviderState, fresh: boolean): ProviderAssessment {
    const now = clock.now();
    const next = judge(provider, s, now, fresh);
    const prev = s.last;
    s.last = next;
    if (prev.status === next.status && sameReasons(prev.reasons, next.reasons)) return next;
    const change: ProviderHealthChange = {
      provider,
      from: prev.status,
      to: next.status,
      previousReasons: prev.reasons,
      reasons: next.reasons,
      assessment: next,
    };
    changeListeners.notify(change);
    if (prev.status !== next.status) statusListeners.notify(change);
    return next;
  }

  return {
    recordAttempt(provider, outcome) {
      const s = stateOf(provider);
      const latency = outcome.latencyMs;
      if (!(Number.isFinite(latency) && latency >= 0))
        invalid('latencyMs', `must be a finite number ≥ 0, got ${latency}`);
      const at = Math.round(outcome.at ?? clock.now());
      s.window.record(at, outcome.ok, latency);
      if (outcome.ok) {
        s.consecutiveFailures = 0;
      } else {
        s.consecutiveFailures++;
        const kind = outcome.errorKind ?? 'unknown';
        s.lastError = { kind, at, message: redact(outcome.message ?? kind) };
      }
      evaluate(provider, s, false);
    },
    setBreakerState(provider, state) {
      const s = stateOf(provider);
      if (s.breaker === state) return;
      s.breaker = state;
      evaluate(provider, s, false);
    },
    setQuotaLeft(provider, left, limit) {
      const s = stateOf(provider);
      if (left !== null && !(left >= 0)) invalid('quotaLeft', `must be ≥ 0 or null, got ${String(left)}`);
      if (limit !== undefined && !(limit > 0)) invalid('limit', `must be > 0, got ${String(limit)}`);
      s.quotaLeft = left;
      if (limit !== undefined) s.quotaLimit = limit;
      evaluate(provider, s, false);
    },
    recordConsensus(provider, accepted) {
      const s = stateOf(provider);
      const streak = accepted ? 0 : s.outlierStreak + 1;
      if (streak === s.outlierStreak) return;
      s.outlierStreak = streak;
      evaluate(provider, s, false);
    },
    setEnabled(provider, enabled) {
      const s = stateOf(provider);
      s.enabled = enabled;
      evaluate(provider, s, false);
    },
    providerHealth(provider) {
      const a = evaluate(provider, stateOf(provider), true);
      const health: ProviderHealth = {
        status: a.status,
        enabled: a.enabled,
        requests: a.stats.requests,
        successRate: a.stats.successRate,
        latencyMs: { p50: a.stats.p50, p95: a.stats.p95, p99: a.stats.p99 },
        consecutiveFailures: a.consecutiveFailures,
        breaker: a.breaker,
        quotaLeft: a.quota.left,
        cost: options.cost?.total(provider) ?? 0,
      };
      if (a.lastError !== undefined) health.lastError = { ...a.lastError };
      return health;
    },
    assessment(provider) {
      return evaluate(provider, stateOf(provider), true);
    },
    statuses() {
      const out: Record<string, HealthStatus> = {};
      for (const [name, s] of states) out[name] = evaluate(name, s, true).status;
      return out;
    },
    refresh() {
      for (const [name, s] of states) evaluate(name, s, true);
    },
    providers: () => [...states.keys()],
    thresholds: Object.freeze({ ...thresholds }),
    onStatusChange: (listener) => statusListeners.subscribe(listener),
    onAssessmentChange: (listener) => changeListeners.subscribe(listener),
  };
}

function checkPositive(field: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) invalid(field, `must be a number > 0, got ${String(value)}`);
}

function invalid(field: string, message: string): never {
  throw new ValidationError(`createHealthMonitor: ${field} ${message}`, [{ path: field, message }]);
}
