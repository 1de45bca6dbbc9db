import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';

/**
 * One script for every operation on a set of buckets (all keys share a hash tag, so one slot).
 * Time is Redis's own `TIME` — allowed in scripts since Redis 5 (effects replication) — so
 * processes on hosts with skewed clocks still agree.
 *
 * Each key is a hash `{ tokens, ts, paused }`: tokens as of `ts` (refilled by arithmetic on each
 * call), and no grant before `paused` (a 429's Retry-After).
 *
 * KEYS: the buckets. ARGV: mode, x, then per key capacity, refill per ms, ttl ms.
 * - `take`: x = cost; takes from every bucket or from none; replies `{1, 0, now, left…}` or
 *   `{0, waitMs, now, left…}`, `left` being each bucket's tokens.
 * - `pause`: x = ms from now; nothing is granted before then.
 * - `clamp`: x = remaining calls the provider reported; no bucket holds more.
 */
export const SHARED_BUCKET_LUA = `
local mode = ARGV[1]
local x = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local n = #KEYS
local tokens, pauses, caps, rates, ttls = {}, {}, {}, {}, {}
local wait = 0
for i = 1, n do
  local base = 2 + (i - 1) * 3
  caps[i] = tonumber(ARGV[base + 1])
  rates[i] = tonumber(ARGV[base + 2])
  ttls[i] = tonumber(ARGV[base + 3])
  local h = redis.call('HMGET', KEYS[i], 'tokens', 'ts', 'paused')
  local level = tonumber(h[1])
  local ts = tonumber(h[2])
  local paused = tonumber(h[3]) or 0
  if level == nil or ts == nil then level = caps[i]; ts = now end
  if now > ts then level = math.min(caps[i], level + (now - ts) * rates[i]) end
  tokens[i] = level
  pauses[i] = paused
  if mode == 'take' then
    local w = 0
    if paused > now then
      local later = math.min(caps[i], level + (paused - now) * rates[i])
      w = (paused - now) + math.max(0, x - later) / rates[i]
    elseif level < x then
      w = (x - level) / rates[i]
    end
    if w > wait then wait = w end
  end
end
local function reply(granted, wait)
  local out = {granted, tostring(wait), tostring(now)}
  for i = 1, n do out[3 + i] = tostring(tokens[i]) end
  return out
end
if mode == 'take' then
  if wait > 0 then return reply(0, wait) end
  for i = 1, n do
    tokens[i] = tokens[i] - x
    redis.call('HSET', KEYS[i], 'tokens', tostring(tokens[i]), 'ts', tostring(now))
    redis.call('PEXPIRE', KEYS[i], ttls[i])
  end
elseif mode == 'pause' then
  local untilMs = now + x
  for i = 1, n do
    if untilMs > pauses[i] then
      redis.call('HSET', KEYS[i], 'tokens', tostring(tokens[i]), 'ts', tostring(now), 'paused', tostring(untilMs))
      redis.call('PEXPIRE', KEYS[i], ttls[i] + math.ceil(x))
    end
  end
elseif mode == 'clamp' then
  for i = 1, n do
    if tokens[i] > x then
      tokens[i] = x
      redis.call('HSET', KEYS[i], 'tokens', tostring(x), 'ts', tostring(now))
      redis.call('PEXPIRE', KEYS[i], ttls[i])
    end
  end
end
return reply(1, 0)
`;
const SHA = createHash('sha1').update(SHARED_BUCKET_LUA).digest('hex');

/** One bucket as the script sees it. */
export interface ScriptBucket {
  /** Redis key (from core's `keys.bucket(provider, name)`). */
  readonly key: string;
  /** Most tokens. */
  readonly capacity: number;
  /** Tokens per second. */
  readonly refillPerSecond: number;
}

/** What the script answered. */
export interface ScriptReply {
  /** Whether the tokens were taken (always true for `pause` and `clamp`). */
  readonly granted: boolean;
  /** When not granted: ms until they could be. */
  readonly waitMs: number;
  /** Redis's clock at the time, epoch ms. */
  readonly at: number;
  /** Tokens left in each bucket (or free grants in each window) after the call, in key order. */
  readonly remaining: readonly number[];
}

/** Runs the shared-bucket script with EVALSHA, loading it with EVAL the first time (NOSCRIPT). */
export function scriptRunner(redis: Redis | Cluster, buckets: readonly ScriptBucket[]) {
  const keys = buckets.map((b) => b.key);
  const perKey = buckets.flatMap((b) => {
    const perMs = b.refillPerSecond / 1000;
    const ttl = Math.ceil(b.capacity / perMs) + 1000;
    return [String(b.capacity), String(perMs), String(ttl)];
  });
  return async (mode: 'take' | 'pause' | 'clamp', x: number): Promise<ScriptReply> => {
    const args = [...keys, mode, String(x), ...perKey];
    let raw: unknown;
    try {
      raw = await redis.evalsha(SHA, keys.length, ...args);
    } catch (err) {
      if (!String((err as Error | undefined)?.message).startsWith('NOSCRIPT')) throw err;
      raw = await redis.eval(SHARED_BUCKET_LUA, keys.length, ...args);
    }
    const reply = raw as [number, string, string, ...string[]];
    return {
      granted: reply[0] === 1,
      waitMs: Number(reply[1]),
      at: Number(reply[2]),
      remaining: reply.slice(3).map(Number),
    };
  };
}
