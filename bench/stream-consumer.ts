/**
 * Child process of bench/stream.bench.ts: one consumer of the simulator's Polygon stream, alone in
 * its process so that its RSS is its own. Usage: `stream-consumer.ts <mode>` with the simulator's
 * start line (JSON) on stdin; prints one JSON line of results.
 *
 *   floor    — a bare `ws` client: auth, subscribe, JSON.parse each frame and iterate its events
 *   provider — `polygonProvider().stream({ url, stamps: true })`, a listener per event
 *   manager  — `manager.stream()` (the polygon stream behind the manager's hub, per-symbol
 *              conflation) read with `for await`
 *   manager-engine — the same, every trade/quote fed to a SignalEngine with 12 agents per symbol
 *              (`emitHold: true`, so that every re-evaluation emits a signal record whose latency
 *              can be measured; each symbol warmed up on its first event)
 *
 * Latency is measured from the instant the frame was read off the socket in THIS process
 * (`stamps.receivedHr`, or the `ws` message handler for the floor) to the subscriber, because the
 * simulator's `hr` stamp comes from another process. `sentHr → subscriber` is printed for
 * information only (Linux's monotonic clock is shared by processes of one host).
 *
 * Env: WARMUP_MS (default 3000), MEASURE_MS (default 5000), MOVE_THRESHOLD (engine, default 0.0005).
 */
import type { AgentBar } from '@stockade/signals';
import { latencyHistogram } from './stream-latency.js';

interface SimInfo {
  wsPolygon: string;
  urls: Record<'yahoo' | 'alphavantage' | 'polygon' | 'massive', string>;
  symbols: string[];
}

const mode = process.argv[2] as 'floor' | 'provider' | 'manager' | 'manager-engine';
const WARMUP_MS = Number(process.env.WARMUP_MS ?? 3_000);
const MEASURE_MS = Number(process.env.MEASURE_MS ?? 5_000);
const MOVE_THRESHOLD = Number(process.env.MOVE_THRESHOLD ?? 0.0005);
const KEY = 'k'.repeat(32);

const info = JSON.parse(await readStdin()) as SimInfo;
const toSubscriber = latencyHistogram();
const sentToSubscriber = latencyHistogram();
const toSignal = latencyHistogram();
let measuring = false;
let events = 0;
let firstDataAt = 0;
let rssPeak = 0;
let heapPeak = 0;
const extra: Record<string, unknown> = {};

/** Called by each mode for every data event, with the stamps it has. */
function seen(receivedHr: bigint, sentHr: bigint | undefined): void {
  if (firstDataAt === 0) firstDataAt = performance.now();
  if (!measuring) return;
  const now = process.hrtime.bigint();
  events++;
  toSubscriber.add(now - receivedHr);
  if (sentHr !== undefined) sentToSubscriber.add(now - sentHr);
}

let stop: () => Promise<void> = async () => {};
const ac = new AbortController();

