import { createCache, createTtlPolicy, type RedisClient, type TieredCache } from '@stockade/cache';
import {
  type BarSeries,
  type Clock,
  createKeyBuilder,
  createKeyResolver,
  createLogger,
  createMarketCalendar,
  type HealthReport,
  keySources,
  type LoadedConfig,
  type Logger,
  loadConfig,
  parseSymbol,
  type Quote,
  type SdkEvent,
  type SdkEventOf,
  type SdkEventType,
  StockadeError,
  systemClock,
  ValidationError,
} from '@stockade/core';
import type { Provider } from '@stockade/providers';
import { sharedTimerWheel } from '@stockade/resilience';
import { createAlertCenter } from './alerts/alert-center.js';
import { createAlertRules } from './alerts/alert-rules.js';
import { type BarsOptions, createBarsService } from './bars-service.js';
import { checkBarsOptions, checkManagerOptions, checkQuoteOptions, checkSubscribeOptions } from './call-options.js';
import { createCostTracker } from './cost/cost-tracker.js';
import { createHealthMonitor } from './health/health-monitor.js';
import { buildHealthReport } from './health/health-report.js';
import type { MarketDataManagerOptions, QuoteOptions } from './manager-options.js';
import { createManagerMetrics, type ManagerMetrics } from './metrics/manager-metrics.js';
import { type PreflightReport, runPreflight } from './preflight.js';
import { createQuoteService, type QuoteResult } from './quote-service.js';
import { createBuiltinProviders } from './routing/builtin-providers.js';
import { createProviderRuntime, type ProviderRuntime, quotaLeft } from './routing/provider-runtime.js';
import { createRecoveryProber } from './routing/recovery-probe.js';
import { deferStream } from './streaming/deferred-stream.js';
import { checkStreamCall, checkStreamingOptions } from './streaming/stream-call.js';
import { createStreamHub, type StreamHub } from './streaming/stream-hub.js';
import type { MarketStream, StreamCallOptions } from './streaming/stream-types.js';
import { streamUrlResolver } from './streaming/stream-urls.js';
import { createSubscription, type SubscribeOptions, type Subscription } from './subscription.js';
import { createTracer } from './tracing/manager-tracer.js';
import { wireRuntime } from './wire-runtime.js';

/** SDK version reported in health. */
export const VERSION = '0.1.0';

/** Something that can be stopped. */
export interface Disposable {
  /** Stops it. */
  dispose(): void;
}

/** The object host applications use: quotes, bars, subscriptions, health, metrics and events. */
export interface MarketDataManager {
  /** The configuration in force. */
  readonly config: LoadedConfig;
  /** Counters for Prometheus (`metrics.register(registry)`) and `metrics.snapshot()`. */
  readonly metrics: ManagerMetrics;
  /** Resolves once providers (and the embedded simulator, in simulator mode) are ready. */
  ready(): Promise<void>;
  /** Names of the registered providers, in configured priority order. */
  providers(): Promise<string[]>;
  /** An answer for every symbol asked, in order: its quote, or its typed error. */
  quotes(symbols: readonly string[], options?: QuoteOptions): Promise<QuoteResult[]>;
  /** One quote; rejects with the symbol's typed error. */
  quote(symbol: string, options?: QuoteOptions): Promise<Quote>;
  /** Bars of one symbol; cached spans are reused, failover keeps one adjustment. */
  bars(symbol: string, options: BarsOptions): Promise<BarSeries>;
  /** Polls quotes and reports only changes; the interval stretches while the market is closed. */
  subscribe(symbols: readonly string[], onQuote: (quote: Quote) => void, options?: SubscribeOptions): Subscription;
  /**
   * Live trades, quotes and bars over a provider's WebSocket (falling back to polling when none can
   * stream), as an async iterator; the same events reach `on('quote' | 'trade' | 'bar' | 'stream.status')`.
   *
   * @example
   * for await (const e of md.stream(['AAPL', 'MSFT'], { channels: ['trades', 'minute_bars'], signal })) {
   *   if (e.type === 'trade') console.log(e.trade.symbol, e.trade.price);
   * }
   */
  stream(symbols: readonly string[], options?: StreamCallOptions): MarketStream;
  /** Health at level 1 (liveness), 2 (readiness) or 3 (deep, with a probe per provider). */
  health(options?: { level?: 1 | 2 | 3; signal?: AbortSignal }): Promise<HealthReport>;
  /** Checks config, keys, Redis and a probe per provider; each failed check says how to fix it. */
  preflight(options?: { signal?: AbortSignal }): Promise<PreflightReport>;
  /** Subscribes to one kind of SDK event. */
  on<T extends SdkEventType>(type: T, listener: (event: SdkEventOf<T>) => void): Disposable;
  /** Stops subscriptions and timers, lets in-flight calls finish (bounded), closes pools, caches and owned Redis. */
  close(): Promise<void>;
}

