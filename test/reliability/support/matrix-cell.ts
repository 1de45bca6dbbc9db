import { Quote, StockadeError } from '@stockade/core';
import type { QuoteResult } from '@stockade/market-data';
import type { FaultName, ProviderFaults, ProviderName } from '@stockade/simulator';
import type { Capture } from './capture.js';
import type { BreakerExpectation } from './fault-catalog.js';
import {
  BREAKER_THRESHOLD,
  type CellQuota,
  HALF_OPEN_MS,
  MATRIX_SYMBOLS,
  PROVIDERS,
  ROUND_SHIFT_MS,
  startMatrixHarness,
} from './matrix-harness.js';
import { dumpMetrics } from './metrics-dump.js';
import type { UnhandledCounter } from './unhandled.js';

/** One cell of the matrix: faults on one or more providers, asked first, and what must hold. */
export interface CellSpec {
  /** Stable id, e.g. `polygon/500` or `pair/polygon-401+massive-429`. */
  id: string;
  /** Human label for the results table. */
  label: string;
  /** Faults per provider. */
  faults: Partial<Record<ProviderName, ProviderFaults>>;
  /** Providers ranked first by priority (the faulted ones), in this order. */
  order: readonly ProviderName[];
  /** For each faulted provider: fault counters of which one must be > 0 (empty: only calls must be > 0). */
  proofs: Partial<Record<ProviderName, readonly FaultName[]>>;
  /** Breaker expectation per faulted provider. */
  breakers: Partial<Record<ProviderName, BreakerExpectation>>;
  /** A quota the simulator enforces on one provider. */
  quota?: CellQuota;
  /** Ask with the consensus strategy and check prices against the simulated path. */
  consensus?: boolean;
  /** Providers whose price is wrong (consensus cells). */
  wrongPrice?: readonly ProviderName[];
}

/** What one cell measured. */
export interface CellResult {
  id: string;
  label: string;
  requests: number;
  /** Answered with a quote (fresh or stale). */
  served: number;
  /** Answered with a quote marked stale. */
  stale: number;
  /** Answered with a typed `StockadeError`. */
  typedErrors: number;
  /** Anything else: a throw out of `quotes()`, an untyped error, a quote failing the schema or served stale unmarked. */
  invalid: number;
  /** Unhandled rejections and uncaught exceptions during the cell. */
  unhandled: number;
  /** Throttle answers the simulator sent (429s, and Alpha Vantage's 200 quota notes). */
  throttled: number;
  /** Whether at least one provider was left without a fault. */
  healthyLeft: boolean;
  /** Upstream requests per provider during the load. */
  upstream: Partial<Record<ProviderName, number>>;
  /** Fault counters per faulted provider during the load. */
  faultsServed: Partial<Record<ProviderName, Record<string, number>>>;
  /** Breaker transitions, e.g. `polygon closed→open`, in order (load and recovery). */
  transitions: string[];
  /** Per faulted provider: failures recorded before its breaker first opened (null: it never opened). */
  failuresBeforeOpen: Partial<Record<ProviderName, number | null>>;
  /** Per faulted provider whose breaker opened: closed again after the fault was cleared. */
  recovered: Partial<Record<ProviderName, boolean>>;
  /** Consensus cells: served prices more than 1 % off the simulated path. */
  offTruth: number;
  /** Consensus cells: answers in which a wrong-priced provider was rejected as an outlier. */
  outliersRejected: number;
  /** Typed error codes/kinds seen, with counts. */
  errorKinds: Record<string, number>;
}

const settleSoon = () => new Promise<void>((r) => setTimeout(r, 10));

