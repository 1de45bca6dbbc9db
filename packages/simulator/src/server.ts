import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Clock,
  ConfigError,
  createMarketCalendar,
  type MarketCalendar,
  parseSymbol,
  systemClock,
  ValidationError,
} from '@stockade/core';
import { z } from 'zod';
import { handleControl } from './control.js';
import { createFaultController, type FaultController, type FaultPlan, parseFaultPlan } from './faults.js';
import { createLifecycle } from './lifecycle.js';
import { createPipeline } from './pipeline.js';
import { createPriceModel } from './price-path.js';
import { isProviderName, PROVIDER_NAMES, type ProviderName } from './provider-name.js';
import { createQuotaTracker } from './quota.js';
import type { ProviderDialect } from './route.js';
import { createAlphaVantageDialect } from './routes/alphavantage.js';
import { createPolygonDialect } from './routes/polygon.js';
import { createYahooDialect } from './routes/yahoo.js';
import { createStats, type SimulatorStats } from './stats.js';
import type { StreamFaults } from './stream/stream-faults.js';
import { createStreamServer, type SimulatorStreams, streamPath } from './stream/stream-server.js';
import { createUniverse } from './universe.js';
import { createCrumbStore } from './yahoo-crumbs.js';

/** Options of {@link startSimulator}. */
export interface SimulatorOptions {
  /** TCP port; 0 picks a free one. @default 0 */
  port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  host?: string;
  /** Seed of every price path and fault draw: same seed, same bodies. @default 1 */
  seed?: number | string;
  /** Canonical symbols served; `'*'` in the list serves any valid symbol. @default DEFAULT_SYMBOLS */
  symbols?: readonly string[];
  /** Providers served. @default ['yahoo', 'alphavantage', 'polygon', 'massive'] */
  providers?: readonly ProviderName[];
  /** Faults served from the start, per provider. @default {} */
  faults?: FaultPlan;
  /** Clock shared with the code under test: prices, sessions, quotas and delays follow it. @default systemClock */
  clock?: Clock;
  /** When a provider has a key here, only that key is accepted; otherwise any non-empty key is. @default {} */
  keys?: Partial<Record<ProviderName, string>>;
  /** Market calendar (e.g. with extra closures); only its explicit-instant methods are used. @default createMarketCalendar() */
  calendar?: MarketCalendar;
  /** Aborts starting: the promise rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Stream faults served from the start, per provider (see {@link SimulatorStreams.faults}). @default {} */
  streamFaults?: Partial<Record<ProviderName, StreamFaults>>;
  /** Stamp every streamed data event with `process.hrtime.bigint()` (field `hr`, a decimal string) for latency benchmarks. @default false */
  stampFrames?: boolean;
}

/** A running simulator. */
export interface Simulator {
  /** Base URL of a provider, e.g. `http://127.0.0.1:4010/polygon`; its real paths follow. */
  url(provider: ProviderName): string;
  /**
   * Base URL of every provider served, by name: what the manager's `simulatorUrls` option takes.
   * @example createMarketDataManager({ simulatorUrls: sim.urls() })
   */
  urls(): Partial<Record<ProviderName, string>>;
  /**
   * WebSocket URL of a provider's stream: `ws://127.0.0.1:4010/polygon/stocks` (and `/massive/stocks`),
   * `ws://127.0.0.1:4010/yahoo/?version=2` (the `{"type":"pricing"}` envelope; drop `?version=2` for bare base64 frames).
   */
  wsUrl(provider: 'polygon' | 'massive' | 'yahoo'): string;
  /** The WebSocket endpoints: stream faults, `drop()`, counters. */
  readonly streams: SimulatorStreams;
  /** The server's origin, e.g. `http://127.0.0.1:4010`. */
  readonly origin: string;
  /** The port listened on. */
  readonly port: number;
  /** Faults, changeable while running. */
  readonly faults: FaultController;
  /** Request counters. */
  readonly stats: SimulatorStats;
  /** The path price of a symbol at `at` (default now) before any provider's noise or delay: the last regular-session price for instruments with sessions. */
  truePrice(symbol: string, at?: number): number;
  /** Closes the server and every connection, hanging ones too; timers are cleared. */
  stop(): Promise<void>;
}