function loadedFrom(config: MarketDataManagerOptions['config']): LoadedConfig {
  if (config !== undefined && typeof (config as LoadedConfig).explain === 'function') return config as LoadedConfig;
  return loadConfig({ overrides: (config ?? {}) as object });
}

async function connectRedis(url: string): Promise<RedisClient> {
  const mod = (await import('ioredis').catch((cause: unknown): never => {
    throw new ValidationError(
      'cache.redisUrl is set but the optional peer "ioredis" is not installed: npm install ioredis',
      [],
      { cause },
    );
  })) as unknown as { default: new (url: string, options: object) => RedisClient };
  return new mod.default(url, { maxRetriesPerRequest: 1, enableOfflineQueue: false, lazyConnect: false });
}

/**
 * Creates the manager. With no arguments it reads config from the environment and
 * `stockade.config.json`; with no provider keys it runs on an embedded simulator, so it works
 * with no keys and no network.
 *
 * @example
 * const md = createMarketDataManager();
 * md.on('alert.raised', (e) => console.warn(e.alert.message));
 * const [aapl] = await md.quotes(['AAPL'], { signal: AbortSignal.timeout(2_000) });
 * if (aapl?.ok) console.log(aapl.quote.price, aapl.quote.provider, aapl.quote.stale);
 * await md.close();
 */
