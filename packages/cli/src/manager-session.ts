import { createLogger, type LoadedConfig, type LogLevel, loadConfig, ProviderError } from '@stockade/core';
import { createMarketDataManager, type MarketDataManager } from '@stockade/market-data';
import type { CommandContext } from './command.js';
import { UsageError } from './usage-error.js';

const SIMULATED = ['yahoo', 'alphavantage', 'polygon', 'massive'] as const;

/**
 * The configuration of this run: `--config` (else `./stockade.config.json`), the run's environment,
 * and `mode: 'simulator'` when `--simulator` points at a running simulator.
 *
 * @throws {ConfigError} listing every problem found.
 */
export function loadRunConfig(ctx: Pick<CommandContext, 'global' | 'env' | 'cwd'>): LoadedConfig {
  return loadConfig({
    env: ctx.env,
    cwd: ctx.cwd,
    ...(ctx.global.config === undefined ? {} : { file: ctx.global.config }),
    ...(ctx.global.simulator === undefined ? {} : { overrides: { mode: 'simulator' } }),
  });
}

/**
 * The origin of `--simulator`, without a trailing slash.
 *
 * @throws {UsageError} when it is not an http(s) URL.
 */
export function simulatorOrigin(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--simulator must be a URL such as http://127.0.0.1:4010, got ${JSON.stringify(url)}`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`--simulator must be an http:// URL, got ${JSON.stringify(url)}`);
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

/** Fails early, with the fix, when nothing answers at `--simulator`: otherwise every provider would fail one by one. */
async function checkSimulator(origin: string, signal: AbortSignal): Promise<void> {
  try {
    const res = await fetch(`${origin}/__sim/stats`, { signal: AbortSignal.any([signal, AbortSignal.timeout(3_000)]) });
    await res.body?.cancel();
    if (res.ok) return;
    throw new ProviderError(`${origin} answered HTTP ${res.status} and is not a stockade simulator`, {
      provider: 'simulator',
      kind: 'bad_response',
      status: res.status,
    });
  } catch (err) {
    if (err instanceof ProviderError || signal.aborted) throw err;
    throw new ProviderError(
      `nothing answers at ${origin}: start a simulator with \`stockade simulate --port 4010\` or drop --simulator`,
      { provider: 'simulator', kind: 'unavailable', cause: err },
    );
  }
}

function logLevelOf(ctx: CommandContext, config: LoadedConfig): LogLevel {
  if (ctx.global.verbose) return 'info';
  const source = config.sourceOf('logging.level') ?? 'default';
  // A level someone chose wins; the library's default would put JSON lines between the results.
  return source === 'default' || source.startsWith('profile') ? 'error' : config.config.logging.level;
}

/**
 * Opens a `MarketDataManager` for one command and always closes it, so the process exits on its
 * own. Alerts the manager raises (an expired key, a provider down) are printed on stderr as
 * `warning: …`.
 *
 * @throws what `use` throws, after closing the manager.
 */
export async function withManager<T>(ctx: CommandContext, use: (md: MarketDataManager) => Promise<T>): Promise<T> {
  const config = loadRunConfig(ctx);
  const origin = ctx.global.simulator === undefined ? undefined : simulatorOrigin(ctx.global.simulator);
  if (origin !== undefined) await checkSimulator(origin, ctx.signal);
  const logger = createLogger({
    level: logLevelOf(ctx, config),
    destination: ctx.stderr,
    name: 'stockade',
    clock: ctx.clock,
  });
  const md = createMarketDataManager({
    config,
    logger,
    clock: ctx.clock,
    ...(origin === undefined
      ? {}
      : { simulatorUrls: Object.fromEntries(SIMULATED.map((name) => [name, `${origin}/${name}`])) }),
  });
  const alerts = md.on('alert.raised', ({ alert }) => {
    if (alert.severity !== 'info' || ctx.global.verbose) ctx.stderr.write(`warning: ${alert.message}\n`);
  });
  try {
    return await use(md);
  } finally {
    alerts.dispose();
    await md.close();
  }
}
