import { defaultKeyEnvNames, ValidationError } from '@stockade/core';

/** How the demo runs, from the command line and the environment. */
export interface DemoOptions {
  /** `simulator`: an in-process simulator with faults; `live`: the real APIs with the keys in the environment. */
  mode: 'simulator' | 'live';
  /** Real seconds the run lasts. @default 30 (10 with `--fast`) */
  durationSec: number;
  /** Poll cycles in the run (one quote request each). @default 30 */
  cycles: number;
  /** Simulated milliseconds per real millisecond (simulator mode). @default 5 (15 with `--fast`) */
  speed: number;
  /** Seed of the simulator's price paths. @default 7 */
  seed: number;
  /** Why the mode was chosen, for the header. */
  modeReason: string;
}

/** The symbols the demo follows: US equities, an ETF, a share class, crypto and fx. */
export const DEMO_SYMBOLS = ['AAPL', 'MSFT', 'NVDA', 'AMZN', 'SPY', 'BRK.B', 'BTC-USD', 'EURUSD=X'] as const;

/** Simulated time of one poll cycle, ms: the same story however fast it is played. */
export const CYCLE_SIM_MS = 5_000;

/** `npm start -- --help`. */
export const USAGE = `Usage: npm start [-- options]

Runs a MarketDataManager with all four providers on an in-process simulator, injects faults
midway (Massive 401, Yahoo slow, Alpha Vantage out of quota), then prints a summary.

  --duration N   run for N real seconds (default 30; one poll cycle per second)
  --fast         the default 30-cycle story in 10 s (simulated time runs 15× instead of 5×)
  --live         use the real APIs with the keys in the environment (the default when one is set)
  --simulator    use the simulator even when provider keys are set
  --seed N       seed of the simulated prices (default 7)
  --help         this text`;

/** Environment variables that hold a provider key. */
export function keyVariables(): string[] {
  const names: string[] = [];
  for (const [provider, vars] of Object.entries(defaultKeyEnvNames)) {
    names.push(...vars, `STOCKADE_PROVIDERS_${provider.toUpperCase()}_API_KEY`);
  }
  return names;
}

/** The key variables that are set (non-empty) in `env`. */
export function keysInEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  return keyVariables().filter((name) => (env[name] ?? '').trim() !== '');
}

function positive(flag: string, raw: string | undefined): number {
  const n = Number(raw);
  if (raw === undefined || !Number.isFinite(n) || n <= 0) {
    throw new ValidationError(`${flag} needs a positive number, e.g. ${flag} 60 (got ${raw ?? 'nothing'})`, [
      { path: flag, message: 'expected a positive number' },
    ]);
  }
  return n;
}

/**
 * Reads the demo's flags. Returns `'help'` for `--help`.
 *
 * @throws {ValidationError} for an unknown flag or a bad number, saying which and what is expected.
 */
export function parseDemoArgs(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): DemoOptions | 'help' {
  let fast = false;
  let duration: number | undefined;
  let seed = 7;
  let forced: 'simulator' | 'live' | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => inline ?? argv[++i];
    if (flag === '--help' || flag === '-h') return 'help';
    else if (flag === '--fast') fast = true;
    else if (flag === '--live') forced = 'live';
    else if (flag === '--simulator' || flag === '--sim') forced = 'simulator';
    else if (flag === '--duration') duration = positive('--duration', value());
    else if (flag === '--seed') seed = positive('--seed', value());
    else {
      throw new ValidationError(`unknown option ${arg}; run npm start -- --help`, [
        { path: String(flag), message: 'unknown option' },
      ]);
    }
  }
  const keys = keysInEnvironment(env);
  const mode = forced ?? (keys.length > 0 ? 'live' : 'simulator');
  const modeReason =
    forced === 'live'
      ? '--live'
      : forced === 'simulator'
        ? '--simulator'
        : keys.length > 0
          ? `keys in the environment (${keys.join(', ')})`
          : 'no provider keys in the environment';
  // --fast plays the same simulated story three times faster; --duration lengthens the story.
  const durationSec = duration ?? (fast ? 10 : 30);
  const cycles = Math.max(4, Math.round(fast ? durationSec * 3 : durationSec));
  const speed = CYCLE_SIM_MS / ((durationSec * 1_000) / cycles);
  return { mode, durationSec, cycles, speed, seed, modeReason };
}