/** Runs one cell: warm-up, faults on, `requests` calls in rounds of one call per symbol, recovery. */
export async function runCell(
  spec: CellSpec,
  o: { requests: number; capture: Capture; unhandled: UnhandledCounter },
): Promise<CellResult> {
  const h = await startMatrixHarness({
    order: spec.order,
    capture: o.capture,
    ...(spec.quota === undefined ? {} : { quota: spec.quota }),
  });
  const { sim, md, clock } = h;
  const faulted = Object.keys(spec.faults) as ProviderName[];
  const transitions: string[] = [];
  const opened = new Set<ProviderName>();
  const failures = new Map<ProviderName, number>();
  const failuresBeforeOpen: CellResult['failuresBeforeOpen'] = {};
  const lastState = new Map<ProviderName, string>();
  const subs = [
    md.on('breaker.state', (e) => {
      const p = e.provider as ProviderName;
      transitions.push(`${p} ${e.from}→${e.to}`);
      lastState.set(p, e.to);
      if ((e.to === 'open' || e.to === 'isolated') && !opened.has(p)) {
        opened.add(p);
        failuresBeforeOpen[p] = failures.get(p) ?? 0;
      }
    }),
    md.on('alert.raised', (e) => o.capture.text('event', JSON.stringify(e))),
    md.on('provider.failure', (e) => {
      o.capture.text('event', JSON.stringify(e));
      const p = e.provider as ProviderName;
      if (!opened.has(p)) failures.set(p, (failures.get(p) ?? 0) + 1);
    }),
  ];
  const unhandledAtStart = o.unhandled.count;
  const result: CellResult = {
    id: spec.id,
    label: spec.label,
    requests: 0,
    served: 0,
    stale: 0,
    typedErrors: 0,
    invalid: 0,
    unhandled: 0,
    throttled: 0,
    healthyLeft: faulted.length < PROVIDERS.length,
    upstream: {},
    faultsServed: {},
    transitions,
    failuresBeforeOpen,
    recovered: {},
    offTruth: 0,
    outliersRejected: 0,
    errorKinds: {},
  };
  const strategy = spec.consensus === true ? 'consensus' : 'failover';
  try {
    // Warm-up without faults, on real time (cold pools connect first): a last known good per
    // symbol, Yahoo's crumb in hand.
    await round(() => undefined, false);
    // Every provider once too, so each holds a session (Yahoo's crumb) that a fault can expire.
    for (const p of PROVIDERS) await md.quotes([...MATRIX_SYMBOLS], { providers: [p] });
    // A minute later: the warm-up's share of any per-minute quota is behind both sides.
    clock.shift(60_001);
    sim.stats.reset();
    for (const p of faulted) sim.faults.set(p, spec.faults[p] ?? {});
    if (spec.quota !== undefined)
      sim.faults.update(spec.quota.provider, { quota: { perMinute: spec.quota.perMinute } });
    const rounds = Math.ceil(o.requests / MATRIX_SYMBOLS.length);
    for (let i = 0; i < rounds; i++) await round(tally);
    const snapshot = sim.stats.snapshot();
    for (const p of PROVIDERS) {
      const s = snapshot[p];
      result.upstream[p] = s.requests;
      result.throttled += s.statuses['429'] ?? 0;
      if (p === 'alphavantage') result.throttled += (s.faults.quotaMinute ?? 0) + (s.faults.quotaDay ?? 0);
    }
    for (const p of faulted) result.faultsServed[p] = { ...snapshot[p].faults };
    o.capture.text('metrics', await dumpMetrics(md));

    // Recovery: clear the faults, let the half-open delay pass, let the manager's prober try again.
    sim.faults.clear();
    for (const p of faulted) {
      if (!opened.has(p)) continue;
      clock.shift(HALF_OPEN_MS + 1);
      await md.health({ level: 2 });
      for (let i = 0; i < 300 && lastState.get(p) !== 'closed'; i++) {
        await settleSoon();
        if (i % 20 === 19) await md.health({ level: 2 });
      }
      const again = await md.quotes([MATRIX_SYMBOLS[0]], { providers: [p] });
      result.recovered[p] = lastState.get(p) === 'closed' && again[0]?.ok === true;
    }
  } finally {
    for (const s of subs) s.dispose();
    await settleSoon();
    result.unhandled = o.unhandled.count - unhandledAtStart;
    await h.close();
  }
  return result;

  async function round(
    record: (symbol: string, r: QuoteResult | undefined, thrown: unknown, startedAt: number) => void,
    pumped = true,
  ) {
    const startedAt = clock.now();
    const realStart = Date.now();
    // Waits (attempt timeouts, Retry-After, backoff) run on the clock: past 100 ms of real time,
    // it runs five times faster, so a hang or a one-second Retry-After costs a fraction of that.
    const pump = setInterval(() => {
      if (pumped && Date.now() - realStart > 100) clock.shift(40);
    }, 10);
    try {
      await Promise.all(
        MATRIX_SYMBOLS.map((symbol) =>
          md.quotes([symbol], { strategy }).then(
            (answers) => record(symbol, answers[0], undefined, startedAt),
            (err: unknown) => record(symbol, undefined, err, startedAt),
          ),
        ),
      );
    } finally {
      clearInterval(pump);
    }
    clock.shift(ROUND_SHIFT_MS);
  }

  function tally(symbol: string, r: QuoteResult | undefined, thrown: unknown, startedAt: number): void {
    result.requests++;
    if (r === undefined) {
      result.invalid++;
      o.capture.error(thrown);
      return;
    }
    if (!r.ok) {
      o.capture.error(r.error);
      if (r.error instanceof StockadeError) {
        result.typedErrors++;
        const kind = (r.error as { kind?: string }).kind ?? r.error.code;
        result.errorKinds[kind] = (result.errorKinds[kind] ?? 0) + 1;
      } else result.invalid++;
      return;
    }
    const q = r.quote;
    const valid = Quote.safeParse(q).success && q.symbol === symbol;
    // Not marked stale means received in this round; anything older must say so.
    const honest = q.stale || q.receivedAt >= startedAt;
    if (!valid || !honest) {
      result.invalid++;
      return;
    }
    result.served++;
    if (q.stale) result.stale++;
    if (spec.consensus === true) {
      const truth = sim.truePrice(symbol, clock.now());
      if (Math.abs(q.price / truth - 1) > 0.01) result.offTruth++;
      const rejected = new Set(r.consensus?.rejected.map((x) => x.provider) ?? []);
      if ((spec.wrongPrice ?? []).some((p) => rejected.has(p))) result.outliersRejected++;
    }
  }
}

/** The breaker threshold failures are compared to (an auth failure opens at once, after one key refresh). */
export const OPEN_WITHIN = BREAKER_THRESHOLD;
