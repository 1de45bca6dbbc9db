import type { Clock, KeyResolver, LoadedConfig, MarketCalendar } from '@stockade/core';
import {
  alphaVantageProvider,
  massiveProvider,
  type Provider,
  polygonProvider,
  yahooProvider,
} from '@stockade/providers';

/** Where the built-in providers send requests when config gives no `baseUrl`. */
export type BaseUrlOf = (provider: 'yahoo' | 'alphavantage' | 'polygon' | 'massive') => string | undefined;

/** Creates the enabled built-in providers from config (custom providers are passed in by the caller). */
export function createBuiltinProviders(
  loaded: LoadedConfig,
  parts: { clock: Clock; calendar: MarketCalendar; keyResolver: KeyResolver; baseUrlOf: BaseUrlOf },
): Provider[] {
  const { providers } = loaded.config;
  const out: Provider[] = [];
  const common = (name: 'yahoo' | 'alphavantage' | 'polygon' | 'massive') => {
    const cfg = providers[name];
    const baseUrl = cfg.baseUrl ?? parts.baseUrlOf(name);
    return {
      ...(baseUrl === undefined ? {} : { baseUrl }),
      connections: cfg.maxConnections,
      clock: parts.clock,
      calendar: parts.calendar,
    };
  };
  const keyed = (name: 'alphavantage' | 'polygon' | 'massive') => {
    const cfg = providers[name];
    // The simulator accepts any non-empty key: no real key is needed or sent there.
    if (loaded.config.mode === 'simulator' && cfg.baseUrl === undefined && cfg.apiKey === undefined) {
      return { apiKey: 'simulator-key' };
    }
    // Always through the resolver (its first source is this config's key), so a 401 re-reads the
    // key and a rotated one is picked up without a restart.
    return { keyResolver: parts.keyResolver };
  };
  if (providers.yahoo.enabled) {
    const simulated = providers.yahoo.baseUrl === undefined ? parts.baseUrlOf('yahoo') : undefined;
    // The simulator serves Yahoo's cookie endpoint (fc.yahoo.com in real life) under its own base URL.
    out.push(
      yahooProvider({ ...common('yahoo'), ...(simulated === undefined ? {} : { cookieUrl: `${simulated}/fc` }) }),
    );
  }
  if (providers.polygon.enabled) out.push(polygonProvider({ ...common('polygon'), ...keyed('polygon') }));
  if (providers.massive.enabled) out.push(massiveProvider({ ...common('massive'), ...keyed('massive') }));
  if (providers.alphavantage.enabled) {
    out.push(alphaVantageProvider({ ...common('alphavantage'), ...keyed('alphavantage') }));
  }
  return out;
}
