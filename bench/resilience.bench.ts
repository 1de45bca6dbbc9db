/**
 * @stockade/resilience against its peers, side by side in one process.
 *
 *   npm run bench -- resilience      (or: npx tsx bench/resilience.bench.ts [--quick] after a build)
 *
 * 1. The success path on a resolved promise, same thresholds everywhere (attempt timeout 2 s,
 *    breaker trips at 5 failures and half-opens after 10 s, 3 attempts with exponential backoff):
 *    - ours: pipeline(token bucket + breaker + retry + attempt timeout + armed hedge);
 *    - cockatiel 3.2: wrap(retry, breaker, timeout);
 *    - opossum 9: breaker.fire() (no retry; 50 % errors over a 5-call volume threshold).
 *    Twice: (a) the call ignores its signal; (b) the call reads it as undici does (checks
 *    `aborted`, adds a once-listener, removes it when done). Opossum has no per-call signal, so
 *    in (b) the caller makes an AbortController per fire() and passes its signal.
 * 2. Token bucket: an uncontended acquire against bottleneck's schedule(), then both saturated
 *    for 10 s at the same rate (bottleneck with minTime and a reservoir refreshed every second).
 *
 * Prints a markdown table with ratios and writes bench/results/resilience.json through report().
 */
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { circuitBreaker, hedge, type PolicyContext, pipeline, retry, tokenBucket } from '@stockade/resilience';
import Bottleneck from 'bottleneck';
import {
  ConsecutiveBreaker,
  circuitBreaker as cockatielBreaker,
  retry as cockatielRetry,
  timeout as cockatielTimeout,
  ExponentialBackoff,
  handleAll,
  TimeoutStrategy,
  wrap,
} from 'cockatiel';
import { type BenchRow, higherIsBetter, lowerIsBetter, report } from './report.js';

interface OpossumBreaker {
  fire(...args: unknown[]): Promise<unknown>;
  shutdown(): void;
}
type OpossumCtor = new (action: (...args: never[]) => unknown, options: Record<string, unknown>) => OpossumBreaker;
const CircuitBreaker = createRequire(import.meta.url)('opossum') as OpossumCtor;

const quick = process.argv.includes('--quick');
const SATURATED_MS = quick ? 2_000 : 10_000;
const ROUNDS = quick ? 3 : 7;

// ---------------------------------------------------------------------------------------------
// The calls: (a) ignores the signal, (b) reads it as undici does.
const resolved = Promise.resolve('AAPL 187.42');
const onAbort = (): void => {};
const ignoresSignal = (): Promise<string> => resolved;
function readsSignal(signal: AbortSignal): Promise<string> {
  if (signal.aborted) return Promise.reject(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  return resolved.then((v) => {
    signal.removeEventListener('abort', onAbort);
    return v;
  });
}

// ---------------------------------------------------------------------------------------------
// The compositions, same thresholds everywhere.
const ours = pipeline({
  provider: 'bench',
  rateLimit: tokenBucket({ name: 'bench', capacity: 1e12, refillPerSecond: 1e12 }),
  breaker: circuitBreaker({ name: 'bench', breaker: { consecutive: 5 }, halfOpenAfterMs: 10_000 }),
  retry: retry({ maxAttempts: 3, backoff: { initialDelayMs: 128, jitter: 'decorrelated' } }),
  timeoutMs: 2_000,
  // Armed on every call, cancelled when the call answers first.
  hedge: hedge({ afterMs: 1_000 }),
});

const theirs = wrap(
  cockatielRetry(handleAll, { maxAttempts: 3, backoff: new ExponentialBackoff({ initialDelay: 128 }) }),
  cockatielBreaker(handleAll, { halfOpenAfter: 10_000, breaker: new ConsecutiveBreaker(5) }),
  cockatielTimeout(2_000, TimeoutStrategy.Aggressive),
);

const opossumOptions = { timeout: 2_000, resetTimeout: 10_000, errorThresholdPercentage: 50, volumeThreshold: 5 };
const opossumA = new CircuitBreaker(ignoresSignal, opossumOptions);
const opossumB = new CircuitBreaker((signal: AbortSignal) => readsSignal(signal), opossumOptions);

const scenarios = {
  a: {
    ours: () => ours.execute(ignoresSignal),
    cockatiel: () => theirs.execute(ignoresSignal),
    opossum: () => opossumA.fire(),
  },
  b: {
    ours: () => ours.execute((ctx: PolicyContext) => readsSignal(ctx.signal)),
    cockatiel: () => theirs.execute(({ signal }) => readsSignal(signal)),
    opossum: () => opossumB.fire(new AbortController().signal),
  },
};

// ---------------------------------------------------------------------------------------------
// Measuring: hrtime loops after a warmup; the fastest of several rounds, for every contender
// alike (the machine is shared: other work only ever adds time).
async function nsPerCall(fn: () => Promise<unknown>, calls: number): Promise<number> {
  for (let i = 0; i < Math.min(calls, 20_000); i++) await fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) await fn();
    rounds.push(Number(process.hrtime.bigint() - t0) / calls);
  }
  return Math.min(...rounds);
}