let sharedCalendar: MarketCalendar | undefined;
function defaultCalendar(): MarketCalendar {
  sharedCalendar ??= createMarketCalendar();
  return sharedCalendar;
}

const OptionsSchema = z.strictObject({
  port: z.number().int().min(0).max(65_535).optional(),
  host: z.string().min(1).optional(),
  seed: z.union([z.number().finite(), z.string()]).optional(),
  symbols: z.array(z.string()).optional(),
  providers: z
    .array(z.string().refine(isProviderName, { message: `must be one of ${PROVIDER_NAMES.join(', ')}` }))
    .optional(),
  faults: z.unknown().optional(),
  clock: z
    .custom<Clock>((v) => typeof (v as { now?: unknown } | null)?.now === 'function', {
      message: 'expected a Clock with now()',
    })
    .optional(),
  keys: z.record(z.string(), z.string().min(1)).optional(),
  calendar: z
    .custom<MarketCalendar>((v) => typeof (v as { session?: unknown } | null)?.session === 'function', {
      message: 'expected a MarketCalendar',
    })
    .optional(),
  signal: z.custom<AbortSignal>((v) => v instanceof AbortSignal, { message: 'expected an AbortSignal' }).optional(),
  streamFaults: z.unknown().optional(),
  stampFrames: z.boolean().optional(),
});

