import { parseArgs } from 'node:util';
import { ConfigError, type ConfigIssue, normalizeSymbol } from '@stockade/core';

/** Where the service's providers point. */
export type ProviderTarget =
  /** The real APIs, keys from the environment (or stockade.config.json). */
  | { kind: 'live' }
  /** A simulator the manager starts in-process (`STOCKADE_MODE=simulator`). */
  | { kind: 'embedded-simulator' }
  /** A simulator already running at `url` (`--simulator http://127.0.0.1:4010`). */
  | { kind: 'simulator'; url: string };

/** How the host service runs; see {@link serviceOptions}. */
export interface ServiceOptions {
  /** TCP port; 0 picks a free one (the `listening` log line says which). @default 8080, or PORT */
  port: number;
  /** Interface to listen on. @default '127.0.0.1', or HOST */
  host: string;
  /** Where the providers point. @default live, unless STOCKADE_MODE=simulator or --simulator */
  target: ProviderTarget;
  /** Symbols the signal engine follows for `/signals`. @default AAPL, MSFT, SPY */
  signalSymbols: string[];
  /** Longest wait for in-flight requests after SIGTERM before they are cut off, ms. @default 10_000 */
  drainTimeoutMs: number;
  /** Longest a single request may take, ms. @default 15_000 */
  requestTimeoutMs: number;
}

/** The help text of `server.ts`. */
export const USAGE = `Usage: node --import tsx examples/host-service/server.ts [options]

Options:
  --port <n>              port, 0 for a free one (default $PORT or 8080)
  --host <addr>           interface (default $HOST or 127.0.0.1)
  --simulator <url>       providers point at a running simulator (stockade simulate --port 4010)
  --symbols <a,b>         symbols /signals follows (default AAPL,MSFT,SPY)
  --drain-timeout <ms>    wait for in-flight requests after SIGTERM (default 10000)
  --request-timeout <ms>  longest one request may take (default 15000)
  -h, --help              this text

STOCKADE_MODE=simulator runs on a simulator started in-process; otherwise the real APIs are used with
the keys in the environment (POLYGON_API_KEY, MASSIVE_API_KEY, ALPHA_VANTAGE_API_KEY; Yahoo needs none).`;

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      simulator: { type: 'string' },
      symbols: { type: 'string' },
      'drain-timeout': { type: 'string' },
      'request-timeout': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/**
 * Reads the service's options from its command line and environment.
 *
 * @throws {ConfigError} listing every bad option, each with how to fix it.
 */
export function serviceOptions(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { help: boolean; options: ServiceOptions } {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (err) {
    // node:util reports an unknown or valueless option as a TypeError; say it the SDK's way.
    throw new ConfigError([{ path: 'argv', message: (err as Error).message, hint: 'see --help' }]);
  }
  const issues: ConfigIssue[] = [];
  const integer = (path: string, raw: string, min: number, max: number, hint: string): number => {
    const n = Number(raw);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    issues.push({ path, message: `expected an integer from ${min} to ${max}, got ${JSON.stringify(raw)}`, hint });
    return min;
  };
  const port = integer('port', values.port ?? env.PORT ?? '8080', 0, 65_535, 'e.g. --port 8080, or 0 for a free port');
  const drainTimeoutMs = integer('drain-timeout', values['drain-timeout'] ?? '10000', 0, 600_000, 'milliseconds');
  const requestTimeoutMs = integer('request-timeout', values['request-timeout'] ?? '15000', 1, 600_000, 'ms');

  let target: ProviderTarget = env.STOCKADE_MODE === 'simulator' ? { kind: 'embedded-simulator' } : { kind: 'live' };
  if (values.simulator !== undefined) {
    try {
      const url = new URL(values.simulator);
      if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError('not http');
      target = { kind: 'simulator', url: `${url.origin}${url.pathname.replace(/\/+$/, '')}` };
    } catch {
      issues.push({
        path: 'simulator',
        message: `expected an http:// URL, got ${JSON.stringify(values.simulator)}`,
        hint: 'e.g. --simulator http://127.0.0.1:4010',
      });
    }
  }

  const signalSymbols: string[] = [];
  for (const raw of (values.symbols ?? 'AAPL,MSFT,SPY').split(',')) {
    try {
      signalSymbols.push(normalizeSymbol(raw.trim()));
    } catch (err) {
      issues.push({ path: 'symbols', message: (err as Error).message, hint: 'e.g. --symbols AAPL,MSFT,BTC-USD' });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    help: values.help === true,
    options: {
      port,
      host: values.host ?? env.HOST ?? '127.0.0.1',
      target,
      signalSymbols: [...new Set(signalSymbols)],
      drainTimeoutMs,
      requestTimeoutMs,
    },
  };
}