function nsPerSyncCall(fn: () => unknown, calls: number): number {
  for (let i = 0; i < calls; i++) fn();
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) fn();
    rounds.push(Number(process.hrtime.bigint() - t0) / calls);
  }
  return Math.min(...rounds);
}

function percentile(xs: number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] as number;
}

// ---------------------------------------------------------------------------------------------
// Saturated buckets: callers always waiting; record when each grant happened.
interface Saturation {
  granted: number;
  ratePerSecond: number;
  rateErrorPct: number;
  p50LatenessMs: number;
  p99LatenessMs: number;
  maxBurstIn10ms: number;
}

/**
 * Lateness of each grant: how long after the limiter could have granted it (given the grants
 * before it, replayed through a token bucket of `capacity` at `rate`) the caller got it. A
 * bottleneck with minTime is a bucket of capacity 1: each job may start minTime after the last.
 */
function saturation(times: number[], start: number, rate: number, burst: number, capacity = burst): Saturation {
  const perMs = rate / 1000;
  const lateness: number[] = [];
  let level = capacity;
  let last = start;
  for (const t of times) {
    const available = level >= 1 ? last : last + (1 - level) / perMs;
    lateness.push(Math.max(0, t - available));
    level = Math.min(capacity, level + (t - last) * perMs) - 1;
    last = t;
  }
  const span = SATURATED_MS / 1000;
  const granted = times.length;
  const steady = granted - burst;
  let maxBurst = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while ((times[j] as number) < (times[i] as number) - 10) j++;
    maxBurst = Math.max(maxBurst, i - j + 1);
  }
  return {
    granted,
    ratePerSecond: steady / span,
    rateErrorPct: ((steady / span - rate) / rate) * 100,
    p50LatenessMs: percentile(lateness, 50),
    p99LatenessMs: percentile(lateness, 99),
    maxBurstIn10ms: maxBurst,
  };
}

async function saturateOurs(rate: number, burst: number, callers: number): Promise<Saturation> {
  const bucket = tokenBucket({
    name: 'saturated',
    capacity: burst,
    refillPerSecond: rate,
    queue: { maxSize: callers, maxWaitMs: 60_000 },
  });
  const times: number[] = [];
  const start = performance.now();
  const end = start + SATURATED_MS;
  const caller = async (): Promise<void> => {
    while (performance.now() < end) {
      await bucket.acquire();
      const t = performance.now();
      if (t < end) times.push(t);
    }
  };
  await Promise.all(Array.from({ length: callers }, caller));
  bucket.close();
  return saturation(times, start, rate, burst);
}

async function saturateBottleneck(rate: number, callers: number): Promise<Saturation> {
  // The same rate both ways bottleneck offers it: spacing (minTime) and a reservoir refilled
  // every second (a fixed window).
  const limiter = new Bottleneck({
    minTime: 1000 / rate,
    reservoir: rate,
    reservoirRefreshAmount: rate,
    reservoirRefreshInterval: 1000,
  });
  const times: number[] = [];
  const start = performance.now();
  const end = start + SATURATED_MS;
  const job = async (): Promise<void> => {
    const t = performance.now();
    if (t < end) times.push(t);
  };
  const caller = async (): Promise<void> => {
    while (performance.now() < end) await limiter.schedule(job);
  };
  await Promise.all(Array.from({ length: callers }, caller));
  await limiter.stop({ dropWaitingJobs: true });
  // minTime spaces jobs from the first one: no burst to discount, a bucket of capacity 1.
  return saturation(times, start, rate, 1, 1);
}

// ---------------------------------------------------------------------------------------------
interface Row {
  scenario: string;
  oursNs: number;
  peer: string;
  peerNs: number;
  ratio: number;
}

const rows: Row[] = [];

for (const [key, label] of [
  ['a', '(a) call ignores the signal'],
  ['b', '(b) call reads the signal like undici'],
] as const) {
  const s = scenarios[key];
  const oursNs = await nsPerCall(s.ours, quick ? 50_000 : 200_000);
  const cockatielNs = await nsPerCall(s.cockatiel, quick ? 10_000 : 40_000);
  const opossumNs = await nsPerCall(s.opossum, quick ? 20_000 : 100_000);
  rows.push({
    scenario: label,
    oursNs,
    peer: 'cockatiel 3.2 wrap(retry, breaker, timeout)',
    peerNs: cockatielNs,
    ratio: cockatielNs / oursNs,
  });
  rows.push({ scenario: label, oursNs, peer: 'opossum 9 fire()', peerNs: opossumNs, ratio: opossumNs / oursNs });
}
opossumA.shutdown();
opossumB.shutdown();

const baselineNs = await nsPerCall(ignoresSignal, quick ? 50_000 : 200_000);

