/**
 * The 5-second trading cycle of the post-mortem (0.73 s per cycle, 36 upstream calls: every
 * symbol's price a consensus of every source), reproduced on the simulator: 6 symbols, 4
 * providers, 60 simulated cycles of 5 s with the clock pinned inside a regular session.
 *
 *   naive    — sequential, one call per symbol per provider, no cache (bench/cycle-naive.ts)
 *   Stockade — `md.quotes(symbols, { strategy })` on the manager's defaults
 *
 * Run 1: paid plans, `consensus` then `failover`, naive against Stockade, plus a cold probe (the
 * cache expired before every cycle) for the cold-cycle target. Run 2: free-tier quotas on the
 * simulator and the manager's default (free-tier) quotas: zero 429s expected, a provider out of
 * quota left out of the consensus and named in `consensus.skipped`.
 *
 * Upstream calls are counted by the simulator (every request it received) and timed in-process
 * from undici's diagnostics channels (headers sent → response complete), so no package code is
 * touched.
 *
 * Run: npm run bench -- cycle   (or npx tsx bench/cycle.bench.ts after a build; writes
 *      bench/results/cycle.json through report())
 * Env: CYCLES (default 60), COLD_CYCLES (default 20).
 */
import diagnostics from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Clock, loadConfig, metricNames, silentLogger } from '@stockade/core';
import { createMarketDataManager, type MarketDataManager, type QuoteResult } from '@stockade/market-data';
import { type Provider, yahooProvider } from '@stockade/providers';
import { FREE_TIER_FAULTS, type Simulator, startSimulator } from '@stockade/simulator';
import { type BenchProvider, createNaiveClient, type NaiveAnswer, PROVIDER_ORDER } from './cycle-naive.js';
import { type BenchRow, lowerIsBetter, report } from './report.js';

const SYMBOLS = ['AAPL', 'MSFT', 'GOOGL', 'AMZN', 'NVDA', 'META'] as const;
const CYCLES = Number(process.env.CYCLES ?? 60);
const COLD_CYCLES = Number(process.env.COLD_CYCLES ?? 20);
const CYCLE_MS = 5_000;
/** Between cold-probe cycles: past the 10 s fresh TTL and its 10 s grace, so nothing is servable. */
const COLD_GAP_MS = 30_000;
/** Tuesday 2026-03-10 11:00 New York: a regular session. */
const SESSION_START = Date.parse('2026-03-10T15:00:00Z');
const SEED = 7;
/**
 * Injected latency (lognormal, median and p99), the profile of a server in a US data centre: the
 * post-mortem's 0.73 s for 36 calls is ~20 ms a call; Yahoo and Alpha Vantage are slower.
 */
const LATENCY: Record<BenchProvider, { p50Ms: number; p99Ms: number }> = {
  polygon: { p50Ms: 25, p99Ms: 100 },
  massive: { p50Ms: 25, p99Ms: 100 },
  yahoo: { p50Ms: 50, p99Ms: 200 },
  alphavantage: { p50Ms: 70, p99Ms: 250 },
};
/** Paid plans, enforced by the simulator too so that overrunning them would really answer 429. */
const PAID_SIM_QUOTAS: Partial<Record<BenchProvider, { quota: { perMinute?: number; perDay?: number } }>> = {
  alphavantage: { quota: { perMinute: 75 } },
};
const PAID_MANAGER_PROVIDERS = {
  polygon: { quotas: [] },
  massive: { quotas: [] },
  alphavantage: { quotas: [{ name: 'minute', limit: 75, perMs: 60_000 }] },
};

// ---------------------------------------------------------------------------------------------
// Instruments: a clock we move, undici's diagnostics channels, the simulator's counters.

interface BenchClock extends Clock {
  /** Moves "now" forward to `at` (never back); returns false when real time already passed it. */
  jumpTo(at: number): boolean;
}

function benchClock(start: number): BenchClock {
  // Real time plus an offset: timeouts on the shared timer wheel still see real time pass.
  let offset = start - Date.now();
  return {
    now: () => Date.now() + offset,
    jumpTo(at) {
      const now = Date.now();
      if (at < now + offset) return false;
      offset = at - now;
      return true;
    },
  };
}

interface UpstreamCall {
  origin: string;
  path: string;
  createdAt: number;
  sentAt?: number;
  doneAt: number;
  ok: boolean;
}

const upstream = { inflight: 0, lastActivity: 0, done: [] as UpstreamCall[] };
const open = new WeakMap<object, Omit<UpstreamCall, 'doneAt' | 'ok'>>();
diagnostics.channel('undici:request:create').subscribe((m) => {
  const { request } = m as { request: { origin: string; path: string } };
  upstream.inflight++;
  upstream.lastActivity = performance.now();
  open.set(request, { origin: String(request.origin), path: request.path, createdAt: upstream.lastActivity });
});
diagnostics.channel('undici:client:sendHeaders').subscribe((m) => {
  const rec = open.get((m as { request: object }).request);
  if (rec !== undefined) rec.sentAt = performance.now();
});
const finish = (ok: boolean) => (m: unknown) => {
  const request = (m as { request: object }).request;
  const rec = open.get(request);
  if (rec === undefined) return;
  open.delete(request);
  upstream.inflight--;
  upstream.lastActivity = performance.now();
  upstream.done.push({ ...rec, doneAt: upstream.lastActivity, ok });
};
diagnostics.channel('undici:request:trailers').subscribe(finish(true));
diagnostics.channel('undici:request:error').subscribe(finish(false));

