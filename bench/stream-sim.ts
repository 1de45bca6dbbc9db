/**
 * Child process of bench/stream.bench.ts: the simulator, alone in its process so that its work
 * (building and sending 50,000 events/s) is not counted in the consumer's latency or RSS.
 *
 * Starts `startSimulator({ stampFrames: true })` serving SYMBOLS tickers with the Polygon stream
 * fault `eventsPerSecond`/`eventsPerFrame` set, prints one JSON line with its URLs and symbols, and
 * stops when its stdin closes (the parent exits or closes the pipe), printing its stream counters
 * as one JSON line on stderr.
 *
 * Env: SYMBOLS (default 5000), EVENTS_PER_SECOND (default 50000), EVENTS_PER_FRAME (default 50),
 * PREWARM=1 to build every symbol's price path before announcing (the first price of a symbol
 * costs milliseconds; without this the first consumer measures the simulator's cold start).
 */
import { startSimulator } from '@stockade/simulator';
import { benchTickers } from './stream-tickers.js';

const SYMBOLS = Number(process.env.SYMBOLS ?? 5_000);
const EVENTS_PER_SECOND = Number(process.env.EVENTS_PER_SECOND ?? 50_000);
const EVENTS_PER_FRAME = Number(process.env.EVENTS_PER_FRAME ?? 50);

const symbols = benchTickers(SYMBOLS);
const sim = await startSimulator({
  port: 0,
  host: '127.0.0.1',
  seed: 11,
  symbols,
  stampFrames: true,
  streamFaults: {
    polygon: { eventsPerSecond: EVENTS_PER_SECOND, eventsPerFrame: EVENTS_PER_FRAME },
    massive: { eventsPerSecond: EVENTS_PER_SECOND, eventsPerFrame: EVENTS_PER_FRAME },
  },
});

if (process.env.PREWARM === '1') for (const s of symbols) sim.truePrice(s);
process.stdout.write(
  `${JSON.stringify({
    pid: process.pid,
    wsPolygon: sim.wsUrl('polygon'),
    urls: sim.urls(),
    symbols,
  })}\n`,
);

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  process.stderr.write(`${JSON.stringify({ simulatorPolygonStream: sim.streams.stats('polygon') })}\n`);
  sim.stop().then(
    () => process.exit(0),
    () => process.exit(1),
  );
};
process.stdin.on('end', stop);
process.stdin.on('close', stop);
process.stdin.resume();
process.on('SIGTERM', stop);
