import { type Clock, systemClock } from '@stockade/core';
import type { Disposable, PoolStats, ResponseHeadersEvent } from '../provider.js';
import { createPoolSet } from './pool.js';
import { type HttpResponse, httpGet } from './request.js';
import { parseRetryAfter } from './retry-after.js';

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /** Provider name, for errors and events. */
  provider: string;
  /** Sockets per origin. @default 8 */
  connections?: number;
  /** Body limit after decompression, bytes. @default 8_388_608 */
  bodyLimitBytes?: number;
  /** Idle socket lifetime, ms. @default 30_000 */
  keepAliveTimeoutMs?: number;
  /** Headers timeout, ms. @default 30_000 */
  headersTimeoutMs?: number;
  /** Body timeout, ms. @default 30_000 */
  bodyTimeoutMs?: number;
  /** Clock for Retry-After dates. @default systemClock */
  clock?: Clock;
}

/** A response with its retry hint read. */
export interface TransportResponse extends HttpResponse {
  /** `Retry-After`, ms, when sent. */
  retryAfterMs: number | undefined;
}

/** What one provider's requests go through: its pools, limits and header observers. */
export interface Transport {
  /** Provider name. */
  readonly provider: string;
  /** Clock. */
  readonly clock: Clock;
  /** GETs a URL; see `httpGet`. */
  get(
    url: URL,
    options: { headers?: Record<string, string>; signal?: AbortSignal; operation: string; symbols?: readonly string[] },
  ): Promise<TransportResponse>;
  /** Pool counters. */
  stats(): PoolStats;
  /** Subscribes to every response's headers. */
  onResponseHeaders(listener: (event: ResponseHeadersEvent) => void): Disposable;
  /** Closes the pools. */
  close(): Promise<void>;
}

/** Default body limit: 8 MiB, far above any quote or a year of minute bars per page. */
export const DEFAULT_BODY_LIMIT_BYTES = 8 * 1024 * 1024;

/** Creates the {@link Transport} of one provider. */
export function createTransport(options: TransportOptions): Transport {
  const pools = createPoolSet(options);
  const clock = options.clock ?? systemClock;
  const bodyLimitBytes = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const listeners = new Set<(event: ResponseHeadersEvent) => void>();
  return {
    provider: options.provider,
    clock,
    async get(url, o) {
      const res = await httpGet(pools, url, {
        headers: o.headers,
        signal: o.signal,
        bodyLimitBytes,
        context: { provider: options.provider, operation: o.operation, symbols: o.symbols },
      });
      const retryAfterMs = parseRetryAfter(res.headers['retry-after'], clock.now());
      if (listeners.size > 0) {
        const event: ResponseHeadersEvent = { provider: options.provider, status: res.status, headers: res.headers };
        if (retryAfterMs !== undefined) event.retryAfterMs = retryAfterMs;
        for (const listener of listeners) {
          try {
            listener(event);
          } catch {
            // An observer's bug must not fail the request it observes.
          }
        }
      }
      return { ...res, retryAfterMs };
    },
    stats: () => pools.stats(),
    onResponseHeaders(listener) {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    close: () => pools.close(),
  };
}
