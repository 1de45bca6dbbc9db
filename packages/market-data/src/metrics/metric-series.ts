/** One labelled value of a counter or gauge. */
export interface SeriesPoint {
  /** Label name → value. */
  readonly labels: Readonly<Record<string, string>>;
  /** The value. */
  readonly value: number;
}

/** One labelled histogram. */
export interface HistogramPoint {
  /** Label name → value. */
  readonly labels: Readonly<Record<string, string>>;
  /** Observations. */
  readonly count: number;
  /** Sum of the observations. */
  readonly sum: number;
  /** Cumulative counts per upper bound, in the order of the bounds (`+Inf` is `count`). */
  readonly buckets: readonly number[];
}

/** Plain-number values keyed by their label values; what the hot path writes. */
export interface ValueSeries {
  /** Label names, in the order values are given. */
  readonly labelNames: readonly string[];
  /** Adds `delta` to the value of these label values (created at 0). */
  add(labelValues: readonly string[], delta: number): void;
  /** Sets the value of these label values. */
  set(labelValues: readonly string[], value: number): void;
  /** Every labelled value, in creation order. */
  points(): SeriesPoint[];
}

/** Plain-number histograms keyed by their label values. */
export interface HistogramSeries {
  /** Label names, in the order values are given. */
  readonly labelNames: readonly string[];
  /** Upper bounds of the buckets, ascending. */
  readonly bounds: readonly number[];
  /** Adds one observation. */
  observe(labelValues: readonly string[], value: number): void;
  /** Every labelled histogram, in creation order. */
  points(): HistogramPoint[];
}

// A separator no label value contains in practice; keys are only compared, never parsed.
const SEP = '\u0001';

function labelsOf(names: readonly string[], values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((n, i) => {
    labels[n] = values[i] ?? '';
  });
  return labels;
}

/**
 * Creates a {@link ValueSeries}. A write is a map lookup by the joined label values; the labels
 * object is built once per new combination.
 */
export function valueSeries(labelNames: readonly string[]): ValueSeries {
  const cells = new Map<string, { labels: Record<string, string>; value: number }>();
  const cell = (values: readonly string[]) => {
    const key = values.join(SEP);
    let c = cells.get(key);
    if (c === undefined) {
      c = { labels: labelsOf(labelNames, values), value: 0 };
      cells.set(key, c);
    }
    return c;
  };
  return {
    labelNames,
    add(values, delta) {
      cell(values).value += delta;
    },
    set(values, value) {
      cell(values).value = value;
    },
    points: () => [...cells.values()].map((c) => ({ labels: c.labels, value: c.value })),
  };
}

/** Creates a {@link HistogramSeries} with these bucket upper bounds (ascending). */
export function histogramSeries(labelNames: readonly string[], bounds: readonly number[]): HistogramSeries {
  const cells = new Map<string, { labels: Record<string, string>; counts: number[]; count: number; sum: number }>();
  return {
    labelNames,
    bounds,
    observe(values, value) {
      const key = values.join(SEP);
      let c = cells.get(key);
      if (c === undefined) {
        c = {
          labels: labelsOf(labelNames, values),
          counts: new Array<number>(bounds.length).fill(0),
          count: 0,
          sum: 0,
        };
        cells.set(key, c);
      }
      for (let i = 0; i < bounds.length; i++) {
        if (value <= (bounds[i] as number)) {
          c.counts[i] = (c.counts[i] as number) + 1;
          break;
        }
      }
      c.count++;
      c.sum += value;
    },
    points: () =>
      [...cells.values()].map((c) => {
        let running = 0;
        return {
          labels: c.labels,
          count: c.count,
          sum: c.sum,
          buckets: c.counts.map((n) => {
            running += n;
            return running;
          }),
        };
      }),
  };
}
