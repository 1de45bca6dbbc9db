/**
 * A latency histogram with no allocation per sample: 1 µs bins up to 10 ms, then 100 µs bins up
 * to 10 s, then one overflow bin.
 */
export interface LatencyHistogram {
  /** Adds one sample, in nanoseconds. */
  add(ns: bigint | number): void;
  /** Samples added. */
  readonly count: number;
  /** The q-quantile (0..1), ms, to the bin's upper edge. */
  quantileMs(q: number): number;
  /** Largest sample, ms. */
  maxMs(): number;
}

const FINE = 10_000; // µs
const COARSE = 100; // µs per bin above FINE
const BINS = FINE + (10_000_000 - FINE) / COARSE;

const binOf = (us: number) => (us < FINE ? us : Math.min(BINS, FINE + Math.floor((us - FINE) / COARSE)));
const upperEdgeUs = (bin: number) => (bin < FINE ? bin + 1 : FINE + (bin - FINE + 1) * COARSE);

/** Creates a {@link LatencyHistogram}. */
export function latencyHistogram(): LatencyHistogram {
  const bins = new Uint32Array(BINS + 1);
  let count = 0;
  let maxNs = 0;
  return {
    add(ns) {
      const n = Number(ns);
      const b = binOf(Math.max(0, Math.floor(n / 1_000)));
      bins[b] = (bins[b] as number) + 1;
      count++;
      if (n > maxNs) maxNs = n;
    },
    get count() {
      return count;
    },
    quantileMs(q) {
      if (count === 0) return Number.NaN;
      const rank = Math.ceil(q * count);
      let seen = 0;
      for (let i = 0; i <= BINS; i++) {
        seen += bins[i] as number;
        if (seen >= rank) return i === BINS ? maxNs / 1e6 : Math.min(upperEdgeUs(i) / 1_000, maxNs / 1e6);
      }
      return maxNs / 1e6;
    },
    maxMs: () => maxNs / 1e6,
  };
}