// Each mode imports only what it uses, so that the floor's RSS is not inflated by the SDK's modules.
if (mode === 'floor') {
  const { default: WebSocket } = await import('ws');
  extra.rssAfterImportsMB = rssMB();
  const ws = new WebSocket(info.wsPolygon);
  ws.on('message', (raw) => {
    const receivedHr = process.hrtime.bigint();
    const frame = JSON.parse(raw.toString()) as Array<Record<string, unknown>>;
    for (const e of frame) {
      if (e.ev === 'status') {
        if (e.status === 'connected') ws.send(JSON.stringify({ action: 'auth', params: KEY }));
        else if (e.status === 'auth_success') {
          const params = info.symbols.flatMap((s) => [`T.${s}`, `Q.${s}`]);
          for (let i = 0; i < params.length; i += 1_000) {
            ws.send(JSON.stringify({ action: 'subscribe', params: params.slice(i, i + 1_000).join(',') }));
          }
        }
        continue;
      }
      if (typeof e.sym !== 'string') continue;
      seen(receivedHr, typeof e.hr === 'string' ? BigInt(e.hr) : undefined);
    }
  });
  stop = async () => {
    ws.terminate();
  };
} else if (mode === 'provider') {
  const { polygonProvider } = await import('@stockade/providers');
  extra.rssAfterImportsMB = rssMB();
  const stream = polygonProvider({ apiKey: KEY }).stream?.({ url: info.wsPolygon, stamps: true, signal: ac.signal });
  if (stream === undefined) throw new Error('polygon has no stream()');
  stream.on((e) => {
    if ((e.type === 'trade' || e.type === 'quote') && e.stamps !== undefined)
      seen(e.stamps.receivedHr, e.stamps.sentHr);
  });
  const change = stream.subscribe(info.symbols, ['trades', 'quotes']);
  extra.rejected = change.rejected.length;
  stop = async () => {
    extra.streamStats = stream.stats();
    await stream.close();
  };
} else {
  const { loadConfig, silentLogger } = await import('@stockade/core');
  const { createMarketDataManager } = await import('@stockade/market-data');
  const { agents, SignalEngine } = await import('@stockade/signals');
  extra.rssAfterImportsMB = rssMB();
  const generous = [{ name: 'minute', limit: 100_000, perMs: 60_000 }];
  const md = createMarketDataManager({
    config: loadConfig({
      file: false,
      env: {},
      overrides: {
        mode: 'simulator',
        providers: {
          polygon: { quotas: generous },
          massive: { quotas: generous },
          yahoo: { quotas: generous },
          alphavantage: { quotas: generous },
        },
      } as never,
    }),
    logger: silentLogger,
    simulatorUrls: info.urls,
    stream: { providers: ['polygon'], urls: { polygon: info.wsPolygon }, connection: { stamps: true } },
  });
  await md.ready();
  const withEngine = mode === 'manager-engine';
  const engine = new SignalEngine({
    agents: agents.all().slice(0, 12),
    moveThreshold: MOVE_THRESHOLD,
    emitHold: true,
  });
  if (withEngine) {
    engine.watch(info.symbols);
    extra.agentsPerSymbol = engine.answers(info.symbols[0] ?? '').length;
    extra.rssAfterEngineWatchMB = rssMB();
  }
  // Each symbol's agents are warmed up on its first event, from bars ending at that price (the
  // warm-up period before measuring covers every symbol's first event).
  const warmed = new Set<string>();
  let warmMs = 0;
  let warmedDuringMeasure = 0;
  const feed = (symbol: string, price: number, asOf: number) => {
    if (!withEngine) return;
    if (!warmed.has(symbol)) {
      warmed.add(symbol);
      const t0 = performance.now();
      engine.warm(symbol, warmBars(price));
      warmMs += performance.now() - t0;
      if (measuring) warmedDuringMeasure++;
    }
    engine.onQuote({ symbol, price, asOf });
  };
  let current: bigint | undefined;
  let signals = 0;
  const actions: Record<string, number> = {};
  engine.onSignal((sig) => {
    signals++;
    if (measuring) actions[sig.action] = (actions[sig.action] ?? 0) + 1;
    if (measuring && current !== undefined) toSignal.add(process.hrtime.bigint() - current);
  });
  const iterator = md.stream(info.symbols, { channels: ['trades', 'quotes'], signal: ac.signal });
  const loop = (async () => {
    try {
      for await (const e of iterator) {
        if (e.type === 'trade') {
          if (e.stamps !== undefined) seen(e.stamps.receivedHr, e.stamps.sentHr);
          current = e.stamps?.receivedHr;
          feed(e.trade.symbol, e.trade.price, e.trade.t);
        } else if (e.type === 'quote') {
          if (e.stamps !== undefined) seen(e.stamps.receivedHr, e.stamps.sentHr);
          current = e.stamps?.receivedHr;
          feed(e.quote.symbol, e.quote.price, e.quote.asOf);
        } else if (e.type === 'status') {
          extra.lastStatus = `${e.mode} ${e.provider ?? '-'} ${e.status}`;
        }
      }
    } catch (err) {
      if (!ac.signal.aborted) extra.iteratorError = String(err);
    }
  })();
  stop = async () => {
    extra.consumer = iterator.stats();
    extra.signals = signals;
    extra.signalActions = actions;
    extra.engine = { warmedSymbols: warmed.size, warmMs: Math.round(warmMs), warmedDuringMeasure };
    const health = await md.health();
    extra.streamHealth = (health as { stream?: unknown }).stream;
    ac.abort();
    await loop;
    await md.close();
  };
}

// Warm-up starts at the first data event (the subscription of 10,000 pairs takes a moment).
const started = performance.now();
while (firstDataAt === 0 && performance.now() - started < 30_000) await sleep(50);
if (firstDataAt === 0) extra.error = 'no data within 30 s';
await sleep(WARMUP_MS);
measuring = true;
const measureStart = performance.now();
const sampler = setInterval(() => {
  const m = process.memoryUsage();
  rssPeak = Math.max(rssPeak, m.rss);
  heapPeak = Math.max(heapPeak, m.heapUsed);
}, 250);
await sleep(MEASURE_MS);
measuring = false;
clearInterval(sampler);
const seconds = (performance.now() - measureStart) / 1000;
const rssEnd = process.memoryUsage().rss;
await stop();
const ms = (h: ReturnType<typeof latencyHistogram>) => ({
  count: h.count,
  p50: h.quantileMs(0.5),
  p99: h.quantileMs(0.99),
  max: h.maxMs(),
});
process.stdout.write(
  `${JSON.stringify(
    {
      mode,
      eventsPerSecond: Math.round(events / seconds),
      toSubscriberMs: ms(toSubscriber),
      sentToSubscriberMs: ms(sentToSubscriber),
      toSignalMs: ms(toSignal),
      rssPeakMB: Math.round((Math.max(rssPeak, rssEnd) / 2 ** 20) * 10) / 10,
      heapPeakMB: Math.round((heapPeak / 2 ** 20) * 10) / 10,
      ...extra,
    },
    (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
  )}\n`,
);
process.exit(0);

function rssMB(): number {
  return Math.round((process.memoryUsage().rss / 2 ** 20) * 10) / 10;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readStdin(): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk) => {
      text += chunk;
      const nl = text.indexOf('\n');
      if (nl !== -1) {
        process.stdin.pause();
        resolve(text.slice(0, nl));
      }
    });
    process.stdin.on('error', reject);
  });
}

/** Sixty one-minute bars of a gentle walk ending at `price`, to warm the agents up. */
function warmBars(price: number): AgentBar[] {
  const bars: AgentBar[] = [];
  const end = Math.floor(Date.now() / 60_000) * 60_000;
  let c = price;
  const closes: number[] = [];
  for (let i = 0; i < 60; i++) {
    closes.unshift(c);
    c *= 1 + Math.sin(i * 1.7) * 0.001;
  }
  let prev = closes[0] as number;
  for (let i = 0; i < 60; i++) {
    const close = closes[i] as number;
    bars.push({
      t: end - (60 - i) * 60_000,
      o: prev,
      h: Math.max(prev, close) * 1.0005,
      l: Math.min(prev, close) * 0.9995,
      c: close,
      v: 10_000,
    });
    prev = close;
  }
  return bars;
}