let settleTimeouts = 0;
/** Waits until nothing is in flight: no HTTP request, no caller queued on a quota bucket, 25 ms quiet. */
async function settle(md?: MarketDataManager): Promise<void> {
  for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  const until = performance.now() + 5_000;
  for (;;) {
    let queued = 0;
    if (md !== undefined) {
      md.metrics.snapshot(); // refreshes the bucket gauges
      queued = md.metrics.value(metricNames.bucketQueue);
    }
    if (upstream.inflight === 0 && queued === 0 && performance.now() - upstream.lastActivity >= 25) return;
    if (performance.now() > until) {
      settleTimeouts++;
      return;
    }
    await sleep(5);
  }
}

type SimTotals = Record<BenchProvider, { requests: number; throttled: number; status429: number; avNotes: number }>;
function simTotals(sim: Simulator): SimTotals {
  const snap = sim.stats.snapshot();
  const out = {} as SimTotals;
  for (const p of PROVIDER_ORDER) {
    const s = snap[p];
    const status429 = s?.statuses['429'] ?? 0;
    // Alpha Vantage throttles with HTTP 200 + Note/Information, never 429.
    const avNotes = p === 'alphavantage' ? (s?.faults.quotaMinute ?? 0) + (s?.faults.quotaDay ?? 0) : 0;
    out[p] = { requests: s?.requests ?? 0, status429, avNotes, throttled: status429 + avNotes };
  }
  return out;
}
function diffTotals(a: SimTotals, b: SimTotals): SimTotals {
  const out = {} as SimTotals;
  for (const p of PROVIDER_ORDER) {
    out[p] = {
      requests: b[p].requests - a[p].requests,
      throttled: b[p].throttled - a[p].throttled,
      status429: b[p].status429 - a[p].status429,
      avNotes: b[p].avNotes - a[p].avNotes,
    };
  }
  return out;
}
const sum = (t: SimTotals, f: 'requests' | 'throttled') => PROVIDER_ORDER.reduce((n, p) => n + t[p][f], 0);

function pct(xs: readonly number[], q: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((q / 100) * s.length) - 1))] as number;
}

// ---------------------------------------------------------------------------------------------
// Cycles.

/** One symbol's answer, from either side. */
interface Answer {
  symbol: string;
  price: number | undefined;
  stale: boolean;
  receivedAt: number | undefined;
  accepted: string[];
  skipped: Array<{ provider: string; reason: string }>;
}

interface CycleRecord {
  index: number;
  ms: number;
  /** The cycle waited on at least one upstream call. */
  cold: boolean;
  /** Slowest upstream call the cycle waited on (headers sent → response complete), ms. */
  slowestCallMs: number | null;
  /** Upstream calls the simulator received for this cycle (background refreshes included). */
  calls: number;
  /** HTTP requests to anything but the simulator. */
  offSimulator: number;
  staleAnswers: number;
  failedAnswers: number;
  maxAgeMs: number;
  errorBp: number[];
  skipped: string[];
  answeredBy: Record<string, number>;
  /** Most calls in flight at once per provider, among the calls the cycle waited on. */
  maxInFlight: Record<string, number>;
}

/** Most calls in flight at once, per provider (the first path segment of the simulator URL). */
function maxInFlight(calls: readonly UpstreamCall[]): Record<string, number> {
  const events: Record<string, Array<[number, number]>> = {};
  for (const c of calls) {
    const p = c.path.split('/')[1] ?? '?';
    events[p] ??= [];
    events[p].push([c.createdAt, 1], [c.doneAt, -1]);
  }
  const out: Record<string, number> = {};
  for (const [p, ev] of Object.entries(events)) {
    ev.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let n = 0;
    let most = 0;
    for (const [, d] of ev) {
      n += d;
      most = Math.max(most, n);
    }
    out[p] = most;
  }
  return out;
}

function fromManager(results: readonly QuoteResult[]): Answer[] {
  return results.map((r) =>
    r.ok
      ? {
          symbol: r.symbol,
          price: r.quote.price,
          stale: r.quote.stale,
          receivedAt: r.quote.receivedAt,
          accepted: r.consensus?.accepted.map((a) => a.provider) ?? [r.quote.provider],
          skipped: r.consensus?.skipped ?? [],
        }
      : { symbol: r.symbol, price: undefined, stale: false, receivedAt: undefined, accepted: [], skipped: [] },
  );
}

function fromNaive(answers: readonly NaiveAnswer[]): Answer[] {
  return answers.map((a) => ({
    symbol: a.symbol,
    price: a.price,
    stale: false,
    receivedAt: a.receivedAt,
    accepted: a.providers,
    skipped: a.failed,
  }));
}

interface CycleLoop {
  sim: Simulator;
  clock: BenchClock;
  md?: MarketDataManager;
  /** Simulated instant of each cycle. */
  at(i: number): number;
  count: number;
  run(): Promise<Answer[]>;
}

