import { z } from 'zod';
import { parseOptions } from './options.js';

/** Options of {@link latencyWindow}. */
export interface LatencyWindowOptions {
  /**
   * How many recent latencies are kept.
   * @default 512
   */
  size?: number;
  /**
   * Fewer samples than this and {@link LatencyWindow.percentile} answers `undefined`.
   * @default 20
   */
  minSamples?: number;
  /**
   * Percentiles are recomputed after this many new samples (reads in between are a field read).
   * @default 32
   */
  recomputeEvery?: number;
}

/** Recent latencies and live percentiles of them. */
export interface LatencyWindow {
  /** Adds one latency, ms. O(1). */
  record(ms: number): void;
  /** The `p`-th percentile (0–100) of the kept latencies, ms; undefined with too few samples. */
  percentile(p: number): number | undefined;
  /** Samples kept. */
  readonly count: number;
}

const Options = z
  .object({
    size: z.number().int().min(1).max(1_000_000).optional(),
    minSamples: z.number().int().min(1).optional(),
    recomputeEvery: z.number().int().min(1).optional(),
  })
  .strict();

/**
 * Creates a {@link LatencyWindow}: a ring of the last `size` latencies. A percentile is computed by
 * sorting a copy, at most once per `recomputeEvery` samples and per percentile asked, so the hedge
 * policy can read its delay on every call for a field read.
 *
 * @example
 * const window = latencyWindow({ size: 256 });
 * window.record(42);
 * const p95 = window.percentile(95); // undefined until 20 samples
 */
export function latencyWindow(options: LatencyWindowOptions = {}): LatencyWindow {
  const o = parseOptions(Options, options, 'latencyWindow');
  const size = o.size ?? 512;
  const minSamples = Math.min(o.minSamples ?? 20, size);
  const every = o.recomputeEvery ?? 32;
  const ring = new Float64Array(size);
  const scratch = new Float64Array(size);
  let next = 0;
  let count = 0;
  let version = 0;
  const cache = new Map<number, { version: number; value: number }>();

  return {
    record(ms) {
      ring[next] = ms;
      next = (next + 1) % size;
      if (count < size) count++;
      version++;
    },
    percentile(p) {
      if (count < minSamples) return undefined;
      const hit = cache.get(p);
      if (hit !== undefined && version - hit.version < every) return hit.value;
      const view = scratch.subarray(0, count);
      view.set(ring.subarray(0, count));
      view.sort();
      const rank = Math.min(count - 1, Math.max(0, Math.ceil((p / 100) * count) - 1));
      const value = view[rank] as number;
      cache.set(p, { version, value });
      return value;
    },
    get count() {
      return count;
    },
  };
}
