import { PROVIDER_NAMES, type ProviderName } from './provider-name.js';

/** Names under which served faults are counted. */
export type FaultName =
  | 'latency'
  | 'error500'
  | 'error502'
  | 'error503'
  | 'badKey'
  | 'expiredCrumb'
  | 'quoteEndpointDisabled'
  | 'quotaMinute'
  | 'quotaDay'
  | 'rateLimit'
  | 'reset'
  | 'hang'
  | 'malformed'
  | 'schemaDrift'
  | 'slowBody'
  | 'notEntitled'
  | 'wrongPrice';

/** What one provider of the simulator has served. */
export interface ProviderStats {
  /** Requests received. */
  requests: number;
  /** Requests per endpoint (`chart`, `quote`, `GLOBAL_QUOTE`, `aggs`, `snapshot`…). */
  byEndpoint: Record<string, number>;
  /** Faults served, by {@link FaultName}. */
  faults: Record<string, number>;
  /** Responses sent, by HTTP status (resets and hangs send none). */
  statuses: Record<string, number>;
  /** Total latency injected, ms. */
  delayMs: number;
}

/** Request counters of a simulator. */
export interface SimulatorStats {
  /** A copy of every provider's counters. */
  snapshot(): Record<ProviderName, ProviderStats>;
  /** Requests `provider` received, on `endpoint` or in all. */
  requests(provider: ProviderName, endpoint?: string): number;
  /** How many times `provider` served `fault`. */
  faultsServed(provider: ProviderName, fault: FaultName): number;
  /** Sets every counter back to zero. */
  reset(): void;
}

/** The counters and the hooks the server records through. */
export interface StatsRecorder extends SimulatorStats {
  /** Counts a request. */
  request(provider: ProviderName, endpoint: string): void;
  /** Counts a fault served. */
  fault(provider: ProviderName, fault: FaultName): void;
  /** Counts a response status. */
  status(provider: ProviderName, status: number): void;
  /** Adds injected latency. */
  delay(provider: ProviderName, ms: number): void;
}

const empty = (): ProviderStats => ({ requests: 0, byEndpoint: {}, faults: {}, statuses: {}, delayMs: 0 });

/** Creates zeroed counters for every provider. */
export function createStats(): StatsRecorder {
  let stats = new Map<ProviderName, ProviderStats>(PROVIDER_NAMES.map((p) => [p, empty()]));
  const of = (p: ProviderName): ProviderStats => {
    let s = stats.get(p);
    if (s === undefined) {
      s = empty();
      stats.set(p, s);
    }
    return s;
  };
  const bump = (record: Record<string, number>, key: string) => {
    record[key] = (record[key] ?? 0) + 1;
  };
  return {
    request(p, endpoint) {
      const s = of(p);
      s.requests += 1;
      bump(s.byEndpoint, endpoint);
    },
    fault: (p, fault) => bump(of(p).faults, fault),
    status: (p, status) => bump(of(p).statuses, String(status)),
    delay(p, ms) {
      of(p).delayMs += ms;
    },
    snapshot: () =>
      Object.fromEntries(PROVIDER_NAMES.map((p) => [p, structuredClone(of(p))])) as Record<ProviderName, ProviderStats>,
    requests: (p, endpoint) => (endpoint === undefined ? of(p).requests : (of(p).byEndpoint[endpoint] ?? 0)),
    faultsServed: (p, fault) => of(p).faults[fault] ?? 0,
    reset() {
      stats = new Map(PROVIDER_NAMES.map((p) => [p, empty()]));
    },
  };
}