let overruns = 0;
async function runCycles(loop: CycleLoop): Promise<CycleRecord[]> {
  const simOrigin = new URL(loop.sim.url('polygon')).origin;
  const out: CycleRecord[] = [];
  for (let i = 0; i < loop.count; i++) {
    if (!loop.clock.jumpTo(loop.at(i))) overruns++;
    const cycleAt = loop.clock.now();
    const before = sum(simTotals(loop.sim), 'requests');
    const firstCall = upstream.done.length;
    const t0 = performance.now();
    const answers = await loop.run();
    const t1 = performance.now();
    const answeredAt = loop.clock.now();
    await settle(loop.md);
    const calls = upstream.done.slice(firstCall);
    const waited = calls.filter((c) => c.createdAt >= t0 && c.doneAt <= t1);
    const wire = waited.map((c) => c.doneAt - (c.sentAt ?? c.createdAt));
    const answeredBy: Record<string, number> = {};
    for (const a of answers) for (const p of a.accepted) answeredBy[p] = (answeredBy[p] ?? 0) + 1;
    out.push({
      index: i,
      ms: t1 - t0,
      cold: waited.length > 0,
      slowestCallMs: wire.length === 0 ? null : Math.max(...wire),
      calls: sum(simTotals(loop.sim), 'requests') - before,
      offSimulator: calls.filter((c) => c.origin !== simOrigin).length,
      staleAnswers: answers.filter((a) => a.stale).length,
      failedAnswers: answers.filter((a) => a.price === undefined).length,
      maxAgeMs: Math.max(0, ...answers.map((a) => (a.receivedAt === undefined ? 0 : answeredAt - a.receivedAt))),
      errorBp: answers
        .filter((a) => a.price !== undefined)
        .map((a) => Math.abs((a.price as number) / loop.sim.truePrice(a.symbol, cycleAt) - 1) * 1e4),
      skipped: [...new Set(answers.flatMap((a) => a.skipped.map((s) => `${s.provider}: ${shortReason(s.reason)}`)))],
      answeredBy,
      maxInFlight: maxInFlight(waited),
    });
    if (process.env.CYCLE_DEBUG) {
      const rec = out[out.length - 1];
      const detail = calls.map(
        (c) =>
          `${c.path.slice(0, 40)} q${((c.sentAt ?? c.createdAt) - c.createdAt) | 0} w${(c.doneAt - (c.sentAt ?? c.createdAt)) | 0} @${(c.createdAt - t0) | 0}`,
      );
      console.error(
        JSON.stringify({ ...rec, errorBp: undefined, ages: answers.map((a) => answeredAt - (a.receivedAt ?? 0)) }),
        detail.join(' | '),
      );
    }
  }
  return out;
}

function shortReason(reason: string): string {
  // Numbers (waits in ms) vary per call; the kind of reason is what is counted.
  const r = reason.replace(/^[a-z]+: /, '').replace(/\d+/g, 'N');
  return r.length > 60 ? `${r.slice(0, 57)}…` : r;
}

// ---------------------------------------------------------------------------------------------
// Sides.

type Strategy = 'consensus' | 'failover';
type Plan = 'paid' | 'free';

async function startSim(clock: Clock, plan: Plan): Promise<Simulator> {
  const quotas: Partial<Record<BenchProvider, { quota: object }>> =
    plan === 'paid' ? PAID_SIM_QUOTAS : FREE_TIER_FAULTS;
  const faults: Record<string, object> = {};
  for (const p of PROVIDER_ORDER) faults[p] = { latency: LATENCY[p], ...quotas[p] };
  return startSimulator({ port: 0, seed: SEED, clock, faults: faults as never });
}

async function startManager(
  sim: Simulator,
  clock: Clock,
  plan: Plan,
  yahooWorkaround: boolean,
): Promise<{ md: MarketDataManager; ttlMs: number }> {
  const providers: Record<string, object> = plan === 'paid' ? { ...PAID_MANAGER_PROVIDERS } : {};
  if (yahooWorkaround) providers.yahoo = { enabled: false };
  const config = loadConfig({ file: false, env: {}, overrides: { mode: 'simulator', providers } as never });
  const extra: Provider[] = yahooWorkaround
    ? [
        yahooProvider({
          baseUrl: sim.url('yahoo'),
          cookieUrl: `${sim.url('yahoo')}/fc`,
          connections: config.config.providers.yahoo.maxConnections,
          clock,
        }),
      ]
    : [];
  const md = createMarketDataManager({
    config,
    clock,
    logger: silentLogger,
    providers: extra,
    simulatorUrls: sim.urls(),
  });
  await md.ready();
  return { md, ttlMs: config.config.cache.ttl.quoteRegularMs };
}

/**
 * Whether the built-in Yahoo adapter stays on the simulator in simulator mode. It needs a cookie
 * URL for batch quotes, and the manager does not give it the simulator's: then the bench passes a
 * correctly wired Yahoo adapter instead, and says so.
 */
