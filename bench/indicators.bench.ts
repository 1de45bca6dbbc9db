/**
 * Streaming indicators of @stockade/signals against trading-signals 8 and technicalindicators 3
 * (`nextValue`), in one process, on the same 1,000,000 bars: EMA(20), RSI(14), MACD(12,26,9),
 * Bollinger(20,2), ATR(14). Beside each of our timings: the minor (scavenge) GCs that ran during our
 * 1,000,000-update loop, counted with a PerformanceObserver on 'gc' entries. Then the signal engine:
 * 5,000 symbols × 12 agents, one new bar each, against the 50 ms target.
 *
 * Run: npx tsx bench/indicators.bench.ts   (prints with bench/report.ts, writes bench/results/indicators.json)
 *
 * Timing: each library runs ROUNDS times, interleaved, after a warm-up of the same code; the table
 * shows medians, ratios from the medians. Machines are shared: read the ratios, not the absolute times.
 *
 * Like for like: each loop feeds one close and reads the value back through the library's fastest
 * streaming call (ours: `update()` then `current`; trading-signals: `add()`; technicalindicators:
 * `nextValue()`). trading-signals 8 has one number-based EMA (the `FasterEMA` and big.js `EMA` pair of
 * versions ≤ 6 was merged), so its `EMA` is both its fastest and its only EMA.
 */
import { spawnSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type BenchRow, lowerIsBetter, report } from './report.js';

// The packages are measured from source (no build needed): re-run under the `source` export condition.
// `--expose-gc` too, for a full collection before each timed loop (setting the flag at run time
// instead slows everything down several times).
if (!process.execArgv.some((a) => a.includes('conditions=source') || a === '-Csource')) {
  const args = [...process.execArgv, '--conditions=source', '--expose-gc', fileURLToPath(import.meta.url)];
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const { agents, ATR, BollingerBands, EMA, MACD, RSI, SignalEngine } = await import('../packages/signals/src/index.js');
const ts = await import('trading-signals');
const ti = (await import('technicalindicators')) as unknown as typeof import('technicalindicators');

const N = 1_000_000;
const ROUNDS = 9;
const TI_ROUNDS = 3; // technicalindicators is slow; fewer rounds keep the run short

const exposedGc = (globalThis as { gc?: (options?: { type: 'minor' | 'major' }) => void }).gc;
// A scavenge before each timed loop empties the nursery of the previous library's garbage. Not a
// full collection: that throws optimized code away and would slow every loop after it.
const scavenge = () => exposedGc?.({ type: 'minor' });

// ---- the bars: a seeded random walk, the same for every library ---------------------------------
let seed = 0x5eed;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const closes = new Float64Array(N);
const ours: Array<{ h: number; l: number; c: number }> = [];
const tsBars: Array<{ high: number; low: number; close: number }> = [];
let price = 100;
for (let i = 0; i < N; i++) {
  price *= 1 + (random() - 0.5) * 0.02;
  const h = price * (1 + random() * 0.01);
  const l = price * (1 - random() * 0.01);
  closes[i] = price;
  ours.push({ h, l, c: price });
  tsBars.push({ high: h, low: l, close: price });
}

// ---- GC observation ----------------------------------------------------------------------------
const minorAt: number[] = [];
const observer = new PerformanceObserver((list) => {
  for (const e of list.getEntries()) {
    if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) {
      minorAt.push(e.startTime);
    }
  }
});
observer.observe({ entryTypes: ['gc'] });
const settle = () => new Promise((r) => setTimeout(r, 20));

interface Run {
  ms: number;
  minorGcs: number;
  check: number;
}

/** Times `loop(N)` once, after a scavenge, and counts the scavenges that started inside it. */
async function measure(loop: (n: number) => number): Promise<Run> {
  scavenge();
  await settle();
  const t0 = performance.now();
  const check = loop(N);
  const t1 = performance.now();
  await settle();
  return { ms: t1 - t0, minorGcs: minorAt.filter((t) => t >= t0 && t <= t1).length, check };
}

type Loop = (n: number) => number;
interface Case {
  name: string;
  ours: Loop;
  tradingSignals: Loop;
  technicalIndicators: Loop;
}

