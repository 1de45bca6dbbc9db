/**
 * One soak run (issue 10, "Soak"), in its own process so that heap is measured after a real
 * forced GC and the process is seen to exit on its own after close(). Run by soak.test.ts with
 * `node --expose-gc --conditions=source --import tsx`; prints one JSON line of figures.
 *
 * argv: redisUrl keyPrefix durationMs. `SOAK_DEBUG=1` writes each rejected call (when, under which fault) to stderr.
 */
import { loadConfig, StockadeError, silentLogger } from '@stockade/core';
import { createMarketDataManager } from '@stockade/market-data';
import { type ProviderFaults, startSimulator } from '@stockade/simulator';

const [redisUrl, keyPrefix, durationArg] = process.argv.slice(2) as [string, string, string];
const durationMs = Number(durationArg);
// A short run warms up for half its length (every provider has been faulted once by then, and the
// caches, breakers and latency windows have their steady size); a long one for a minute.
const warmupMs = durationMs <= 60_000 ? Math.round(durationMs / 2) : 60_000;
const TARGET_RPS = 300;
const FAULT_EVERY_MS = 3_000;
const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with --expose-gc');
// Two collections with a turn of the event loop between them, so finalizers and weak refs settle.
const settledHeap = async (): Promise<number> => {
  gc();
  await new Promise((r) => setImmediate(r));
  gc();
  return process.memoryUsage().heapUsed;
};

// Real time, shifted into a regular session (Tuesday 2026-03-10 11:00 New York) so that the cache
// keeps the short regular-session TTL whatever day the soak runs.
const offset = Date.parse('2026-03-10T15:00:00Z') - Date.now();
const clock = { now: () => Date.now() + offset };

// Varied symbols (the simulator derives a stable path for unlisted tickers) and a short TTL: the
// soak must really reach the providers, not be served from L1.
const symbols = [
  'AAPL',
  'MSFT',
  'SPY',
  'NVDA',
  'AMZN',
  'GOOGL',
  'META',
  'TSLA',
  'BRK.B',
  'JPM',
  'BTC-USD',
  'ETH-USD',
  ...Array.from(
    { length: 48 },
    (_, i) => `SK${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`,
  ),
];
const providers = ['yahoo', 'alphavantage', 'polygon', 'massive'] as const;
const faultMenu: ProviderFaults[] = [
  { errorRate: { 500: 0.5, 503: 0.2 } },
  { rateLimit: { probability: 0.4, retryAfterSec: 1 } },
  { malformed: 0.4 },
  { schemaDrift: true },
  { reset: 0.3 },
  { latency: { fixedMs: 150 } },
  { hang: 0.1 },
  { badKey: true },
  { slowBodyMs: 200 },
];

const sim = await startSimulator({ port: 0, seed: 11, clock, symbols });
const generous = [{ name: 'minute', limit: 1_000_000, perMs: 60_000 }];
const md = createMarketDataManager({
  config: loadConfig({
    file: false,
    env: {},
    overrides: {
      profile: 'test',
      mode: 'simulator',
      cache: { redisUrl, keyPrefix, ttl: { quoteRegularMs: 400, cryptoMs: 400 } },
      providers: Object.fromEntries(providers.map((p) => [p, { quotas: generous }])),
      resilience: {
        attemptTimeoutMs: 300,
        deadlineMs: 1_500,
        retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
        breaker: { consecutiveFailures: 5, halfOpenAfterMs: 1_000 },
      },
    } as never,
  }),
  clock,
  logger: silentLogger,
  simulatorUrls: Object.fromEntries(providers.map((p) => [p, sim.url(p)])),
});
await md.ready();

const counts = {
  requests: 0,
  answers: 0,
  served: 0,
  stale: 0,
  typedErrors: 0,
  otherErrors: 0,
  rejected: 0,
  rejectedSymbols: 0,
  untypedRejections: 0,
};
const rejectionReasons: Record<string, number> = {};
let faultSwitches = 0;
let faultNow = 'none';
const switcher = setInterval(() => {
  // One or two providers faulted at a time, never all four: the rest keep serving.
  sim.faults.clear();
  const first = providers[faultSwitches % providers.length] as (typeof providers)[number];
  sim.faults.set(first, faultMenu[faultSwitches % faultMenu.length] as ProviderFaults);
  if (faultSwitches % 2 === 1) {
    const second = providers[(faultSwitches + 1) % providers.length] as (typeof providers)[number];
    sim.faults.set(second, faultMenu[(faultSwitches * 7 + 3) % faultMenu.length] as ProviderFaults);
  }
  faultNow = JSON.stringify(sim.faults.get(first));
  faultSwitches++;
}, FAULT_EVERY_MS);