export function createMarketDataManager(options: MarketDataManagerOptions = {}): MarketDataManager {
  checkManagerOptions(options);
  checkStreamingOptions(options.stream);
  const loaded = loadedFrom(options.config);
  const cfg = loaded.config;
  const clock: Clock = options.clock ?? systemClock;
  const startedAt = clock.now();
  const calendar = options.calendar ?? createMarketCalendar({ clock });
  const logger: Logger =
    options.logger ?? createLogger({ level: cfg.logging.level, levels: cfg.logging.levels, clock, name: 'stockade' });
  const keys = createKeyBuilder({ prefix: cfg.cache.keyPrefix });
  const keyResolver =
    options.keyResolver ?? createKeyResolver({ sources: [keySources.config(loaded), keySources.environment()], clock });
  const timers = sharedTimerWheel(clock);
  const metrics = createManagerMetrics();
  const tracer = createTracer({ version: VERSION });
  const listeners = new Map<string, Set<(e: SdkEvent) => void>>();
  const emit = (event: SdkEvent) => {
    for (const l of listeners.get(event.type) ?? []) {
      try {
        l(event);
      } catch (err) {
        logger.error({ err, event: event.type }, 'an event listener threw');
      }
    }
  };
  const alerts = createAlertCenter({ emit, clock });
  const lifetime = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  const subscriptions = new Set<Subscription>();
  let closed = false;
  let ownedRedis: RedisClient | undefined;
  let stopSimulator: (() => Promise<void>) | undefined;
  let streamHub: StreamHub | undefined;

  const readyPromise = (async () => {
    let urls = options.simulatorUrls;
    const builtins = ['yahoo', 'alphavantage', 'polygon', 'massive'] as const;
    const needsSimulator =
      cfg.mode === 'simulator' &&
      urls === undefined &&
      builtins.some((n) => cfg.providers[n].enabled && cfg.providers[n].baseUrl === undefined);
    if (needsSimulator) {
      const { startSimulator } = await import('@stockade/simulator');
      const sim = await startSimulator({ port: 0, clock });
      stopSimulator = () => sim.stop();
      urls = sim.urls();
      logger.info(
        { url: sim.url('yahoo').replace(/\/yahoo$/, '') },
        'simulator mode: providers point at the embedded simulator',
      );
    }
    if (options.redis === undefined && cfg.cache.redisUrl !== undefined)
      ownedRedis = await connectRedis(cfg.cache.redisUrl);
    const redis = options.redis ?? ownedRedis;
    const cache: TieredCache = createCache({
      l1: { maxBytes: cfg.cache.l1MaxBytes },
      ...(redis === undefined ? {} : { redis }),
      keys,
      clock,
      ttlPolicy: createTtlPolicy({ calendar, overrides: { ...cfg.cache.ttl, maxStaleMs: cfg.cache.maxStaleMs } }),
      logger: logger.child({ component: 'cache' }),
      onL2StatusChange: (status, reason) => {
        if (status === 'ok') {
          alerts.clear('redis_down', undefined, 'Redis reachable again: the shared cache and quotas are back');
        } else {
          alerts.raise({
            type: 'redis_down',
            severity: 'warning',
            message: `Redis unreachable (${reason ?? 'unknown'}): serving from the in-process cache, quotas counted locally at this process's share`,
          });
        }
      },
    });
    if (redis !== undefined) await cache.verifyKeyspace({ signal: lifetime.signal });
    const providers: Provider[] = [
      ...createBuiltinProviders(loaded, { clock, calendar, keyResolver, baseUrlOf: (n) => urls?.[n] }),
      ...(options.providers ?? []),
    ];
    const runtimes: ProviderRuntime[] = providers.map((p) => {
      const configured = (cfg.providers as Record<string, (typeof cfg.providers)['yahoo'] | undefined>)[p.name];
      const priority = options.providerPriority?.[p.name] ?? configured?.priority ?? 50;
      const runtimeConfig = {
        priority,
        costPerCall: configured?.costPerCall ?? 0,
        quotas: configured?.quotas ?? [],
        timeoutMs: configured?.timeoutMs ?? cfg.resilience.attemptTimeoutMs,
      };
      return createProviderRuntime(p, runtimeConfig, {
        clock,
        timers,
        resilience: cfg.resilience,
        keyResolver,
        // With Redis, quotas are counted there: every process sharing it stays within one quota.
        sharedQuotas:
          redis === undefined ? undefined : { redis, keys, expectedProcesses: options.expectedProcesses ?? 1 },
      });
    });
    runtimes.sort((a, b) => a.priority - b.priority);
    const cost = createCostTracker({
      clock,
      costPerCall: Object.fromEntries(runtimes.map((r) => [r.name, r.costPerCall])),
    });
    const monitor = createHealthMonitor({
      providers: runtimes.map((r) => r.name),
      clock,
      thresholds: cfg.health,
      cost,
    });
    const rules = createAlertRules({ monitor, alerts, keySourceOf: (p) => keyResolver.describe(p).source });
    for (const r of runtimes) wireRuntime(r, { monitor, metrics, cost, alerts, emit, clock, logger });
    const prober = createRecoveryProber({
      runtimes,
      monitor,
      clock,
      retryAfterMs: cfg.resilience.breaker.halfOpenAfterMs,
      signal: lifetime.signal,
    });
    const refresh = () => {
      for (const r of runtimes) {
        monitor.setQuotaLeft(r.name, quotaLeft(r), r.quotaLimit ?? undefined);
        metrics.setPoolConnections(r.name, r.provider.poolStats());
        for (const b of r.buckets) metrics.setBucket(r.name, b.name, { queued: b.queueLength, tokens: b.tokens() });
      }
      monitor.refresh();
      for (const r of runtimes) metrics.setProviderHealth(r.name, monitor.providerHealth(r.name).status);
      prober.tick();
    };
    const refreshTimer = setInterval(refresh, 5_000);
    refreshTimer.unref();
    const seen = { l1Hits: 0, l1Misses: 0, l2Hits: 0, l2Misses: 0, staleServes: 0 };
    metrics.onCollect(() => {
      refresh();
      const c = cache.stats();
      metrics.setCacheBytes(c.bytes);
      // The cache counts in plain integers; the metric gets what happened since the last scrape.
      metrics.recordCacheLookup('l1', 'hit', c.l1Hits - seen.l1Hits);
      metrics.recordCacheLookup('l1', 'miss', c.l1Misses - seen.l1Misses);
      metrics.recordCacheLookup('l2', 'hit', c.l2Hits - seen.l2Hits);
      metrics.recordCacheLookup('l2', 'miss', c.l2Misses - seen.l2Misses);
      metrics.recordCacheLookup('l1', 'stale', c.staleServes - seen.staleServes);
      Object.assign(seen, {
        l1Hits: c.l1Hits,
        l1Misses: c.l1Misses,
        l2Hits: c.l2Hits,
        l2Misses: c.l2Misses,
        staleServes: c.staleServes,
      });
      for (const r of runtimes) metrics.setProjectedMonthlyCost(r.name, cost.projectedMonthly(r.name));
      metrics.setAlertsActive(alerts.activeByType());
    });
    const quoteService = createQuoteService({
      runtimes,
      cache,
      keys,
      clock,
      monitor,
      metrics,
      tracer,
      maxStaleMs: cfg.cache.maxStaleMs,
      defaultStrategy: cfg.resilience.hedge.enabled ? 'hedged' : 'failover',
      deadlineMs: cfg.resilience.deadlineMs,
      timers,
    });
    const barsService = createBarsService({ runtimes, cache, calendar, clock, metrics });
    const streamUrlOf = streamUrlResolver({
      given: options.stream?.urls,
      simulatorMode: cfg.mode === 'simulator',
      simulatorBase: urls,
    });
    const hub = () =>
      (streamHub ??= createStreamHub({
        candidates: runtimes,
        health: (name) => monitor.providerHealth(name),
        urlOf: streamUrlOf,
        settings: options.stream ?? {},
        clock,
        logger: logger.child({ component: 'stream' }),
        metrics,
        emit,
        listening: (type) => (listeners.get(type)?.size ?? 0) > 0,
        poll: (symbols, onQuote, o) => manager.subscribe(symbols, onQuote, { intervalMs: o.intervalMs }),
        bars: (symbol, o) => manager.bars(symbol, o),
      }));
    metrics.onCollect(() => streamHub?.refreshMetrics());
    return { cache, runtimes, monitor, rules, refresh, refreshTimer, quoteService, barsService, redis, hub };
  })();
  // A failed start is reported to the first caller; it must not surface as an unhandled rejection.
  readyPromise.catch(() => {});

  function track<T>(p: Promise<T>): Promise<T> {
    inFlight.add(p);
    const done = () => inFlight.delete(p);
    p.then(done, done);
    return p;
  }
  function assertOpen(): void {
    if (closed) throw new ValidationError('The manager is closed: create a new one to make more calls');
  }

  const manager: MarketDataManager = {
    config: loaded,
    metrics,
    async ready() {
      await readyPromise;
    },
    async providers() {
      return (await readyPromise).runtimes.map((r) => r.name);
    },
    quotes(symbols, opts = {}) {
      assertOpen();
      return track(
        (async () => {
          const checked = checkQuoteOptions(opts);
          const parts = await readyPromise;
          return parts.quoteService.quotes(symbols, checked);
        })(),
      );
    },
    async quote(symbol, opts = {}) {
      const [answer] = await manager.quotes([symbol], opts);
      if (answer === undefined) throw new ValidationError('No symbol given');
      if (!answer.ok) throw answer.error;
      return answer.quote;
    },
    bars(symbol, opts) {
      assertOpen();
      return track(
        (async () => {
          const checked = checkBarsOptions(opts);
          return (await readyPromise).barsService.bars(parseSymbol(symbol).symbol, checked);
        })(),
      );
    },
    subscribe(symbols, onQuote, opts = {}) {
      assertOpen();
      const sub = createSubscription(manager, symbols, onQuote, { ...checkSubscribeOptions(opts), calendar, logger });
      subscriptions.add(sub);
      return {
        close() {
          subscriptions.delete(sub);
          sub.close();
        },
      };
    },
    stream(symbols, opts = {}) {
      assertOpen();
      const checked = checkStreamCall(symbols, opts);
      return deferStream(
        checked.symbols,
        checked.channels,
        readyPromise.then((parts) => {
          // Closed while starting: a hub made now would outlive the manager.
          if (closed) throw new ValidationError('The manager was closed before the stream opened');
          return parts.hub().open(checked.symbols, opts);
        }),
      );
    },
    async health(opts = {}) {
      const parts = await readyPromise;
      parts.refresh();
      const report = await buildHealthReport({
        level: opts.level ?? 1,
        version: VERSION,
        startedAt,
        clock,
        monitor: parts.monitor,
        cache: () => parts.cache.health(),
        redis: async ({ signal }) => {
          if (parts.redis === undefined) return { status: 'disabled' };
          const started = clock.now();
          try {
            await Promise.race([
              parts.redis.ping(),
              new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason), { once: true })),
            ]);
            return { status: 'ok', latencyMs: clock.now() - started };
          } catch {
            return { status: 'down' };
          }
        },
        probe: (name, { signal }) => {
          const r = parts.runtimes.find((x) => x.name === name);
          if (r === undefined) return Promise.resolve({ ok: false, latencyMs: 0, error: `unknown provider ${name}` });
          return r.provider
            .probe({ signal })
            .then((p) => (p.ok ? p : { ok: false, latencyMs: p.latencyMs, error: p.error.message }));
        },
        ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      });
      return streamHub === undefined ? report : { ...report, stream: streamHub.health() };
    },
    async preflight(opts = {}) {
      const parts = await readyPromise;
      return runPreflight({ loaded, runtimes: parts.runtimes, redis: parts.redis, keyResolver, signal: opts.signal });
    },
    on(type, listener) {
      let set = listeners.get(type);
      if (set === undefined) {
        set = new Set();
        listeners.set(type, set);
      }
      const l = listener as (e: SdkEvent) => void;
      set.add(l);
      return { dispose: () => set?.delete(l) };
    },
    async close() {
      if (closed) return;
      closed = true;
      // Streams first: their polling fallback and gap fills are manager calls that must stop too.
      await streamHub?.close();
      for (const s of subscriptions) s.close();
      subscriptions.clear();
      // In-flight calls get a bounded time to finish; then everything they hold is closed under them.
      const drained = Promise.allSettled([...inFlight]);
      await Promise.race([drained, new Promise((r) => setTimeout(r, 2_000).unref())]);
      lifetime.abort(new StockadeError('CLOSED', 'The manager was closed'));
      const parts = await readyPromise.catch(() => undefined);
      if (parts !== undefined) {
        clearInterval(parts.refreshTimer);
        parts.rules.dispose();
        for (const r of parts.runtimes) r.limiter?.close();
        await Promise.allSettled(parts.runtimes.map((r) => r.provider.close()));
        await parts.cache.close();
      }
      if (ownedRedis !== undefined) await ownedRedis.quit().catch(() => ownedRedis?.disconnect());
      await stopSimulator?.();
    },
  };
  return manager;
}
