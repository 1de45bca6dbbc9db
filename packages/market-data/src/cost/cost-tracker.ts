import { type Clock, systemClock, ValidationError } from '@stockade/core';

/** Options of {@link createCostTracker}. */
export interface CostTrackerOptions {
  /** What one call costs per provider, in your unit of account: `providers.<name>.costPerCall` from config. A provider at 0 is tracked for calls only. */
  costPerCall: Readonly<Record<string, number>>;
  /** Source of time. @default systemClock */
  clock?: Clock;
  /** How far back the projection looks, ms. @default 3_600_000 (1 hour) */
  rateWindowMs?: number;
  /** Resolution of the projection's ring of buckets, ms; `rateWindowMs` is rounded to a whole number of them. @default 60_000 */
  bucketMs?: number;
}

/** One provider's cost figures. */
export interface ProviderCost {
  /** Configured cost of one call. */
  costPerCall: number;
  /** Calls recorded since the tracker started. */
  calls: number;
  /** Cost since the tracker started. */
  cost: number;
  /** Projected cost of 30 days at the recent rate. */
  projectedMonthly: number;
}

/** Upstream cost per provider; see {@link createCostTracker}. */
export interface CostTracker {
  /** Records `calls` upstream calls (default 1) and returns the cost they added. */
  record(provider: string, calls?: number): number;
  /** Cost since the tracker started. */
  total(provider: string): number;
  /** Calls since the tracker started. */
  calls(provider: string): number;
  /** Projected cost of 30 days at the rate of the last `rateWindowMs`. */
  projectedMonthly(provider: string): number;
  /** Every provider's figures. */
  snapshot(): Record<string, ProviderCost>;
}

const MONTH_MS = 30 * 86_400_000;

interface Ledger {
  costPerCall: number;
  calls: number;
  cost: number;
  /** Cost per bucket of the ring, and which bucket number (time / bucketMs) each slot holds. */
  ring: Float64Array;
  stamps: Float64Array;
}

/**
 * Creates a {@link CostTracker}: counts calls and cost per provider, and projects a monthly figure.
 *
 * The projection: cost recorded in the buckets of the last `rateWindowMs` (a ring of `bucketMs`
 * buckets, the current partial one included), divided by the time those buckets cover — from the
 * start of the oldest one, or from when the tracker started if later, and never less than one
 * bucket so a handful of calls in the first seconds is not extrapolated wildly —, times 30 days.
 * A provider that stops being called falls to 0 once its calls leave the window.
 *
 * @example
 * const cost = createCostTracker({ costPerCall: { polygon: 0.002, yahoo: 0 } });
 * metrics.addUpstreamCost('polygon', cost.record('polygon'));
 * cost.projectedMonthly('polygon'); // e.g. 172.8 at one call per second
 */
export function createCostTracker(options: CostTrackerOptions): CostTracker {
  const clock = options.clock ?? systemClock;
  const bucketMs = options.bucketMs ?? 60_000;
  const windowMs = options.rateWindowMs ?? 3_600_000;
  if (!(Number.isFinite(bucketMs) && bucketMs > 0)) invalid('bucketMs', 'must be a number > 0');
  if (!(Number.isFinite(windowMs) && windowMs >= bucketMs)) invalid('rateWindowMs', 'must be a number ≥ bucketMs');
  if (options.costPerCall === null || typeof options.costPerCall !== 'object') {
    invalid('costPerCall', 'must be an object of provider name → cost of one call');
  }
  const slots = Math.max(1, Math.round(windowMs / bucketMs));
  const startedAt = clock.now();
  const ledgers = new Map<string, Ledger>();
  for (const [provider, price] of Object.entries(options.costPerCall)) {
    if (!(Number.isFinite(price) && price >= 0))
      invalid(`costPerCall.${provider}`, `must be a number ≥ 0, got ${String(price)}`);
    ledgers.set(provider, {
      costPerCall: price,
      calls: 0,
      cost: 0,
      ring: new Float64Array(slots),
      stamps: new Float64Array(slots).fill(-1),
    });
  }

  function ledgerOf(provider: string): Ledger {
    const l = ledgers.get(provider);
    if (l === undefined) {
      throw new ValidationError(
        `Unknown provider "${provider}" for the cost tracker; known: ${[...ledgers.keys()].join(', ') || 'none'} (add it to costPerCall)`,
        [{ path: 'provider', message: 'not in costPerCall' }],
      );
    }
    return l;
  }

  function projected(l: Ledger): number {
    const now = clock.now();
    const current = Math.floor(now / bucketMs);
    const oldest = current - slots + 1;
    let cost = 0;
    for (let i = 0; i < slots; i++) if ((l.stamps[i] as number) >= oldest) cost += l.ring[i] as number;
    if (cost === 0) return 0;
    const span = Math.max(bucketMs, Math.min(now - oldest * bucketMs, now - startedAt));
    return (cost / span) * MONTH_MS;
  }

  return {
    record(provider, calls = 1) {
      const l = ledgerOf(provider);
      if (!(Number.isFinite(calls) && calls >= 0)) invalid('calls', `must be a number ≥ 0, got ${String(calls)}`);
      const added = calls * l.costPerCall;
      l.calls += calls;
      l.cost += added;
      if (added > 0) {
        const bucket = Math.floor(clock.now() / bucketMs);
        const slot = bucket % slots;
        if (l.stamps[slot] !== bucket) {
          l.stamps[slot] = bucket;
          l.ring[slot] = 0;
        }
        l.ring[slot] = (l.ring[slot] as number) + added;
      }
      return added;
    },
    total: (provider) => ledgerOf(provider).cost,
    calls: (provider) => ledgerOf(provider).calls,
    projectedMonthly: (provider) => projected(ledgerOf(provider)),
    snapshot() {
      const out: Record<string, ProviderCost> = {};
      for (const [provider, l] of ledgers) {
        out[provider] = { costPerCall: l.costPerCall, calls: l.calls, cost: l.cost, projectedMonthly: projected(l) };
      }
      return out;
    },
  };
}

function invalid(field: string, message: string): never {
  throw new ValidationError(`createCostTracker: ${field} ${message}`, [{ path: field, message }]);
}