const cases: Case[] = [
  {
    name: 'EMA(20)',
    ours: (n) => {
      const ind = new EMA(20);
      let s = 0;
      for (let i = 0; i < n; i++) {
        ind.update(closes[i] as number);
        if (ind.isReady) s += ind.current;
      }
      return s;
    },
    tradingSignals: (n) => {
      const ind = new ts.EMA(20);
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.add(closes[i] as number) ?? 0;
      return s;
    },
    technicalIndicators: (n) => {
      const ind = new ti.EMA({ period: 20, values: [] });
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.nextValue(closes[i] as number) ?? 0;
      return s;
    },
  },
  {
    name: 'RSI(14)',
    ours: (n) => {
      const ind = new RSI(14);
      let s = 0;
      for (let i = 0; i < n; i++) {
        ind.update(closes[i] as number);
        if (ind.isReady) s += ind.current;
      }
      return s;
    },
    tradingSignals: (n) => {
      const ind = new ts.RSI(14);
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.add(closes[i] as number) ?? 0;
      return s;
    },
    technicalIndicators: (n) => {
      const ind = new ti.RSI({ period: 14, values: [] });
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.nextValue(closes[i] as number) ?? 0;
      return s;
    },
  },
  {
    name: 'MACD(12,26,9)',
    ours: (n) => {
      const ind = new MACD({ fast: 12, slow: 26, signal: 9 });
      let s = 0;
      for (let i = 0; i < n; i++) {
        const v = ind.update(closes[i] as number);
        if (v !== null) s += v.histogram;
      }
      return s;
    },
    tradingSignals: (n) => {
      const ind = new ts.MACD(new ts.EMA(12), new ts.EMA(26), new ts.EMA(9));
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.add(closes[i] as number)?.histogram ?? 0;
      return s;
    },
    technicalIndicators: (n) => {
      const ind = new ti.MACD({
        fastPeriod: 12,
        slowPeriod: 26,
        signalPeriod: 9,
        SimpleMAOscillator: false,
        SimpleMASignal: false,
        values: [],
      });
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.nextValue(closes[i] as number)?.histogram ?? 0;
      return s;
    },
  },
  {
    name: 'Bollinger(20,2)',
    ours: (n) => {
      const ind = new BollingerBands({ period: 20, stdDev: 2 });
      let s = 0;
      for (let i = 0; i < n; i++) {
        const v = ind.update(closes[i] as number);
        if (v !== null) s += v.upper;
      }
      return s;
    },
    tradingSignals: (n) => {
      const ind = new ts.BollingerBands(20, 2);
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.add(closes[i] as number)?.upper ?? 0;
      return s;
    },
    technicalIndicators: (n) => {
      const ind = new ti.BollingerBands({ period: 20, stdDev: 2, values: [] });
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.nextValue(closes[i] as number)?.upper ?? 0;
      return s;
    },
  },
  {
    name: 'ATR(14)',
    ours: (n) => {
      const ind = new ATR(14);
      let s = 0;
      for (let i = 0; i < n; i++) {
        ind.update(ours[i] as { h: number; l: number; c: number });
        if (ind.isReady) s += ind.current;
      }
      return s;
    },
    tradingSignals: (n) => {
      const ind = new ts.ATR(14);
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.add(tsBars[i] as { high: number; low: number; close: number }) ?? 0;
      return s;
    },
    technicalIndicators: (n) => {
      const ind = new ti.ATR({ period: 14, high: [], low: [], close: [] });
      let s = 0;
      for (let i = 0; i < n; i++) s += ind.nextValue(tsBars[i] as { high: number; low: number; close: number }) ?? 0;
      return s;
    },
  },
];

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

