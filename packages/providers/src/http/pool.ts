import { Pool } from 'undici';
import type { PoolStats } from '../provider.js';

/** Options of {@link createPoolSet}. */
export interface PoolSetOptions {
  /** Sockets per origin. @default 8 */
  connections?: number;
  /** Idle socket lifetime, ms. @default 30_000 */
  keepAliveTimeoutMs?: number;
  /** Longest wait for response headers, ms. @default 30_000 */
  headersTimeoutMs?: number;
  /** Longest silence while reading a body, ms. @default 30_000 */
  bodyTimeoutMs?: number;
  /** How long `close()` lets in-flight requests finish before it destroys their sockets, ms. @default 2_000 */
  closeGraceMs?: number;
}

/** One undici `Pool` per origin, created on first use and closed together. */
export interface PoolSet {
  /** The pool of `origin` (`https://host:port`), created with keep-alive on first use. */
  pool(origin: string): Pool;
  /** Counters summed over every origin's pool. */
  stats(): PoolStats;
  /** Whether {@link PoolSet.close} was called. */
  readonly closed: boolean;
  /**
   * Closes every pool, letting in-flight requests finish for `closeGraceMs`; a request still
   * running then (a hung upstream, a body nobody reads) is destroyed, so a shutdown never hangs.
   */
  close(): Promise<void>;
}

/**
 * Creates a {@link PoolSet}: keep-alive sockets per origin so a quote cycle reuses connections
 * instead of paying a TLS handshake per call.
 */
export function createPoolSet(options: PoolSetOptions = {}): PoolSet {
  const pools = new Map<string, Pool>();
  let closed = false;
  return {
    pool(origin) {
      let pool = pools.get(origin);
      if (pool === undefined) {
        pool = new Pool(origin, {
          connections: options.connections ?? 8,
          keepAliveTimeout: options.keepAliveTimeoutMs ?? 30_000,
          headersTimeout: options.headersTimeoutMs ?? 30_000,
          bodyTimeout: options.bodyTimeoutMs ?? 30_000,
        });
        pools.set(origin, pool);
      }
      return pool;
    },
    stats() {
      const total: PoolStats = { connected: 0, pending: 0, running: 0 };
      for (const pool of pools.values()) {
        const s = pool.stats;
        total.connected += s.connected;
        total.pending += s.pending;
        total.running += s.running;
      }
      return total;
    },
    get closed() {
      return closed;
    },
    async close() {
      closed = true;
      const all = [...pools.values()];
      pools.clear();
      const graceMs = options.closeGraceMs ?? 2_000;
      await Promise.all(
        all.map((p) => {
          let timer: NodeJS.Timeout | undefined;
          const grace = new Promise<'late'>((resolve) => {
            timer = setTimeout(() => resolve('late'), graceMs);
            timer.unref();
          });
          return Promise.race([p.close().then(() => 'closed' as const), grace])
            .catch(() => 'late' as const)
            .then((outcome) => {
              clearTimeout(timer);
              return outcome === 'late' ? p.destroy() : undefined;
            })
            .catch(() => undefined);
        }),
      );
    },
  };
}