async function builtinYahooWorks(): Promise<{ works: boolean; detail: string }> {
  const clock = benchClock(SESSION_START - 1_000);
  const sim = await startSimulator({ port: 0, seed: SEED, clock });
  const { md } = await startManager(sim, clock, 'paid', false);
  const first = upstream.done.length;
  const answers = await md.quotes(['IBM', 'JPM'], { providers: ['yahoo'] });
  await settle(md);
  const simOrigin = sim.origin;
  const off = upstream.done.slice(first).filter((c) => c.origin !== simOrigin);
  await md.close();
  await sim.stop();
  const failed = answers.find((a) => !a.ok);
  const works = off.length === 0 && failed === undefined;
  const detail = works
    ? 'built-in Yahoo adapter used as shipped'
    : `built-in Yahoo adapter sent ${off.length} request(s) to ${[...new Set(off.map((c) => c.origin))].join(', ') || 'the simulator'}` +
      (failed !== undefined && !failed.ok ? ` and failed: ${failed.error.message.slice(0, 120)}` : '');
  return { works, detail };
}

interface Side {
  label: string;
  /** Quotes one upstream call can carry, by provider (naive side only). */
  batch?: Record<string, number>;
  records: CycleRecord[];
  cold?: CycleRecord[];
  totals: SimTotals;
  hedges?: number;
  retries?: number;
  l1HitRate?: number | null;
  cacheLookupsMetric?: number;
}

async function naiveSide(strategy: Strategy): Promise<Side> {
  const clock = benchClock(SESSION_START - 1_000);
  const sim = await startSim(clock, 'paid');
  const naive = createNaiveClient(sim, clock);
  const start = simTotals(sim);
  const records = await runCycles({
    sim,
    clock,
    count: CYCLES,
    at: (i) => SESSION_START + i * CYCLE_MS,
    run: async () =>
      fromNaive(strategy === 'consensus' ? await naive.consensusCycle(SYMBOLS) : await naive.failoverCycle(SYMBOLS)),
  });
  const totals = diffTotals(start, simTotals(sim));
  const batch: Record<string, number> = {};
  for (const p of naive.providers) batch[p.name] = p.capabilities.batchQuotes ? p.capabilities.maxBatchSize : 1;
  await naive.close();
  await sim.stop();
  return { label: 'naive', records, totals, batch };
}

async function stockadeSide(strategy: Strategy, plan: Plan, yahooWorkaround: boolean): Promise<Side> {
  const clock = benchClock(SESSION_START - 1_000);
  const sim = await startSim(clock, plan);
  const { md } = await startManager(sim, clock, plan, yahooWorkaround);
  const start = simTotals(sim);
  const run = async () => fromManager(await md.quotes(SYMBOLS, { strategy }));
  const records = await runCycles({ sim, clock, md, count: CYCLES, at: (i) => SESSION_START + i * CYCLE_MS, run });
  const totals = diffTotals(start, simTotals(sim));
  const health = await md.health({ level: 1 });
  const side: Side = {
    label: 'Stockade',
    records,
    totals,
    hedges: md.metrics.value(metricNames.hedges),
    retries: md.metrics.value(metricNames.retries),
    l1HitRate: health.cache.l1.hitRate ?? null,
    cacheLookupsMetric: md.metrics.value(metricNames.cacheLookups),
  };
  if (plan === 'paid' && COLD_CYCLES > 0) {
    const lastAt = SESSION_START + (CYCLES - 1) * CYCLE_MS;
    side.cold = await runCycles({ sim, clock, md, count: COLD_CYCLES, at: (i) => lastAt + (i + 1) * COLD_GAP_MS, run });
  }
  await md.close();
  await sim.stop();
  return side;
}

// ---------------------------------------------------------------------------------------------
// Figures.

interface Figures {
  cycles: number;
  callsPerCycle: number;
  callsPerCycleByProvider: Record<string, number>;
  offSimulatorCalls: number;
  cycleP50: number | null;
  cycleP95: number | null;
  warm: { n: number; p50: number | null; p95: number | null };
  cold: {
    n: number;
    p50: number | null;
    p95: number | null;
    slowestCallP95: number | null;
    ratioP50: number | null;
    ratioP95: number | null;
    /** Cycle time minus the slowest call it waited on: the manager's own share. */
    overheadP50: number | null;
    overheadP95: number | null;
    maxInFlight: Record<string, number>;
  };
  hedges: number | null;
  retries: number | null;
  l1HitRate: number | null;
  cacheLookupsMetric: number | null;
  answersWithoutWaiting: number;
  staleAnswers: number;
  failedAnswers: number;
  answers: number;
  maxAgeS: number;
  errorBpP50: number | null;
  errorBpMax: number | null;
  throttled: number;
  throttledByProvider: Record<string, { status429: number; avNotes: number }>;
  cyclesLeavingOut: Record<string, number>;
  answeredBy: Record<string, number>;
}

