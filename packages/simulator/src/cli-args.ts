import { readFileSync } from 'node:fs';
import { ConfigError } from '@stockade/core';
import { parseFaultPlan } from './faults.js';
import { isProviderName, PROVIDER_NAMES } from './provider-name.js';
import type { SimulatorOptions } from './server.js';
import { simulatedClock } from './simulated-clock.js';

/** Faults that make each provider behave like its free tier: Alpha Vantage 5/min and 25/day, Polygon and Massive 5/min. */
export const FREE_TIER_FAULTS = Object.freeze({
  alphavantage: { quota: { perMinute: 5, perDay: 25 } },
  polygon: { quota: { perMinute: 5 } },
  massive: { quota: { perMinute: 5 } },
});

/** Usage text of the `stockade-simulator` command. */
export const USAGE = `Usage: stockade-simulator [options]

  --port <n>            port to listen on (default 4010; 0 picks a free one)
  --host <addr>         interface (default 127.0.0.1)
  --seed <n|s>          seed of prices and fault draws (default 1)
  --symbols <a,b,…>     canonical symbols served ('*' for any; default: the built-in list)
  --providers <a,b,…>   providers served (default: ${PROVIDER_NAMES.join(',')})
  --faults <file.json>  initial faults, { "polygon": { "badKey": true }, … }
  --free-tier           free-tier quotas: Alpha Vantage 5/min and 25/day, Polygon and Massive 5/min
  --start <iso>         simulated start instant (e.g. 2026-03-10T14:30:00Z; default now)
  --speed <x>           simulated ms per real ms (e.g. 60: a minute a second; default 1)
  --help                this text`;

/** What the command line asked for. */
export interface CliRequest {
  /** Options for `startSimulator`. */
  options: SimulatorOptions;
  /** Whether `--help` was given. */
  help: boolean;
}

/**
 * Parses the command line of `stockade-simulator` (also behind `stockade simulate`).
 *
 * @throws {ConfigError} naming the flag that is unknown or has a bad value.
 */
export function parseCliArgs(
  argv: readonly string[],
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): CliRequest {
  const options: SimulatorOptions = { port: 4010 };
  let start: number | undefined;
  let speed: number | undefined;
  let freeTier = false;
  let faults: unknown;
  const fail = (flag: string, message: string, hint?: string): never => {
    throw new ConfigError([{ path: flag, message, source: 'command line', ...(hint ? { hint } : {}) }]);
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '--help' || flag === '-h') return { options, help: true };
    if (flag === '--free-tier') {
      freeTier = true;
      continue;
    }
    const value = argv[i + 1];
    if (value === undefined || value.startsWith('--')) fail(flag, 'needs a value', USAGE.split('\n')[0]);
    i += 1;
    const v = value as string;
    switch (flag) {
      case '--port': {
        const port = Number(v);
        if (!Number.isInteger(port) || port < 0 || port > 65_535) fail(flag, `must be a port number, got ${v}`);
        options.port = port;
        break;
      }
      case '--host':
        options.host = v;
        break;
      case '--seed':
        options.seed = /^-?\d+$/.test(v) ? Number(v) : v;
        break;
      case '--symbols':
        options.symbols = v
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '');
        break;
      case '--providers': {
        const list = v.split(',').map((s) => s.trim());
        const bad = list.filter((p) => !isProviderName(p));
        if (bad.length > 0) fail(flag, `unknown provider ${bad.join(', ')}`, `use ${PROVIDER_NAMES.join(', ')}`);
        options.providers = list as SimulatorOptions['providers'];
        break;
      }
      case '--faults': {
        let text: string;
        try {
          text = readFile(v);
        } catch (err) {
          return fail(flag, `cannot read ${v}: ${(err as Error).message}`);
        }
        try {
          faults = JSON.parse(text);
        } catch {
          fail(flag, `${v} is not JSON`);
        }
        break;
      }
      case '--start':
        start = Date.parse(v);
        if (Number.isNaN(start)) fail(flag, `must be an ISO instant such as 2026-03-10T14:30:00Z, got ${v}`);
        break;
      case '--speed':
        speed = Number(v);
        if (!Number.isFinite(speed) || speed <= 0) fail(flag, `must be a positive number, got ${v}`);
        break;
      default:
        fail(flag, 'unknown option', 'run with --help for the list');
    }
  }
  const plan = parseFaultPlan(faults);
  if (freeTier) {
    for (const [provider, f] of Object.entries(FREE_TIER_FAULTS)) {
      const p = provider as keyof typeof FREE_TIER_FAULTS;
      plan[p] = { ...f, ...(plan[p] ?? {}) };
    }
  }
  options.faults = plan;
  if (start !== undefined || speed !== undefined) {
    options.clock = simulatedClock({
      ...(start !== undefined ? { start } : {}),
      ...(speed !== undefined ? { speed } : {}),
    });
  }
  return { options, help: false };
}
