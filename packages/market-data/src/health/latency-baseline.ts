/** Options of {@link latencyBaseline}. */
export interface LatencyBaselineOptions {
  /**
   * Weight of the newest window's p95 in the average, 0 < alpha ≤ 1. Small is slow: after a
   * lasting change of speed the baseline gets most of the way there in about `2 / alpha` windows.
   * @default 0.2
   */
  alpha?: number;
  /**
   * The baseline used for judging never goes below this, ms, so a provider that usually answers in
   * 20 ms is not called slow at 70 ms.
   * @default 250
   */
  floorMs?: number;
}

/**
 * What a provider's p95 latency usually is, learned from its own past windows. Latency is judged
 * against this, not against a fixed limit: a source whose normal answer takes 3.5 s is not
 * degraded all day, and one that usually takes 80 ms is degraded when it takes 2 s.
 */
export interface LatencyBaseline {
  /** Folds one finished window's p95 (ms) into the baseline. The first fold seeds it. */
  fold(p95Ms: number): void;
  /** The learned p95, ms, before the floor; undefined until the first window has been folded. */
  readonly valueMs: number | undefined;
  /** `max(value, floor) × factor`, ms: above it latency is degraded. Undefined until learned. */
  thresholdMs(factor: number): number | undefined;
}

/**
 * Creates a {@link LatencyBaseline}: an exponentially weighted moving average of per-window p95s
 * (`baseline ← alpha·p95 + (1 − alpha)·baseline`), with a floor applied when judging.
 *
 * @example
 * const b = latencyBaseline();
 * b.fold(3_500);
 * b.thresholdMs(3); // 10_500: a 3.5 s source is slow only past 10.5 s
 */
export function latencyBaseline(options: LatencyBaselineOptions = {}): LatencyBaseline {
  const alpha = options.alpha ?? 0.2;
  const floorMs = options.floorMs ?? 250;
  let value: number | undefined;
  return {
    fold(p95Ms) {
      value = value === undefined ? p95Ms : alpha * p95Ms + (1 - alpha) * value;
    },
    get valueMs() {
      return value;
    },
    thresholdMs(factor) {
      return value === undefined ? undefined : Math.max(value, floorMs) * factor;
    },
  };
}