function figures(side: Side): Figures {
  const rs = side.records;
  const coldRs = [...rs.filter((r) => r.cold), ...(side.cold ?? [])];
  const warm = rs.filter((r) => !r.cold).map((r) => r.ms);
  const timed = coldRs.filter((r) => r.slowestCallMs !== null);
  const ratios = timed.map((r) => r.ms / (r.slowestCallMs as number));
  const overheads = timed.map((r) => r.ms - (r.slowestCallMs as number));
  const inFlight: Record<string, number> = {};
  for (const r of coldRs)
    for (const [p, n] of Object.entries(r.maxInFlight)) inFlight[p] = Math.max(inFlight[p] ?? 0, n);
  const byProvider: Record<string, number> = {};
  const throttledBy: Figures['throttledByProvider'] = {};
  for (const p of PROVIDER_ORDER) {
    byProvider[p] = side.totals[p].requests / rs.length;
    throttledBy[p] = { status429: side.totals[p].status429, avNotes: side.totals[p].avNotes };
  }
  const leftOut: Record<string, number> = {};
  for (const r of rs) for (const s of r.skipped) leftOut[s] = (leftOut[s] ?? 0) + 1;
  const answeredBy: Record<string, number> = {};
  for (const r of rs) for (const [p, n] of Object.entries(r.answeredBy)) answeredBy[p] = (answeredBy[p] ?? 0) + n;
  const errors = rs.flatMap((r) => r.errorBp);
  const answers = rs.length * SYMBOLS.length;
  return {
    cycles: rs.length,
    callsPerCycle: sum(side.totals, 'requests') / rs.length,
    callsPerCycleByProvider: byProvider,
    offSimulatorCalls: rs.reduce((n, r) => n + r.offSimulator, 0),
    cycleP50: pct(
      rs.map((r) => r.ms),
      50,
    ),
    cycleP95: pct(
      rs.map((r) => r.ms),
      95,
    ),
    warm: { n: warm.length, p50: pct(warm, 50), p95: pct(warm, 95) },
    cold: {
      n: coldRs.length,
      p50: pct(
        coldRs.map((r) => r.ms),
        50,
      ),
      p95: pct(
        coldRs.map((r) => r.ms),
        95,
      ),
      slowestCallP95: pct(
        coldRs.flatMap((r) => (r.slowestCallMs === null ? [] : [r.slowestCallMs])),
        95,
      ),
      ratioP50: pct(ratios, 50),
      ratioP95: pct(ratios, 95),
      overheadP50: pct(overheads, 50),
      overheadP95: pct(overheads, 95),
      maxInFlight: inFlight,
    },
    hedges: side.hedges ?? null,
    retries: side.retries ?? null,
    l1HitRate: side.l1HitRate ?? null,
    cacheLookupsMetric: side.cacheLookupsMetric ?? null,
    answersWithoutWaiting: rs.filter((r) => !r.cold).length / rs.length,
    staleAnswers: rs.reduce((n, r) => n + r.staleAnswers, 0),
    failedAnswers: rs.reduce((n, r) => n + r.failedAnswers, 0),
    answers,
    maxAgeS: Math.max(...rs.map((r) => r.maxAgeMs)) / 1_000,
    errorBpP50: pct(errors, 50),
    errorBpMax: errors.length === 0 ? null : Math.max(...errors),
    throttled: sum(side.totals, 'throttled'),
    throttledByProvider: throttledBy,
    cyclesLeavingOut: leftOut,
    answeredBy,
  };
}

interface Bound {
  perWindow: number;
  perCycle: number;
  formula: string;
}

/** Σ over providers of ⌈symbols / batch size⌉ per TTL window, spread over the cycles in a window. */
function lowerBound(batchOf: Record<string, number>, names: readonly string[], ttlMs: number): Bound {
  const parts = names.map((name) => {
    const batch = batchOf[name] ?? 1;
    return { name, batch, calls: Math.ceil(SYMBOLS.length / batch) };
  });
  const perWindow = parts.reduce((n, p) => n + p.calls, 0);
  const perCycle = (perWindow * CYCLE_MS) / ttlMs;
  const terms = parts.map((p) => `⌈${SYMBOLS.length}/${p.batch}⌉ ${p.name}`).join(' + ');
  return {
    perWindow,
    perCycle,
    formula: `(${terms}) = ${perWindow} calls per ${ttlMs / 1_000} s TTL window × ${CYCLE_MS / 1_000} s cycle / ${ttlMs / 1_000} s = ${perCycle.toFixed(2)} per cycle`,
  };
}

const f1 = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '—' : x.toFixed(d));
const verdict = (ok: boolean) => (ok ? '**PASS**' : '**MISS**');

interface Target {
  name: string;
  measured: string;
  met: boolean;
}

