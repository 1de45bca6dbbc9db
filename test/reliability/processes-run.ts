import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@stockade/simulator';
import { pinnedClock } from '../../packages/market-data/src/test-support/harness.js';
import type { WorkerPhase } from './processes.worker.js';
import { emptyTally, type LoadTally } from './processes-load.js';

const WORKER = fileURLToPath(new URL('./processes.worker.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const full = process.env.STOCKADE_RELIABILITY === 'full';

/** Where the workers' Redis is. */
export type SharedRedis = { url: string } | { cluster: ReadonlyArray<{ host: string; port: number }> };

/** Figures of the single-flight phase. */
export interface SingleFlightFigures {
  processes: number;
  symbols: number;
  ttlMs: number;
  durationMs: number;
  /** Alpha Vantage GLOBAL_QUOTE requests the simulator received. */
  upstreamCalls: number;
  /** Upstream calls per key per TTL window. */
  perKeyPerTtl: number;
  tally: LoadTally;
}

/** Figures of the shared-quota phase. */
export interface QuotaFigures {
  processes: number;
  durationMs: number;
  /** The quota every provider has, calls per minute (manager config and simulator alike). */
  perMinute: number;
  /** Requests each provider received, and the 429s it answered. */
  providers: Record<string, { requests: number; status429: number; quotaFaults: number }>;
  tally: LoadTally;
}

const QUOTA_PROVIDERS = ['polygon', 'massive'] as const;

function sum(tallies: readonly LoadTally[]): LoadTally {
  const out = emptyTally();
  for (const t of tallies) {
    out.calls += t.calls;
    out.fresh += t.fresh;
    out.stale += t.stale;
    out.rejected += t.rejected;
    for (const [k, v] of Object.entries(t.errors)) out.errors[k] = (out.errors[k] ?? 0) + v;
  }
  return out;
}

/**
 * Forks four workers on one Redis (or Cluster) and one simulator, and runs two phases: the same
 * symbols asked by every process through one provider (upstream calls per key per TTL), then
 * more demand than two providers' quotas allow (requests per provider against the quota).
 */
export async function runProcessesScenario(redis: SharedRedis, prefix: string, processes = 4) {
  const clock = pinnedClock();
  const offset = clock.now() - Date.now();
  const sim = await startSimulator({ port: 0, seed: 11, clock });
  const workers: ChildProcess[] = [];
  try {
    const base = sim.url('yahoo').replace(/\/yahoo$/, '');
    for (let i = 0; i < processes; i++) {
      workers.push(
        fork(WORKER, [], {
          cwd: ROOT,
          execArgv: ['--import', 'tsx', '--conditions=source'],
          env: {
            ...process.env,
            CLOCK_OFFSET: String(offset),
            SIM_URL: base,
            ...('url' in redis ? { REDIS_URL: redis.url } : { REDIS_CLUSTER: JSON.stringify(redis.cluster) }),
          },
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
        }),
      );
    }
    await Promise.all(workers.map((w) => next(w, 'ready', 60_000)));

    const runPhase = async (phase: Omit<WorkerPhase, 'type'>): Promise<LoadTally> => {
      const prepared = workers.map((w) => next(w, 'prepared', 30_000));
      for (const w of workers) w.send({ type: 'phase', ...phase } satisfies WorkerPhase);
      await Promise.all(prepared);
      const done = workers.map((w) => next(w, 'done', phase.durationMs + 30_000));
      const startAt = Date.now() + 200;
      for (const w of workers) w.send({ type: 'go', startAt });
      return sum((await Promise.all(done)).map((m) => m.tally as LoadTally));
    };
    const common = {
      profile: 'test',
      mode: 'simulator',
      cache: { keyPrefix: prefix },
      resilience: {
        attemptTimeoutMs: 1_000,
        deadlineMs: 3_000,
        retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 },
        hedge: { enabled: false },
      },
    };

    // Phase 1: the cross-process single-flight. Alpha Vantage quotes one symbol per request, so
    // its request count is the count of loads.
    const ttlMs = 1_000;
    const flightMs = full ? 20_000 : 4_000;
    const symbols = ['AAPL', 'MSFT', 'NVDA', 'AMZN'];
    sim.stats.reset();
    const flightTally = await runPhase({
      config: {
        ...common,
        cache: { keyPrefix: `${prefix}flight:`, ttl: { quoteRegularMs: ttlMs } },
        providers: {
          yahoo: { enabled: false },
          polygon: { enabled: false },
          massive: { enabled: false },
          alphavantage: { quotas: [{ name: 'minute', limit: 100_000, perMs: 60_000 }] },
        },
      },
      symbols,
      durationMs: flightMs,
      concurrency: 4,
    });
    const upstreamCalls = sim.stats.requests('alphavantage', 'GLOBAL_QUOTE');
    const singleFlight: SingleFlightFigures = {
      processes,
      symbols: symbols.length,
      ttlMs,
      durationMs: flightMs,
      upstreamCalls,
      perKeyPerTtl: upstreamCalls / (symbols.length * (flightMs / ttlMs)),
      tally: flightTally,
    };

    // Phase 2: shared quotas. Two providers at 20 calls a minute each, told to the manager and
    // enforced by the simulator; the phase is shorter than the minute, so any excess is a 429.
    const perMinute = 20;
    const quotaMs = full ? 30_000 : 4_000;
    for (const p of QUOTA_PROVIDERS) sim.faults.set(p, { quota: { perMinute } });
    sim.stats.reset();
    const quotaTally = await runPhase({
      config: {
        ...common,
        cache: { keyPrefix: `${prefix}quota:`, ttl: { quoteRegularMs: 200 } },
        providers: {
          yahoo: { enabled: false },
          alphavantage: { enabled: false },
          polygon: { quotas: [{ name: 'minute', limit: perMinute, perMs: 60_000 }] },
          massive: { quotas: [{ name: 'minute', limit: perMinute, perMs: 60_000 }] },
        },
      },
      symbols: ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'SPY', 'QQQ', 'META', 'TSLA'],
      durationMs: quotaMs,
      concurrency: 4,
    });
    const snapshot = sim.stats.snapshot();
    const quota: QuotaFigures = {
      processes,
      durationMs: quotaMs,
      perMinute,
      providers: Object.fromEntries(
        QUOTA_PROVIDERS.map((p) => [
          p,
          {
            requests: snapshot[p].requests,
            status429: snapshot[p].statuses[429] ?? 0,
            quotaFaults: snapshot[p].faults.quotaMinute ?? 0,
          },
        ]),
      ),
      tally: quotaTally,
    };
    sim.faults.clear();
    return { singleFlight, quota };
  } finally {
    for (const w of workers) {
      if (w.connected) w.send({ type: 'close' });
    }
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.exitCode !== null) return resolve();
            const kill = setTimeout(() => w.kill('SIGKILL'), 5_000);
            w.once('exit', () => {
              clearTimeout(kill);
              resolve();
            });
          }),
      ),
    );
    await sim.stop();
  }
}

function next(worker: ChildProcess, type: string, timeoutMs: number): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => done(new Error(`worker sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (m: Record<string, unknown>) => {
      if (m.type === type) done(undefined, m);
      else if (m.type === 'failed') done(new Error(`worker failed: ${String(m.error)}`));
    };
    const onExit = (code: number | null) => done(new Error(`worker exited with ${code} before "${type}"`));
    const done = (err?: Error, m?: Record<string, unknown>) => {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      if (err) reject(err);
      else resolve(m as Record<string, unknown>);
    };
    worker.on('message', onMessage);
    worker.on('exit', onExit);
  });
}
