/** Options of {@link attemptWindow}. */
export interface AttemptWindowOptions {
  /**
   * Only attempts newer than this are counted, ms.
   * @default 300_000 (5 minutes)
   */
  windowMs?: number;
  /**
   * Most attempts kept; the oldest is overwritten first, so memory stays fixed however busy the provider is.
   * @default 1024
   */
  capacity?: number;
  /**
   * With `stats(now, false)`, percentiles are re-sorted only after this many new attempts; the
   * counts are always exact. Keeps the per-attempt cost a scan, not a sort.
   * @default 16
   */
  recomputeEvery?: number;
}

/** Counts and latency percentiles of the attempts inside the window. */
export interface WindowStats {
  /** Attempts in the window. */
  requests: number;
  /** Of those, successful ones. */
  successes: number;
  /** Share of successful attempts, 0..1 (1 with no attempts: no evidence of trouble). */
  successRate: number;
  /** Median latency of successful attempts, ms (null with none). */
  p50: number | null;
  /** 95th percentile latency of successful attempts, ms (null with none). */
  p95: number | null;
  /** 99th percentile latency of successful attempts, ms (null with none). */
  p99: number | null;
  /** How many latencies the percentiles were taken from. */
  latencySamples: number;
}

/**
 * The recent attempts of one provider in a fixed-size ring. Recording is O(1) and allocation
 * free; {@link AttemptWindow.stats} scans the ring and sorts the latencies it keeps.
 */
export interface AttemptWindow {
  /** Adds one attempt: when (epoch ms), whether it succeeded and how long it took (ms). */
  record(at: number, ok: boolean, latencyMs: number): void;
  /**
   * Stats of the attempts newer than `now - windowMs`. With `fresh` false the percentiles may be
   * those of up to `recomputeEvery - 1` attempts ago (the hot path); reads for reports pass true.
   */
  stats(now: number, fresh?: boolean): WindowStats;
  /** Attempts held in the ring (inside the window or not). */
  readonly size: number;
}

/**
 * Creates an {@link AttemptWindow}. Latency percentiles are taken over successful attempts only:
 * a timeout or a refused call says nothing about how fast the provider answers, and the success
 * rate already counts it.
 *
 * @example
 * const w = attemptWindow({ windowMs: 60_000 });
 * w.record(Date.now(), true, 120);
 * w.stats(Date.now()).p95; // 120
 */
export function attemptWindow(options: AttemptWindowOptions = {}): AttemptWindow {
  const windowMs = options.windowMs ?? 300_000;
  const capacity = options.capacity ?? 1024;
  const at = new Float64Array(capacity);
  const latency = new Float64Array(capacity);
  const ok = new Uint8Array(capacity);
  const recomputeEvery = options.recomputeEvery ?? 16;
  const scratch = new Float64Array(capacity);
  let next = 0;
  let size = 0;
  let sinceSort = Number.POSITIVE_INFINITY;
  let percentiles: Pick<WindowStats, 'p50' | 'p95' | 'p99' | 'latencySamples'> = {
    p50: null,
    p95: null,
    p99: null,
    latencySamples: 0,
  };

  return {
    record(when, succeeded, latencyMs) {
      at[next] = when;
      latency[next] = latencyMs;
      ok[next] = succeeded ? 1 : 0;
      next = (next + 1) % capacity;
      if (size < capacity) size++;
      sinceSort++;
    },
    stats(now, fresh = true) {
      const since = now - windowMs;
      const sort = fresh || sinceSort >= recomputeEvery;
      let requests = 0;
      let successes = 0;
      for (let i = 0; i < size; i++) {
        if ((at[i] as number) <= since) continue;
        requests++;
        if (ok[i] === 1) {
          if (sort) scratch[successes] = latency[i] as number;
          successes++;
        }
      }
      if (sort) {
        const sorted = scratch.subarray(0, successes).sort();
        percentiles = {
          p50: nearestRank(sorted, 50),
          p95: nearestRank(sorted, 95),
          p99: nearestRank(sorted, 99),
          latencySamples: successes,
        };
        sinceSort = 0;
      }
      return { requests, successes, successRate: requests === 0 ? 1 : successes / requests, ...percentiles };
    },
    get size() {
      return size;
    },
  };
}

/** Nearest-rank percentile of an ascending array (null when empty). */
function nearestRank(sorted: Float64Array, p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}
