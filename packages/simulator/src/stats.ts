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
  | 'oversizedBody'
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

/** One request as the simulator received it, for checks on what clients send (where a key travels). */
export interface RequestRecord {
  /** The provider addressed. */
  provider: ProviderName;
  /** Endpoint name, as in `byEndpoint`. */
  endpoint: string;
  /** The request target as sent: path and query string. */
  target: string;
  /** Request headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
}

/** How many requests {@link SimulatorStats.requestLog} keeps (the most recent). */
export const REQUEST_LOG_SIZE = 1_000;

/** Request counters of a simulator. */
export interface SimulatorStats {
  /** A copy of every provider's counters. */
  snapshot(): Record<ProviderName, ProviderStats>;
  /** Requests `provider` received, on `endpoint` or in all. */
  requests(provider: ProviderName, endpoint?: string): number;
  /** How many times `provider` served `fault`. */
  faultsServed(provider: ProviderName, fault: FaultName): number;
  /** The most recent requests (up to {@link REQUEST_LOG_SIZE}), oldest first, of one provider or all. */
  requestLog(provider?: ProviderName): RequestRecord[];
  /** Sets every counter back to zero and empties the request log. */
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
  /** Keeps a request in the bounded log. */
  log(record: RequestRecord): void;
}

const empty = (): ProviderStats => ({ requests: 0, byEndpoint: {}, faults: {}, statuses: {}, delayMs: 0 });

/** Creates zeroed counters for every provider. */
export function createStats(): StatsRecorder {
  let stats = new Map<ProviderName, ProviderStats>(PROVIDER_NAMES.map((p) => [p, empty()]));
  // A ring: the log never holds more than REQUEST_LOG_SIZE records, however long the simulator runs.
  let ring: RequestRecord[] = [];
  let next = 0;
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
    log(record) {
      if (ring.length < REQUEST_LOG_SIZE) ring.push(record);
      else ring[next] = record;
      next = (next + 1) % REQUEST_LOG_SIZE;
    },
    requestLog(provider) {
      const ordered = ring.length < REQUEST_LOG_SIZE ? ring : [...ring.slice(next), ...ring.slice(0, next)];
      return ordered.filter((r) => provider === undefined || r.provider === provider).map((r) => structuredClone(r));
    },
    reset() {
      stats = new Map(PROVIDER_NAMES.map((p) => [p, empty()]));
      ring = [];
      next = 0;
    },
  };
}
