import type { Clock } from '@stockade/core';
import type { HealthMonitor } from '../health/health-monitor.js';
import type { ProviderRuntime } from './provider-runtime.js';

/** Options of {@link createRecoveryProber}. */
export interface RecoveryProberOptions {
  /** The providers. */
  runtimes: readonly ProviderRuntime[];
  /** Live health. */
  monitor: HealthMonitor;
  /** Time source. */
  clock: Clock;
  /** Wait this long after a provider's last failure before trying it again (the breaker's half-open delay). */
  retryAfterMs: number;
  /** Aborts probes in flight when the manager closes. */
  signal: AbortSignal;
}

/**
 * Brings failed providers back. Traffic goes to healthy providers first, so a provider marked
 * unhealthy would never be asked again while another answers: once its breaker is ready to
 * half-open (or, with the breaker closed, `retryAfterMs` after its last failure), one cheap probe
 * goes through its pipeline. A success closes the breaker and clears its failure streak and
 * alerts; a failure waits for the next turn.
 */
export function createRecoveryProber(o: RecoveryProberOptions): { tick(): void } {
  const probing = new Set<string>();
  return {
    tick() {
      const now = o.clock.now();
      for (const r of o.runtimes) {
        if (probing.has(r.name) || o.signal.aborted) continue;
        const health = o.monitor.providerHealth(r.name);
        if (health.status !== 'unhealthy') continue;
        const state = r.breaker.state;
        if (state === 'isolated' || state === 'half_open') continue;
        const due =
          state === 'open'
            ? r.breaker.retryAt !== undefined && now >= r.breaker.retryAt
            : health.lastError !== undefined && now - health.lastError.at >= o.retryAfterMs;
        if (!due) continue;
        probing.add(r.name);
        r.pipeline
          .execute(
            async ({ signal }) => {
              const result = await r.provider.probe({ signal });
              if (!result.ok) throw result.error;
              return result;
            },
            { signal: o.signal, operation: 'probe' },
          )
          // The outcome reaches health through the pipeline's attempt events; nothing to do here.
          .catch(() => {})
          .finally(() => probing.delete(r.name));
      }
    },
  };
}
