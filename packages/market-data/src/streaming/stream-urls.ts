/** Options of {@link streamUrlResolver}. */
export interface StreamUrlSources {
  /** URLs given in `createMarketDataManager({ stream: { urls } })`. */
  given?: Readonly<Record<string, string>> | undefined;
  /** Whether the manager runs in simulator mode. */
  simulatorMode: boolean;
  /** The HTTP base URL of each built-in provider on a simulator (embedded or `simulatorUrls`). */
  simulatorBase?: Partial<Record<string, string>> | undefined;
}

const BUILTINS = new Set(['yahoo', 'alphavantage', 'polygon', 'massive']);

/**
 * Where each provider streams from: a given URL first; in simulator mode, the simulator's endpoint
 * beside its HTTP base (`ws://host/polygon/stocks`, `ws://host/yahoo/?version=2`), and `null`
 * (does not stream) for a built-in with no simulator behind it, so a test setup never reaches a
 * real provider with a made-up key; otherwise `undefined`, the provider's own endpoint.
 */
export function streamUrlResolver(o: StreamUrlSources): (name: string) => string | null | undefined {
  return (name) => {
    const given = o.given?.[name];
    if (given !== undefined) return given;
    if (!o.simulatorMode || !BUILTINS.has(name)) return undefined;
    const base = o.simulatorBase?.[name];
    if (base === undefined || name === 'alphavantage') return null;
    const ws = base.replace(/^http/, 'ws').replace(/\/+$/, '');
    return name === 'yahoo' ? `${ws}/?version=2` : `${ws}/stocks`;
  };
}