function pairTable(title: string, naive: Figures, ours: Figures, bound: Bound): { lines: string[]; targets: Target[] } {
  const ratioNaive = ours.callsPerCycle / naive.callsPerCycle;
  const ratioBound = ours.callsPerCycle / bound.perCycle;
  const targets: Target[] = [
    {
      name: 'calls ≤ 1.3× lower bound',
      measured: `${f1(ours.callsPerCycle)} / ${f1(bound.perCycle)} = ${f1(ratioBound)}×`,
      met: ratioBound <= 1.3,
    },
    {
      name: 'calls ≤ 1/4 of naive',
      measured: `${f1(ours.callsPerCycle)} / ${f1(naive.callsPerCycle)} = ${f1(ratioNaive)}×`,
      met: ratioNaive <= 0.25,
    },
    { name: 'warm cycle p50 < 2 ms', measured: `${f1(ours.warm.p50, 3)} ms`, met: (ours.warm.p50 ?? 99) < 2 },
    {
      name: 'cold cycle p95 ≤ 1.3× slowest call it waits on',
      measured: `p95 of per-cycle (cycle ÷ slowest call) = ${f1(ours.cold.ratioP95)}× (cold n=${ours.cold.n}; cycle p95 ${f1(ours.cold.p95, 1)} ms, slowest call p95 ${f1(ours.cold.slowestCallP95, 1)} ms)`,
      met: ours.cold.ratioP95 !== null && ours.cold.ratioP95 <= 1.3,
    },
    { name: 'zero 429s', measured: String(ours.throttled), met: ours.throttled === 0 },
  ];
  const byP = (f: Figures) => PROVIDER_ORDER.map((p) => `${p} ${f1(f.callsPerCycleByProvider[p])}`).join(', ');
  const inFlight = (f: Figures) => PROVIDER_ORDER.map((p) => `${p} ${f.cold.maxInFlight[p] ?? 0}`).join(', ');
  const row = (name: string, a: string, b: string, r = '') => `| ${name} | ${a} | ${b} | ${r} |`;
  const lines = [
    `### ${title}`,
    '',
    '| figure | naive | Stockade | Stockade ÷ naive |',
    '| --- | ---: | ---: | ---: |',
    row('upstream calls per cycle', f1(naive.callsPerCycle), f1(ours.callsPerCycle), f1(ratioNaive)),
    row('… lower bound per cycle', f1(bound.perCycle), f1(bound.perCycle), `Stockade ÷ bound ${f1(ratioBound)}`),
    row('… by provider', byP(naive), byP(ours)),
    row(
      'cycle p50 / p95, ms (all cycles)',
      `${f1(naive.cycleP50, 1)} / ${f1(naive.cycleP95, 1)}`,
      `${f1(ours.cycleP50, 3)} / ${f1(ours.cycleP95, 3)}`,
      f1((ours.cycleP50 ?? 0) / (naive.cycleP50 ?? 1), 4),
    ),
    row(
      'warm cycles (no upstream wait): n, p50 / p95 ms',
      `${naive.warm.n}`,
      `${ours.warm.n}, ${f1(ours.warm.p50, 3)} / ${f1(ours.warm.p95, 3)}`,
    ),
    row(
      'cold cycles (waited upstream): n, p50 / p95 ms',
      `${naive.cold.n}, ${f1(naive.cold.p50, 1)} / ${f1(naive.cold.p95, 1)}`,
      `${ours.cold.n}, ${f1(ours.cold.p50, 1)} / ${f1(ours.cold.p95, 1)}`,
      f1((ours.cold.p95 ?? 0) / (naive.cold.p95 ?? 1)),
    ),
    row('… slowest single call waited on, p95 ms', f1(naive.cold.slowestCallP95, 1), f1(ours.cold.slowestCallP95, 1)),
    row(
      '… cycle ÷ slowest call, per-cycle ratio p50 / p95',
      `${f1(naive.cold.ratioP50)} / ${f1(naive.cold.ratioP95)}`,
      `${f1(ours.cold.ratioP50)} / ${f1(ours.cold.ratioP95)}`,
    ),
    row(
      '… cycle − slowest call, p50 / p95 ms',
      `${f1(naive.cold.overheadP50, 1)} / ${f1(naive.cold.overheadP95, 1)}`,
      `${f1(ours.cold.overheadP50, 1)} / ${f1(ours.cold.overheadP95, 1)}`,
    ),
    row('… most calls in flight at once, per provider', inFlight(naive), inFlight(ours)),
    row('hedges fired / retries', '—', `${ours.hedges} / ${ours.retries}`),
    row(
      'cache: L1 hit rate (manager health) / cycles served without waiting',
      `— / ${f1(naive.answersWithoutWaiting)}`,
      `${f1(ours.l1HitRate)} / ${f1(ours.answersWithoutWaiting)}`,
    ),
    row(
      'stale answers served (of all answers)',
      `${naive.staleAnswers} / ${naive.answers}`,
      `${ours.staleAnswers} / ${ours.answers}`,
    ),
    row('oldest answer served, s', f1(naive.maxAgeS, 1), f1(ours.maxAgeS, 1)),
    row(
      '|price − simulator truth|, p50 / max bp',
      `${f1(naive.errorBpP50, 1)} / ${f1(naive.errorBpMax, 1)}`,
      `${f1(ours.errorBpP50, 1)} / ${f1(ours.errorBpMax, 1)}`,
    ),
    row('failed answers', String(naive.failedAnswers), String(ours.failedAnswers)),
    row('429s received (incl. Alpha Vantage 200 + Note)', String(naive.throttled), String(ours.throttled)),
    '',
    `Lower bound: ${bound.formula}.`,
    '',
    '| target | measured | result |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.name} | ${t.measured} | ${verdict(t.met)} |`),
    '',
  ];
  return { lines, targets };
}