console.log(
  `\nStreaming indicators, ${N.toLocaleString('en-US')} updates each (median of ${ROUNDS}; technicalindicators ${TI_ROUNDS})`,
);
console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load ${loadavg()[0]?.toFixed(2)}\n`,
);

const indicatorRows: Array<Record<string, number | string>> = [];
for (const c of cases) {
  // Warm the JIT on every loop before timing anything: enough calls that each loop function is
  // optimized as a whole, not only entered mid-loop (on-stack replacement), where the first
  // iterations of every call would run unoptimized and box their numbers.
  for (let k = 0; k < 12; k++) {
    c.ours(20_000);
    c.tradingSignals(20_000);
    c.technicalIndicators(5_000);
  }
  const oursRuns: Run[] = [];
  const tsRuns: Run[] = [];
  const tiRuns: Run[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    oursRuns.push(await measure(c.ours));
    tsRuns.push(await measure(c.tradingSignals));
    if (r < TI_ROUNDS) tiRuns.push(await measure(c.technicalIndicators));
  }
  const o = median(oursRuns.map((r) => r.ms));
  const t = median(tsRuns.map((r) => r.ms));
  const i = median(tiRuns.map((r) => r.ms));
  const best = (runs: Run[]) => Math.min(...runs.map((r) => r.ms));
  indicatorRows.push({
    indicator: c.name,
    oursMs: +o.toFixed(1),
    oursBestMs: +best(oursRuns).toFixed(1),
    oursNsPerUpdate: +((o * 1e6) / N).toFixed(1),
    oursMinorGcs: Math.max(...oursRuns.map((r) => r.minorGcs)),
    tradingSignalsMs: +t.toFixed(1),
    tradingSignalsBestMs: +best(tsRuns).toFixed(1),
    tradingSignalsMinorGcs: Math.max(...tsRuns.map((r) => r.minorGcs)),
    technicalIndicatorsMs: +i.toFixed(1),
    vsTradingSignals: +(t / o).toFixed(2),
    vsTechnicalIndicators: +(i / o).toFixed(2),
    meetsTarget1_5x: t / o >= 1.5 ? 'yes' : 'NO',
  });
}
console.table(indicatorRows);

// ---- the engine: 5,000 symbols × 12 agents, one new bar each ------------------------------------
const SYMBOLS = 5_000;
const WARM_BARS = 60;
const BATCHES = 15;
const factories = agents.all().slice(0, 12);
const engine = new SignalEngine({ agents: factories });
const symbols = Array.from({ length: SYMBOLS }, (_, i) => `S${i.toString(36).toUpperCase()}`);
engine.watch(symbols);
const last = new Float64Array(SYMBOLS).fill(100);
const DAY = 86_400_000;
const T0 = Date.parse('2024-01-02T21:00:00Z');
const batchAt = (k: number) =>
  symbols.map((symbol, i) => {
    const open = last[i] as number;
    const close = open * (1 + (random() - 0.5) * 0.04);
    last[i] = close;
    const h = Math.max(open, close) * (1 + random() * 0.005);
    const l = Math.min(open, close) * (1 - random() * 0.005);
    return { symbol, bar: { t: T0 + k * DAY, o: open, h, l, c: close, v: 100_000 + random() * 100_000 } };
  });
for (let k = 0; k < WARM_BARS; k++) engine.onBars(batchAt(k));
const batches = Array.from({ length: BATCHES }, (_, r) => batchAt(WARM_BARS + r));
const wall: number[] = [];
const cpu: number[] = [];
let emitted = 0;
scavenge();
for (const batch of batches) {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  emitted += engine.onBars(batch).length;
  wall.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
}
const TARGET_MS = 50;
const engineRow = {
  case: `${SYMBOLS} symbols × ${factories.length} agents, one bar each`,
  medianMs: +median(wall).toFixed(1),
  minMs: +Math.min(...wall).toFixed(1),
  medianCpuMs: +median(cpu).toFixed(1),
  targetMs: TARGET_MS,
  targetOverMedian: +(TARGET_MS / median(wall)).toFixed(2),
  meetsTarget: median(wall) < TARGET_MS ? 'yes' : 'NO',
  signalsPerBatch: Math.round(emitted / BATCHES),
};
console.log(`\nSignal engine (median of ${BATCHES} batches, after ${WARM_BARS} warm-up bars)`);
console.table([engineRow]);
const slowest = engine.timings().slice(0, 3);
console.log(
  `slowest agents (sampled): ${slowest.map((a) => `${a.agent} ${(a.meanMs * 1000).toFixed(2)} µs`).join(', ')}`,
);
observer.disconnect();

const PEER = {
  'EMA(20)': ['EMA.add', 'EMA.nextValue'],
  'RSI(14)': ['RSI.add', 'RSI.nextValue'],
  'MACD(12,26,9)': ['MACD.add', 'MACD.nextValue'],
  'Bollinger(20,2)': ['BollingerBands.add', 'BollingerBands.nextValue'],
  'ATR(14)': ['ATR.add', 'ATR.nextValue'],
} as Record<string, [string, string]>;
const nsPerUpdate = (ms: number) => (ms * 1e6) / N;
const rows: BenchRow[] = [];
for (const r of indicatorRows) {
  const name = r.indicator as string;
  const [tsCall, tiCall] = PEER[name] ?? ['add', 'nextValue'];
  const ours = nsPerUpdate(r.oursMs as number);
  rows.push(
    lowerIsBetter({
      scenario: `${name}, streaming update`,
      ours,
      peer: `trading-signals 8 ${tsCall}`,
      peerValue: nsPerUpdate(r.tradingSignalsMs as number),
      unit: 'ns/update',
      target: '≥ 1.5×',
      met: r.meetsTarget1_5x === 'yes',
    }),
    lowerIsBetter({
      scenario: `${name}, streaming update`,
      ours,
      peer: `technicalindicators 3 ${tiCall}`,
      peerValue: nsPerUpdate(r.technicalIndicatorsMs as number),
      unit: 'ns/update',
    }),
  );
}
rows.push(
  lowerIsBetter({
    scenario: `SignalEngine.onBars: ${SYMBOLS.toLocaleString('en-US')} symbols × ${factories.length} agents, one bar each`,
    ours: median(wall),
    peer: 'the target',
    peerValue: TARGET_MS,
    unit: 'ms',
    target: `< ${TARGET_MS} ms`,
    met: median(wall) < TARGET_MS,
  }),
);
report('indicators', rows, {
  cpuModel: cpus()[0]?.model,
  updates: N,
  rounds: ROUNDS,
  // Minor GCs (scavenges) that started inside each 1,000,000-update loop, worst round: 0 means the
  // update path allocates nothing.
  minorGcs: Object.fromEntries(
    indicatorRows.map((r) => [r.indicator, { ours: r.oursMinorGcs, tradingSignals: r.tradingSignalsMinorGcs }]),
  ),
  indicators: indicatorRows,
  engine: { ...engineRow, wallMs: wall.map((x) => +x.toFixed(1)), cpuMs: cpu.map((x) => +x.toFixed(1)) },
});
console.log('wrote bench/results/indicators.json');
