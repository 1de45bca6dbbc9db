import { createHash, randomBytes } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import type { ScriptBucket, ScriptReply } from './shared-bucket-script.js';

/**
 * One script for every operation on a set of sliding-window quotas (all keys share a hash tag, so
 * one slot). Each window is a sorted set of grant times, scored by Redis's own `TIME`: a grant
 * leaves the window exactly `windowMs` after it was made, so no window of that length ever holds
 * more than `capacity` grants — the way providers count "5 per minute", across every process.
 * A pause (Retry-After) is the member `pause`, scored with its end; it is never counted as a grant
 * and, scored later than every grant, never shifts the rank of the oldest ones.
 *
 * KEYS: the windows. ARGV: mode, x, a unique id for this call's members, then per key capacity
 * and window length in ms.
 * - `take`: x = cost; takes from every window or from none; replies
 *   `{1, 0, now, left…}` or `{0, waitMs, now, left…}`, `left` being each window's free grants.
 * - `pause`: x = ms from now; nothing is granted before then.
 * - `clamp`: x = remaining calls the provider reported; phantom grants fill each window down to it.
 */
export const SHARED_WINDOW_LUA = `
local mode = ARGV[1]
local x = tonumber(ARGV[2])
local id = ARGV[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local n = #KEYS
local counts, caps, wins, pauses = {}, {}, {}, {}
local paused = 0
for i = 1, n do
  caps[i] = tonumber(ARGV[2 + i * 2])
  wins[i] = tonumber(ARGV[3 + i * 2])
  local p = tonumber(redis.call('ZSCORE', KEYS[i], 'pause'))
  if p ~= nil and p <= now then
    redis.call('ZREM', KEYS[i], 'pause')
    p = nil
  end
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - wins[i])
  local count = redis.call('ZCARD', KEYS[i])
  if p ~= nil then
    count = count - 1
    if p > paused then paused = p end
  end
  pauses[i] = p or 0
  counts[i] = count
end
local function expire(i)
  redis.call('PEXPIRE', KEYS[i], math.ceil(math.max(wins[i], pauses[i] - now)) + 1000)
end
local function reply(granted, wait)
  local out = {granted, tostring(wait), tostring(now)}
  for i = 1, n do out[3 + i] = tostring(caps[i] - counts[i]) end
  return out
end
if mode == 'take' then
  local wait = paused - now
  for i = 1, n do
    local over = counts[i] + x - caps[i]
    if over > 0 then
      -- The over-th oldest grant must leave the window first.
      local oldest = redis.call('ZRANGE', KEYS[i], over - 1, over - 1, 'WITHSCORES')
      local w = tonumber(oldest[2]) + wins[i] - now
      if w > wait then wait = w end
    end
  end
  if wait > 0 then return reply(0, wait) end
  for i = 1, n do
    for j = 1, x do redis.call('ZADD', KEYS[i], now, id .. ':' .. j) end
    counts[i] = counts[i] + x
    expire(i)
  end
elseif mode == 'pause' then
  local untilMs = now + x
  for i = 1, n do
    if untilMs > pauses[i] then
      redis.call('ZADD', KEYS[i], untilMs, 'pause')
      pauses[i] = untilMs
      expire(i)
    end
  end
elseif mode == 'clamp' then
  for i = 1, n do
    local excess = caps[i] - counts[i] - math.max(0, x)
    for j = 1, excess do redis.call('ZADD', KEYS[i], now, id .. ':c' .. j) end
    if excess > 0 then
      counts[i] = counts[i] + excess
      expire(i)
    end
  end
end
return reply(1, 0)
`;
const SHA = createHash('sha1').update(SHARED_WINDOW_LUA).digest('hex');

/**
 * Runs the sliding-window script with EVALSHA, loading it with EVAL the first time (NOSCRIPT, also
 * on a cluster node or a restarted server that has not seen it). Costs are whole grants.
 */
export function windowScriptRunner(redis: Redis | Cluster, windows: readonly ScriptBucket[]) {
  const keys = windows.map((w) => w.key);
  const perKey = windows.flatMap((w) => [String(w.capacity), String((w.capacity / w.refillPerSecond) * 1000)]);
  // Members must be unique across processes: a random prefix per runner, a counter per call.
  const origin = randomBytes(6).toString('hex');
  let calls = 0;
  return async (mode: 'take' | 'pause' | 'clamp', x: number): Promise<ScriptReply> => {
    const amount = mode === 'pause' ? x : Math.ceil(x);
    const args = [...keys, mode, String(amount), `${origin}:${(calls++).toString(36)}`, ...perKey];
    let raw: unknown;
    try {
      raw = await redis.evalsha(SHA, keys.length, ...args);
    } catch (err) {
      if (!String((err as Error | undefined)?.message).startsWith('NOSCRIPT')) throw err;
      raw = await redis.eval(SHARED_WINDOW_LUA, keys.length, ...args);
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