/**
 * Starts a local server that speaks Yahoo Finance, Alpha Vantage, Polygon and Massive wire formats
 * from seeded price paths, with faults on demand.
 *
 * @throws {ConfigError} when an option is invalid; `ValidationError` for a bad symbol or fault.
 * @example
 * import { manualClock } from '@stockade/core';
 * import { startSimulator } from '@stockade/simulator';
 *
 * const clock = manualClock(Date.parse('2026-03-10T15:00:00Z')); // a Tuesday, 11:00 New York
 * const sim = await startSimulator({ seed: 42, clock, faults: { polygon: { quota: { perMinute: 5 } } } });
 * const res = await fetch(`${sim.url('polygon')}/v2/aggs/ticker/AAPL/prev?apiKey=test`);
 * console.log((await res.json()).results[0].c, sim.truePrice('AAPL'));
 * await sim.stop();
 */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const parsed = OptionsSchema.safeParse(options);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => ({
        path: i.path.map(String).join('.'),
        message: i.message,
        source: 'startSimulator options',
      })),
    );
  }
  for (const provider of Object.keys(options.keys ?? {})) {
    if (!isProviderName(provider))
      throw new ConfigError([
        { path: `keys.${provider}`, message: `unknown provider; use one of ${PROVIDER_NAMES.join(', ')}` },
      ]);
  }
  const signal = options.signal;
  signal?.throwIfAborted();
  const seed = options.seed ?? 1;
  const clock = options.clock ?? systemClock;
  // The simulator always passes explicit instants to the calendar, so one shared calendar (and the
  // session and day-weight caches keyed on it) serves every simulator that brings none.
  const calendar = options.calendar ?? defaultCalendar();
  const served = new Set<ProviderName>(options.providers ?? PROVIDER_NAMES);
  const model = createPriceModel({ seed, calendar });
  const universe = createUniverse(options.symbols, model);
  const crumbs = createCrumbStore(seed);
  const faults = createFaultController(parseFaultPlan(options.faults), (provider, f) => {
    if (provider === 'yahoo' && f.expiredCrumb === true) crumbs.expireAll();
  });
  const stats = createStats();
  const lifecycle = createLifecycle();
  const polygon = createPolygonDialect(universe);
  const dialects: Partial<Record<ProviderName, ProviderDialect>> = {};
  if (served.has('yahoo')) dialects.yahoo = createYahooDialect(crumbs);
  if (served.has('alphavantage')) dialects.alphavantage = createAlphaVantageDialect(() => universe.listed());
  if (served.has('polygon')) dialects.polygon = polygon;
  if (served.has('massive')) dialects.massive = polygon;

  let origin = '';
  const truePrice = (symbol: string, at?: number): number => {
    const canonical = parseSymbol(symbol).symbol;
    const path = universe.lookup(canonical);
    if (path === null) {
      throw new ValidationError(
        `${canonical} is not served by this simulator; add it to the symbols option (or use '*')`,
        [{ path: 'symbol', message: 'not served' }],
      );
    }
    return path.lastPriceAt(at ?? clock.now());
  };
  const serve = createPipeline({
    seed,
    clock,
    calendar,
    universe,
    faults,
    stats,
    quotas: createQuotaTracker(),
    lifecycle,
    keys: options.keys ?? {},
    dialects,
    baseUrl: (p) => `${origin}/${p}`,
  });

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const segments = url.pathname.split('/');
    const first = segments[1] ?? '';
    const handle = async () => {
      if (first === '__sim') {
        await handleControl(req, res, url, { faults, stats, truePrice, now: () => clock.now() });
      } else if (isProviderName(first) && served.has(first)) {
        await serve(req, res, first, url.pathname.slice(first.length + 1), url.searchParams);
      } else {
        res.writeHead(404, { 'content-type': 'text/plain' });
        res.end(
          `Unknown path ${url.pathname}: provider routes start with /${[...served].join(', /')}; control routes with /__sim`,
        );
      }
    };
    handle().catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end('simulator error');
      } else {
        res.destroy();
      }
    });
  });
  const streams = createStreamServer({
    served,
    universe,
    clock,
    calendar,
    seed,
    keys: options.keys ?? {},
    stampFrames: options.stampFrames ?? false,
    faults: options.streamFaults,
  });
  server.on('upgrade', (req, socket, head) => {
    if (!streams.upgrade(req, socket, head)) {
      socket.end('HTTP/1.1 404 Not Found\r\ncontent-type: text/plain\r\n\r\nno stream endpoint here');
    }
  });
  server.on('connection', (socket) => lifecycle.track(socket));
  server.on('clientError', (_err, socket) => socket.destroy());

  await new Promise<void>((resolve, reject) => {
    const onAbort = () => {
      server.close();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    server.once('error', (err) => {
      signal?.removeEventListener('abort', onAbort);
      reject(
        new ConfigError([
          { path: 'port', message: `cannot listen: ${err.message}`, hint: 'pick another port or 0 for a free one' },
        ]),
      );
    });
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  let stopping: Promise<void> | null = null;

  return {
    url(provider) {
      if (!served.has(provider)) {
        throw new ValidationError(
          `The simulator does not serve ${String(provider)}; it serves ${[...served].join(', ')}`,
          [{ path: 'provider', message: 'not served' }],
        );
      }
      return `${origin}/${provider}`;
    },
    urls() {
      return Object.fromEntries([...served].map((p) => [p, `${origin}/${p}`]));
    },
    wsUrl(provider) {
      if (!served.has(provider) || (provider as string) === 'alphavantage') {
        throw new ValidationError(
          `The simulator streams polygon, massive and yahoo when served; not ${String(provider)}`,
          [{ path: 'provider', message: 'not streamed' }],
        );
      }
      return `${origin.replace(/^http/, 'ws')}${streamPath(provider)}${provider === 'yahoo' ? '?version=2' : ''}`;
    },
    streams,
    origin,
    port: address.port,
    faults,
    stats,
    truePrice,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        streams.stop();
        lifecycle.stop();
      });
      return stopping;
    },
  };
}