function freeTable(consensus: Figures, failover: Figures): { lines: string[]; targets: Target[] } {
  const targets: Target[] = [
    { name: 'free tier, consensus: zero 429s', measured: String(consensus.throttled), met: consensus.throttled === 0 },
    { name: 'free tier, failover: zero 429s', measured: String(failover.throttled), met: failover.throttled === 0 },
  ];
  const throttles = (f: Figures) =>
    PROVIDER_ORDER.filter(
      (p) => (f.throttledByProvider[p]?.status429 ?? 0) + (f.throttledByProvider[p]?.avNotes ?? 0) > 0,
    )
      .map((p) => {
        const t = f.throttledByProvider[p] as { status429: number; avNotes: number };
        return p === 'alphavantage' ? `${p} ${t.avNotes} Note` : `${p} ${t.status429}`;
      })
      .join(', ') || '0';
  const leftOut = (f: Figures) =>
    Object.entries(f.cyclesLeavingOut)
      .sort((a, b) => b[1] - a[1])
      .map(([k, n]) => `${k} (${n})`)
      .join('; ') || 'none';
  const byP = (f: Figures) => PROVIDER_ORDER.map((p) => `${p} ${f1(f.callsPerCycleByProvider[p])}`).join(', ');
  const answered = (f: Figures) =>
    Object.entries(f.answeredBy)
      .map(([p, n]) => `${p} ${n}`)
      .join(', ');
  const row = (name: string, a: string, b: string) => `| ${name} | ${a} | ${b} |`;
  const lines = [
    '### Run 2 — free-tier quotas (simulator: Alpha Vantage 5/min + 25/day, Polygon 5/min, Massive 5/min; manager: default quotas)',
    '',
    '| figure | Stockade consensus | Stockade failover |',
    '| --- | --- | --- |',
    row('upstream calls per cycle', f1(consensus.callsPerCycle), f1(failover.callsPerCycle)),
    row('… by provider', byP(consensus), byP(failover)),
    row('429s received (by provider)', throttles(consensus), throttles(failover)),
    row('cycles whose answers left a provider out (reason, cycles)', leftOut(consensus), leftOut(failover)),
    row('prices used in answers, by provider', answered(consensus), answered(failover)),
    row('failed answers', String(consensus.failedAnswers), String(failover.failedAnswers)),
    row('stale answers served', String(consensus.staleAnswers), String(failover.staleAnswers)),
    row(
      'warm p50 / cold p95, ms',
      `${f1(consensus.warm.p50, 3)} / ${f1(consensus.cold.p95, 1)}`,
      `${f1(failover.warm.p50, 3)} / ${f1(failover.cold.p95, 1)}`,
    ),
    row('retries', String(consensus.retries), String(failover.retries)),
    '',
    '| target | measured | result |',
    '| --- | --- | --- |',
    ...targets.map((t) => `| ${t.name} | ${t.measured} | ${verdict(t.met)} |`),
    '',
  ];
  return { lines, targets };
}

// ---------------------------------------------------------------------------------------------

const began = performance.now();
const yahoo = await builtinYahooWorks();
const yahooWorkaround = !yahoo.works;

const lines: string[] = [
  `## Cycle benchmark — ${SYMBOLS.length} symbols × ${PROVIDER_ORDER.length} providers, ${CYCLES} cycles of ${CYCLE_MS / 1_000} s, simulated from ${new Date(SESSION_START).toISOString()} (regular session)`,
  '',
  `Latency (simulator, lognormal p50/p99 ms): ${PROVIDER_ORDER.map((p) => `${p} ${LATENCY[p].p50Ms}/${LATENCY[p].p99Ms}`).join(', ')}.`,
  'Paid plans: simulator and manager both enforce Alpha Vantage 75/min; Polygon and Massive unmetered; Yahoo: simulator unmetered, manager default 60/min.',
  `Cold probe: ${COLD_CYCLES} more cycles ${COLD_GAP_MS / 1_000} s apart (cache expired) on the same manager, for the cold-cycle target.`,
  `Yahoo: ${yahoo.detail}.${yahooWorkaround ? ' WORKAROUND in force: built-in Yahoo disabled and yahooProvider({ cookieUrl: <simulator>/fc }) passed as an extra provider (same name, config and priority).' : ''}`,
  '',
];

const paid: Record<Strategy, { naive: Figures; ours: Figures; bound: Bound; targets: Target[] }> = {} as never;
const ttlMs = loadConfig({ file: false, env: {}, overrides: {} }).config.cache.ttl.quoteRegularMs;
for (const strategy of ['consensus', 'failover'] as const) {
  const naiveRun = await naiveSide(strategy);
  const naive = figures(naiveRun);
  const ours = figures(await stockadeSide(strategy, 'paid', yahooWorkaround));
  const names = strategy === 'consensus' ? PROVIDER_ORDER : (['polygon'] as const);
  const bound = lowerBound(naiveRun.batch ?? {}, names, ttlMs);
  const title =
    strategy === 'consensus'
      ? "Run 1a — paid plans, `strategy: 'consensus'` (a consensus price per symbol from all 4 providers)"
      : "Run 1b — paid plans, `strategy: 'failover'` (the first provider that answers; naive: one call per symbol)";
  const t = pairTable(title, naive, ours, bound);
  lines.push(...t.lines);
  paid[strategy] = { naive, ours, bound, targets: t.targets };
}

const freeConsensus = figures(await stockadeSide('consensus', 'free', yahooWorkaround));
const freeFailover = figures(await stockadeSide('failover', 'free', yahooWorkaround));
const free = freeTable(freeConsensus, freeFailover);
lines.push(...free.lines);

