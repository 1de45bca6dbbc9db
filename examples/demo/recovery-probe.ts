import {
  AllProvidersFailedError,
  CircuitOpenError,
  type HealthReport,
  isProviderError,
  RateLimitedError,
  type StockadeError,
} from '@stockade/core';
import type { MarketDataManager } from '@stockade/market-data';

/** What one probe found. */
export interface ProbeOutcome {
  /** Provider probed. */
  provider: string;
  /** Whether it answered with a quote. */
  ok: boolean;
  /** What happened, in a few words. */
  detail: string;
}

/** Options of {@link createRecoveryProbe}. */
export interface RecoveryProbeOptions {
  /** The manager whose unhealthy providers are probed. */
  md: MarketDataManager;
  /** A symbol every provider serves. @default 'SPY' */
  symbol?: string;
  /** Cycles between two probes of one provider. @default 1 */
  everyCycles?: number;
  /** Told about every probe that finishes. */
  onOutcome(outcome: ProbeOutcome): void;
}

/** Probes unhealthy providers in the background; see {@link createRecoveryProbe}. */
export interface RecoveryProbe {
  /** Starts a probe of each unhealthy provider that is due (never awaits it). */
  tick(cycle: number, report: HealthReport): void;
  /** Probes sent so far. */
  readonly sent: number;
  /** Waits for the probes in flight. */
  settle(): Promise<void>;
}

/**
 * Asks each unhealthy provider for one quote now and then, through the manager (so the attempt
 * goes through its breaker and is recorded by its health monitor), so that a provider that has
 * healed is seen to heal.
 *
 * Why the demo does this: the manager ranks an unhealthy provider after every healthy one and
 * only asks it when they all fail, and its `auth_failure` and `consecutive_failures` reasons end
 * only with a success, so a provider that failed once stays unhealthy (and its alert active)
 * for as long as another provider answers. A breaker still open refuses the probe locally, at no
 * upstream cost, until its half-open delay has passed.
 */
export function createRecoveryProbe(options: RecoveryProbeOptions): RecoveryProbe {
  const symbol = options.symbol ?? 'SPY';
  const every = options.everyCycles ?? 1;
  const lastProbe = new Map<string, number>();
  const inFlight = new Map<string, Promise<void>>();
  let sent = 0;

  function probe(provider: string): Promise<void> {
    sent++;
    return options.md.quotes([symbol], { providers: [provider], maxStaleMs: 0 }).then(
      ([answer]) => {
        if (answer?.ok) options.onOutcome({ provider, ok: true, detail: 'answered' });
        else options.onOutcome({ provider, ok: false, detail: describe(answer?.error) });
      },
      (err: unknown) => options.onOutcome({ provider, ok: false, detail: String(err) }),
    );
  }

  return {
    tick(cycle, report) {
      for (const [provider, health] of Object.entries(report.providers)) {
        if (!health.enabled || health.status !== 'unhealthy' || inFlight.has(provider)) continue;
        if (cycle - (lastProbe.get(provider) ?? Number.NEGATIVE_INFINITY) < every) continue;
        lastProbe.set(provider, cycle);
        const p = probe(provider).finally(() => inFlight.delete(provider));
        inFlight.set(provider, p);
      }
    },
    get sent() {
      return sent;
    },
    async settle() {
      await Promise.allSettled([...inFlight.values()]);
    },
  };
}

/** A probe's failure in a few words: the provider's own error, or why the call was not sent. */
function describe(error: StockadeError | undefined): string {
  const cause = error instanceof AllProvidersFailedError ? (error.attempts[0]?.error ?? error) : error;
  if (cause === undefined) return 'no answer';
  if (isProviderError(cause)) return `${cause.kind}: ${cause.message}`;
  if (cause instanceof CircuitOpenError) return 'not sent: breaker open';
  if (cause instanceof RateLimitedError) return 'not sent: waiting for quota';
  return cause.message;
}