let seed = 7;
const nextRandom = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
  return seed / 2_147_483_648;
};

async function oneRequest(): Promise<void> {
  let callSignal: AbortSignal | undefined;
  const n = 1 + Math.floor(nextRandom() * 3);
  const asked = Array.from({ length: n }, () => symbols[Math.floor(nextRandom() * symbols.length)] as string);
  counts.requests++;
  try {
    const signal = AbortSignal.timeout(3_000);
    callSignal = signal;
    const answers = await md.quotes(asked, { signal, maxStaleMs: 60_000 });
    for (const a of answers) {
      counts.answers++;
      if (a.ok) {
        counts.served++;
        if (a.quote.stale) counts.stale++;
      } else if (a.error?.code !== undefined) counts.typedErrors++;
      else counts.otherErrors++;
    }
  } catch (err) {
    counts.rejected++;
    counts.rejectedSymbols += n;
    // A rejection is typed when it is a StockadeError or the caller's own abort reason.
    const typed = err instanceof StockadeError || (callSignal?.aborted === true && err === callSignal.reason);
    if (!typed) counts.untypedRejections++;
    const name = `${(err as Error)?.name ?? typeof err}: ${String((err as Error)?.message ?? err).slice(0, 80)}`;
    rejectionReasons[name] = (rejectionReasons[name] ?? 0) + 1;
    if (process.env.SOAK_DEBUG)
      process.stderr.write(`${name} at ${Date.now() - started} ms during ${faultNow} asked ${asked.join(',')}\n`);
  }
}

// Paced load: TARGET_RPS requests a second in 10 ms ticks, at most 256 in flight.
const inFlight = new Set<Promise<void>>();
const started = Date.now();
let warmedAt = 0;
let heapStart = 0;
let requestsAtWarm = 0;
let countsAtWarm = { ...counts };
let upstreamAtWarm = 0;
const upstreamTotal = () => providers.reduce((sum, p) => sum + (sim.stats.snapshot()[p]?.requests ?? 0), 0);
let owed = 0;
let last = started;
while (Date.now() - started < durationMs) {
  await new Promise((r) => setTimeout(r, 10));
  const now = Date.now();
  owed += ((now - last) * TARGET_RPS) / 1000;
  last = now;
  while (owed >= 1 && inFlight.size < 256) {
    owed--;
    const p = oneRequest().finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  if (warmedAt === 0 && now - started >= warmupMs) {
    heapStart = await settledHeap();
    warmedAt = Date.now();
    requestsAtWarm = counts.requests;
    countsAtWarm = { ...counts };
    upstreamAtWarm = upstreamTotal();
  }
}
await Promise.allSettled([...inFlight]);
const measuredS = (Date.now() - warmedAt) / 1000;
const requestsMeasured = counts.requests - requestsAtWarm;
const upstreamMeasured = upstreamTotal() - upstreamAtWarm;
clearInterval(switcher);
sim.faults.clear();
const heapEnd = await settledHeap();

const closeStarted = Date.now();
await md.close();
await sim.stop();
process.stdout.write(
  `${JSON.stringify({
    durationMs,
    warmupMs,
    measuredS,
    ...counts,
    rejectionReasons,
    // The same counts for the calls made after warm-up only (the steady state).
    afterWarmup: Object.fromEntries(
      Object.entries(counts).map(([k, v]) => [k, v - (countsAtWarm[k as keyof typeof counts] ?? 0)]),
    ),
    requestsPerS: requestsMeasured / measuredS,
    upstreamPerS: upstreamMeasured / measuredS,
    upstreamByProvider: Object.fromEntries(providers.map((p) => [p, sim.stats.snapshot()[p]?.requests ?? 0])),
    faultSwitches,
    heapStart,
    heapEnd,
    closeMs: Date.now() - closeStarted,
    closedAt: Date.now(),
  })}\n`,
);
// If something still holds the event loop, say what (the timer itself does not keep the process).
setTimeout(() => {
  process.stderr.write(`still alive after close: ${JSON.stringify(process.getActiveResourcesInfo())}\n`);
}, 3_000).unref();
