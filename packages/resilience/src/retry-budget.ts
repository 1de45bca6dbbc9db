import { type Clock, systemClock } from '@stockade/core';
import { z } from 'zod';
import { ClockSchema, parseOptions } from './options.js';

/** Options of {@link retryBudget}. */
export interface RetryBudgetOptions {
  /**
   * Share of recent requests that may be retried (0–1): 0.2 lets 20 retries through per 100 requests.
   * @default 0.2
   */
  ratio?: number;
  /**
   * Retries always allowed per window, whatever the traffic, so a quiet client can still retry.
   * @default 10
   */
  minPerWindow?: number;
  /**
   * How far back "recent" reaches, ms.
   * @default 10000
   */
  windowMs?: number;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
}

/**
 * Envoy's retry budget: retries may be at most a share of recent requests, so that when a provider
 * is down every caller retrying does not multiply the load on it. Counting is arithmetic on a ring
 * of ten slots: no timer, no allocation per call.
 */
export interface RetryBudget {
  /** Counts one request (an operation, not an attempt); `now` saves a clock read. */
  recordRequest(now?: number): void;
  /** Takes one retry from the budget; false when the budget is spent. */
  tryRetry(now?: number): boolean;
  /** Retries left now. */
  available(now?: number): number;
  /** Requests counted in the window. */
  readonly requests: number;
  /** Retries taken in the window. */
  readonly retries: number;
}

const Options = z
  .object({
    ratio: z.number().min(0).max(1).optional(),
    minPerWindow: z.number().int().min(0).optional(),
    windowMs: z.number().positive().optional(),
    clock: ClockSchema.optional(),
  })
  .strict();

const SLOTS = 10;

/**
 * Creates a {@link RetryBudget}. The hedge policy uses one too, with `ratio: 0.05` and no minimum.
 *
 * @example
 * const budget = retryBudget({ ratio: 0.2, minPerWindow: 10, windowMs: 10_000 });
 * const policy = retry({ maxAttempts: 3, budget });
 */
export function retryBudget(options: RetryBudgetOptions = {}): RetryBudget {
  const o = parseOptions(Options, options, 'retryBudget');
  const ratio = o.ratio ?? 0.2;
  const min = o.minPerWindow ?? 10;
  const slotMs = (o.windowMs ?? 10_000) / SLOTS;
  const clock = o.clock ?? systemClock;
  const requests = new Float64Array(SLOTS);
  const retries = new Float64Array(SLOTS);
  let slot = Math.floor(clock.now() / slotMs);
  // The current slot covers [slotStart, slotEnd): inside it, counting is one comparison.
  let slotStart = slot * slotMs;
  let slotEnd = slotStart + slotMs;
  let totalRequests = 0;
  let totalRetries = 0;

  const rotate = (at = clock.now()): number => {
    if (at >= slotStart && at < slotEnd) return slot % SLOTS;
    const now = Math.floor(at / slotMs);
    slotStart = now * slotMs;
    slotEnd = slotStart + slotMs;
    if (now !== slot) {
      const steps = Math.min(now - slot, SLOTS);
      for (let i = 1; i <= steps; i++) {
        const k = (slot + i) % SLOTS;
        totalRequests -= requests[k] as number;
        totalRetries -= retries[k] as number;
        requests[k] = 0;
        retries[k] = 0;
      }
      slot = now;
    }
    return slot % SLOTS;
  };

  const available = (now?: number): number => {
    rotate(now);
    return Math.max(0, Math.floor(ratio * totalRequests) + min - totalRetries);
  };

  return {
    recordRequest(now?: number) {
      const k = rotate(now);
      requests[k] = (requests[k] as number) + 1;
      totalRequests++;
    },
    tryRetry(now?: number) {
      if (available(now) <= 0) return false;
      const k = slot % SLOTS;
      retries[k] = (retries[k] as number) + 1;
      totalRetries++;
      return true;
    },
    available,
    get requests() {
      rotate();
      return totalRequests;
    },
    get retries() {
      rotate();
      return totalRetries;
    },
  };
}
