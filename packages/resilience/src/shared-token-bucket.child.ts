/**
 * A process sharing rate limits through Redis, for the cross-process test in
 * `shared-token-bucket.test.ts` (run with `node --import tsx --conditions=source`). It hammers two
 * shared buckets until `START_AT + DURATION_MS` and prints the Redis time of every grant as JSON.
 */
import { createKeyBuilder } from '@stockade/core';
import { Redis } from 'ioredis';
import { type SharedTokenBucket, sharedTokenBucket } from './shared-token-bucket.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};

const redis = new Redis(env('REDIS_URL'));
const keys = createKeyBuilder({ prefix: env('PREFIX') });
const capacity = Number(env('CAPACITY'));
const refillPerSecond = Number(env('REFILL'));
const startAt = Number(env('START_AT'));
const endAt = startAt + Number(env('DURATION_MS'));
const queue = { maxSize: 100, maxWaitMs: 60_000 };

const single = sharedTokenBucket({
  redis,
  key: keys.bucket('sim', 'second'),
  capacity,
  refillPerSecond,
  expectedProcesses: 2,
  queue,
});
// Alpha Vantage's "5 a minute and 25 a day", with the minute compressed into a second.
const combined = sharedTokenBucket({
  redis,
  buckets: [
    { key: keys.bucket('alphavantage', 'minute'), capacity: 5, refillPerSecond: 5 },
    { key: keys.bucket('alphavantage', 'day'), capacity: 25, refillPerSecond: 25 / 86_400 },
  ],
  expectedProcesses: 2,
  queue,
});

const grants = { single: [] as number[], combined: [] as number[] };
let fallbacks = 0;
single.onGranted((e) => grants.single.push(e.at));
combined.onGranted((e) => grants.combined.push(e.at));
single.onFallback(() => fallbacks++);
combined.onFallback(() => fallbacks++);

const stop = new AbortController();
async function hammer(bucket: SharedTokenBucket): Promise<void> {
  while (!stop.signal.aborted) {
    try {
      await bucket.acquire(1, { signal: stop.signal });
    } catch {
      return;
    }
  }
}

await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
setTimeout(() => stop.abort(), Math.max(0, endAt - Date.now()));
await Promise.all([hammer(single), hammer(single), hammer(single), hammer(combined), hammer(combined)]);
single.close();
combined.close();
process.stdout.write(`${JSON.stringify({ grants, fallbacks })}\n`);
await redis.quit();
