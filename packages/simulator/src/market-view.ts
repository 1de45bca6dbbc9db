import type { Clock } from '@stockade/core';
import { aggregate, type SimBar, sessionBar, sessionFilter } from './bars.js';
import type { ProviderFaults } from './faults.js';
import type { PricePath } from './price-path.js';
import { unitOf } from './prng.js';
import type { ProviderName } from './provider-name.js';
import type { TradingSession } from './sessions.js';
import { canonicalOrNull } from './symbols.js';
import type { Universe } from './universe.js';

/** Largest per-provider deviation from the true path, in basis points (before rounding). */
export const PROVIDER_NOISE_BPS = 2;

/** How far behind the clock each provider's data runs, ms. */
export const PROVIDER_DELAY_MS: Readonly<Record<ProviderName, number>> = {
  yahoo: 0,
  alphavantage: 60_000,
  polygon: 0,
  massive: 0,
};

/** A Polygon/Massive plan with `delayedPlan` sees the market this late. */
export const DELAYED_PLAN_MS = 15 * 60_000;

/** One provider's view of the simulated market for one request: its delay, noise and wrong prices. */
export interface MarketView {
  /** The provider. */
  readonly provider: ProviderName;
  /** The instant this provider's data has reached: the clock minus its delay. */
  readonly now: number;
  /** The path of a canonical symbol, or null when the simulator does not list it. */
  path(canonical: string): PricePath | null;
  /** The multiplier this provider applies to prices of `symbol` at `t`: noise, times any wrong price. */
  factor(symbol: string, t: number): number;
  /** Whether a wrong price is configured for `symbol` (to count the fault). */
  isWrong(symbol: string): boolean;
}

/** Creates a provider's view of the market for one request. */
export function createMarketView(opts: {
  provider: ProviderName;
  seed: number | string;
  clock: Clock;
  universe: Universe;
  faults: Readonly<ProviderFaults>;
}): MarketView {
  const { provider, seed, universe, faults } = opts;
  const delay = PROVIDER_DELAY_MS[provider] + (faults.delayedPlan === true ? DELAYED_PLAN_MS : 0);
  const wrong = new Map<string, number>();
  for (const w of faults.wrongPrice ?? []) wrong.set(canonicalOrNull(w.symbol) ?? w.symbol, w.factor);
  return {
    provider,
    now: opts.clock.now() - delay,
    path: (canonical) => universe.lookup(canonical),
    factor(symbol, t) {
      const noise =
        1 + (unitOf(seed, provider, symbol, Math.floor(t / 60_000)) - 0.5) * 2 * (PROVIDER_NOISE_BPS / 10_000);
      return noise * (wrong.get(symbol) ?? 1);
    },
    isWrong: (symbol) => wrong.has(symbol),
  };
}

/** Multiplies the prices of a bar by `f`. */
export function scaleBar(bar: SimBar, f: number): SimBar {
  return { ...bar, o: bar.o * f, h: bar.h * f, l: bar.l * f, c: bar.c * f, vw: bar.vw * f };
}

/** Where the market of an instrument stands, as Yahoo names it. */
export type MarketState = 'PRE' | 'REGULAR' | 'POST' | 'CLOSED';

/** Everything a quote endpoint reports about one instrument at the view's instant. */
export interface QuoteSnapshot {
  /** Canonical symbol. */
  symbol: string;
  /** Its path. */
  path: PricePath;
  /** Last price (regular session), with this provider's noise and wrong price. */
  price: number;
  /** When that price traded, epoch ms. */
  time: number;
  /** The session the day figures belong to (the one in progress, else the last one). */
  session: TradingSession | null;
  /** The day's regular-session bar so far. */
  day: SimBar | null;
  /** The previous session's bar. */
  previousDay: SimBar | null;
  /** Previous session's close (the base of the day's change). */
  previousClose: number;
  /** Market state at the view's instant. */
  state: MarketState;
  /** The price in pre- or post-market trading, when the market is there. */
  extended: { price: number; time: number } | null;
  /** The last complete minute bar. */
  minute: SimBar | null;
  /** The multiplier applied to every price above. */
  factor: number;
}

/** Builds the quote snapshot of `path` in `view`. */
export function quoteSnapshot(view: MarketView, path: PricePath): QuoteSnapshot {
  const now = Math.max(view.now, path.startsAt);
  const symbol = path.profile.symbol;
  const time = path.lastTradeInstant(now);
  const factor = view.factor(symbol, time);
  const price = path.priceAt(time) * factor;
  const schedule = path.schedule;
  const latest = schedule.latest(now);
  let session: TradingSession | null = latest;
  if (latest !== null && now < latest.open) session = schedule.previous(latest);
  const rawDay = session === null ? null : sessionBar(path, session, now, 'open');
  const day = rawDay === null ? null : scaleBar(rawDay, factor);
  const prevSession = session === null ? null : schedule.previous(session);
  const rawPrev = prevSession === null ? null : sessionBar(path, prevSession, now, 'open');
  const previousDay = rawPrev === null ? null : scaleBar(rawPrev, factor);
  let state: MarketState = 'CLOSED';
  let extended: QuoteSnapshot['extended'] = null;
  if (latest !== null) {
    if (now >= latest.open && now < latest.close) state = 'REGULAR';
    else if (now >= latest.preOpen && now < latest.open) state = 'PRE';
    else if (now >= latest.close && now < latest.postClose) state = 'POST';
    if (state === 'PRE' || state === 'POST') extended = { price: path.priceAt(now) * factor, time: now };
  }
  const minuteStart = Math.floor(time / 60_000) * 60_000 - 60_000;
  const include = sessionFilter(schedule.extendedHours);
  const rawMinute = aggregate(path, minuteStart, minuteStart + 60_000, include, now);
  return {
    symbol,
    path,
    price,
    time,
    session,
    day,
    previousDay,
    previousClose: previousDay?.c ?? day?.o ?? price,
    state,
    extended,
    minute: rawMinute === null ? null : scaleBar(rawMinute, factor),
    factor,
  };
}