const wallS = (performance.now() - began) / 1_000;
lines.push(
  `Wall time ${wallS.toFixed(1)} s; cycles that overran their 5 s: ${overruns}; settle timeouts: ${settleTimeouts}. ` +
    `Manager cache-lookup metric (${metricNames.cacheLookups}) after the paid consensus run: ${paid.consensus.ours.cacheLookupsMetric}.`,
);
console.log(lines.join('\n'));

const num = (x: number | null | undefined) => x ?? Number.NaN;
const rows: BenchRow[] = [];
for (const strategy of ['consensus', 'failover'] as const) {
  const { naive, ours, bound } = paid[strategy];
  const tag = `paid, ${strategy}`;
  const naivePeer = `naive: sequential, one call per symbol${strategy === 'consensus' ? ' per provider' : ''}, no cache`;
  rows.push(
    lowerIsBetter({
      scenario: `${tag}: upstream calls per cycle`,
      ours: ours.callsPerCycle,
      peer: naivePeer,
      peerValue: naive.callsPerCycle,
      unit: 'calls/cycle',
      target: '≥ 4× fewer',
      met: ours.callsPerCycle <= naive.callsPerCycle / 4,
    }),
    lowerIsBetter({
      scenario: `${tag}: upstream calls per cycle`,
      ours: ours.callsPerCycle,
      peer: 'lower bound: ⌈symbols / batch⌉ per provider per TTL window',
      peerValue: bound.perCycle,
      unit: 'calls/cycle',
      target: '≤ 1.3× the bound (≥ 0.77×)',
      met: ours.callsPerCycle <= 1.3 * bound.perCycle,
    }),
    lowerIsBetter({
      scenario: `${tag}: cycle p50 (all cycles)`,
      ours: num(ours.cycleP50),
      peer: naivePeer,
      peerValue: num(naive.cycleP50),
      unit: 'ms',
    }),
    lowerIsBetter({
      scenario: `${tag}: warm cycle p50 (no upstream wait)`,
      ours: num(ours.warm.p50),
      peer: `${naivePeer} (every cycle waits)`,
      peerValue: num(naive.cycleP50),
      unit: 'ms',
      target: '< 2 ms',
      met: (ours.warm.p50 ?? 99) < 2,
    }),
    lowerIsBetter({
      scenario: `${tag}: cold cycle p95 (waited upstream)`,
      ours: num(ours.cold.p95),
      peer: naivePeer,
      peerValue: num(naive.cold.p95),
      unit: 'ms',
    }),
    lowerIsBetter({
      scenario: `${tag}: cold cycle ÷ slowest call it waited on, p95`,
      ours: num(ours.cold.ratioP95),
      peer: naivePeer,
      peerValue: num(naive.cold.ratioP95),
      unit: '×',
      target: '≤ 1.3',
      met: ours.cold.ratioP95 !== null && ours.cold.ratioP95 <= 1.3,
    }),
  );
}
const allTargets = [...paid.consensus.targets, ...paid.failover.targets, ...free.targets];
report('cycle', rows, {
  command: 'npm run bench -- cycle',
  notes: [
    `${SYMBOLS.length} symbols × ${PROVIDER_ORDER.length} providers on the simulator, ${CYCLES} cycles of ${CYCLE_MS / 1_000} s (clock pinned in a regular session), plus ${COLD_CYCLES} cold cycles ${COLD_GAP_MS / 1_000} s apart. Latency lognormal p50/p99 ms: ${PROVIDER_ORDER.map((p) => `${p} ${LATENCY[p].p50Ms}/${LATENCY[p].p99Ms}`).join(', ')}.`,
    `429s received (paid): consensus naive ${paid.consensus.naive.throttled} / Stockade ${paid.consensus.ours.throttled}; failover naive ${paid.failover.naive.throttled} / Stockade ${paid.failover.ours.throttled}.`,
    `Free-tier quotas: consensus ${f1(freeConsensus.callsPerCycle)} calls/cycle, ${freeConsensus.throttled} 429s, ${freeConsensus.failedAnswers} failed answers; failover ${f1(freeFailover.callsPerCycle)} calls/cycle, ${freeFailover.throttled} 429s, ${freeFailover.failedAnswers} failed answers.`,
    `Targets: ${allTargets.map((t) => `${t.name} ${t.met ? 'met' : 'MISSED'} (${t.measured})`).join('; ')}.`,
    `Yahoo: ${yahoo.detail}. Wall time ${wallS.toFixed(1)} s; overruns ${overruns}; settle timeouts ${settleTimeouts}.`,
  ],
  wallSeconds: Number(wallS.toFixed(1)),
  symbols: SYMBOLS,
  cycles: CYCLES,
  cycleMs: CYCLE_MS,
  coldProbeCycles: COLD_CYCLES,
  sessionStart: new Date(SESSION_START).toISOString(),
  latency: LATENCY,
  paidQuotas: { simulator: PAID_SIM_QUOTAS, manager: PAID_MANAGER_PROVIDERS },
  yahoo,
  yahooWorkaround,
  overruns,
  settleTimeouts,
  runs: {
    paidConsensus: paid.consensus,
    paidFailover: paid.failover,
    free: { consensus: freeConsensus, failover: freeFailover, targets: free.targets },
  },
});
