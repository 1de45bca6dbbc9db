/**
 * One worker process of the many-processes suite (`processes-run.ts` forks four of it with
 * `--import tsx --conditions=source`). It builds a manager on the shared Redis (or Redis Cluster)
 * and the parent's simulator, and for each phase the parent sends it asks for the same symbols as
 * its siblings, starting at the same instant, then reports what it saw.
 */
import { loadConfig, silentLogger } from '@stockade/core';
import { createMarketDataManager, type MarketDataManager } from '@stockade/market-data';
import { Cluster, Redis } from 'ioredis';
import { driveQuotes, emptyTally } from './processes-load.js';

/** A phase as the parent describes it. */
export interface WorkerPhase {
  type: 'phase';
  /** Config overrides of this phase's manager. */
  config: Record<string, unknown>;
  symbols: string[];
  durationMs: number;
  concurrency: number;
}

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const offset = Number(env('CLOCK_OFFSET'));
const clock = { now: () => Date.now() + offset };
const simUrl = env('SIM_URL');
const cluster = process.env.REDIS_CLUSTER;
const redis =
  cluster === undefined
    ? new Redis(env('REDIS_URL'), { maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : new Cluster(JSON.parse(cluster) as Array<{ host: string; port: number }>, {
        clusterRetryStrategy: () => 100,
        redisOptions: { maxRetriesPerRequest: 1 },
      });
redis.on('error', () => {});
const send = (message: unknown) => process.send?.(message);

async function runPhase(phase: WorkerPhase): Promise<void> {
  const md: MarketDataManager = createMarketDataManager({
    config: loadConfig({ file: false, env: {}, overrides: phase.config as never }),
    clock,
    logger: silentLogger,
    redis,
    expectedProcesses: 4,
    simulatorUrls: {
      yahoo: `${simUrl}/yahoo`,
      alphavantage: `${simUrl}/alphavantage`,
      polygon: `${simUrl}/polygon`,
      massive: `${simUrl}/massive`,
    },
  });
  await md.ready();
  // Every sibling builds its manager first; then the parent names one instant for all to start.
  send({ type: 'prepared' });
  const startAt = await new Promise<number>((resolve) => {
    const onGo = (m: { type: string; startAt?: number }) => {
      if (m.type !== 'go') return;
      process.off('message', onGo);
      resolve(m.startAt as number);
    };
    process.on('message', onGo);
  });
  const tally = emptyTally();
  await new Promise((r) => setTimeout(r, Math.max(0, startAt - Date.now())));
  const end = startAt + phase.durationMs;
  await driveQuotes(md, phase.symbols, tally, { concurrency: phase.concurrency, until: () => Date.now() >= end });
  await md.close();
  send({ type: 'done', tally });
}

process.on('message', (message: WorkerPhase | { type: 'close' } | { type: 'go' }) => {
  if (message.type === 'go') return;
  if (message.type === 'close') {
    redis.disconnect();
    process.disconnect?.();
    return;
  }
  runPhase(message).catch((err: unknown) => send({ type: 'failed', error: String((err as Error)?.stack ?? err) }));
});
const waitReady = () =>
  new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
waitReady().then(() => send({ type: 'ready' }));