// Uncontended acquire: a bucket that never runs dry.
const uncontended = tokenBucket({ capacity: 1e12, refillPerSecond: 1e12 });
const acquireNs = nsPerSyncCall(() => uncontended.tryAcquire(), 2_000_000);
const now = Date.now();
const acquireArithmeticNs = nsPerSyncCall(() => uncontended.tryAcquire(1, now), 2_000_000);
const clockNs = nsPerSyncCall(() => Date.now(), 2_000_000);
const acquireAsyncNs = await nsPerCall(() => uncontended.acquire(), quick ? 50_000 : 200_000);
const unlimited = new Bottleneck({});
const noop = async (): Promise<void> => {};
// ~5 ms a job: a few hundred calls are plenty.
const bottleneckNs = await nsPerCall(() => unlimited.schedule(noop), quick ? 100 : 300);
await unlimited.stop();
rows.push({
  scenario: 'bucket: uncontended acquire (await)',
  oursNs: acquireAsyncNs,
  peer: 'bottleneck schedule()',
  peerNs: bottleneckNs,
  ratio: bottleneckNs / acquireAsyncNs,
});

// Saturated: same rate, same burst, 50 callers always waiting.
const RATE = 1_000;
const BURST = 50;
const [oursSat, bottleneckSat] = await Promise.all([saturateOurs(RATE, BURST, 50), saturateBottleneck(RATE, 50)]);

// ---------------------------------------------------------------------------------------------
const [aCockatiel, aOpossum, bCockatiel, bOpossum, bucketRow] = rows as [Row, Row, Row, Row, Row];
const timeRow = (r: Row, peer: string, target?: string, met?: boolean): BenchRow =>
  lowerIsBetter({ scenario: r.scenario, ours: r.oursNs, peer, peerValue: r.peerNs, unit: 'ns/op', target, met });
const benchRows: BenchRow[] = [
  timeRow(aCockatiel, aCockatiel.peer, '≥ 10× and ≤ 1 000 ns', aCockatiel.ratio >= 10 && aCockatiel.oursNs <= 1_000),
  timeRow(aOpossum, aOpossum.peer),
  timeRow(bCockatiel, bCockatiel.peer, '≥ 10× and ≤ 5 000 ns', bCockatiel.ratio >= 10 && bCockatiel.oursNs <= 5_000),
  timeRow(bOpossum, bOpossum.peer),
  lowerIsBetter({
    scenario: '(a) pipeline overhead',
    ours: aCockatiel.oursNs,
    peer: 'bare `await call()`, no policy',
    peerValue: baselineNs,
    unit: 'ns/op',
  }),
  timeRow(bucketRow, bucketRow.peer),
  lowerIsBetter({
    scenario: 'bucket: uncontended `tryAcquire()` (reads the clock)',
    ours: acquireNs,
    peer: '`Date.now()` alone',
    peerValue: clockNs,
    unit: 'ns/op',
    target: '≤ 100 ns',
    met: acquireNs <= 100,
  }),
  lowerIsBetter({
    scenario: 'bucket: uncontended `tryAcquire(1, now)` (arithmetic only)',
    ours: acquireArithmeticNs,
    peer: '`Date.now()` alone',
    peerValue: clockNs,
    unit: 'ns/op',
  }),
  higherIsBetter({
    scenario: `saturated ${SATURATED_MS / 1000} s at ${RATE}/s, burst ${BURST}, 50 callers: grant rate`,
    ours: oursSat.ratePerSecond,
    peer: 'bottleneck 2.19.5 (minTime + reservoir)',
    peerValue: bottleneckSat.ratePerSecond,
    unit: 'grants/s',
    target: `within 1 % of ${RATE}/s`,
    met: Math.abs(oursSat.rateErrorPct) <= 1,
  }),
  lowerIsBetter({
    scenario: 'saturated: p99 lateness of a grant',
    ours: oursSat.p99LatenessMs,
    peer: 'bottleneck 2.19.5 (minTime + reservoir)',
    peerValue: bottleneckSat.p99LatenessMs,
    unit: 'ms',
    target: '≤ 2 ms',
    met: oursSat.p99LatenessMs <= 2,
  }),
];
console.log(
  `\n@stockade/resilience — ${new Date().toISOString()} — Node ${process.version}${quick ? ' (--quick)' : ''}`,
);
report('resilience', benchRows, {
  command: 'npm run bench -- resilience',
  notes: [
    'Success path on a resolved promise, same thresholds everywhere (attempt timeout 2 s, breaker trips at 5 failures, 3 attempts with exponential backoff); ours also arms a hedge. Fastest of several rounds per contender.',
    '(a) the call ignores its signal; (b) it reads it as undici does. Opossum has no per-call signal, so in (b) the caller makes an AbortController per fire().',
    `Saturated: ours granted ${oursSat.granted} (p50 lateness ${oursSat.p50LatenessMs.toFixed(2)} ms, most grants in 10 ms ${oursSat.maxBurstIn10ms}); bottleneck granted ${bottleneckSat.granted} (p50 ${bottleneckSat.p50LatenessMs.toFixed(2)} ms, most in 10 ms ${bottleneckSat.maxBurstIn10ms}).`,
    'Context, not run here: Polly v8 publishes 2 090 ns for five strategies.',
  ],
  quick,
  saturated: { rate: RATE, burst: BURST, seconds: SATURATED_MS / 1000, ours: oursSat, bottleneck: bottleneckSat },
  bucket: { acquireNs, acquireArithmeticNs, clockNs, acquireAsyncNs, bottleneckNs },
});
