export { type CliRequest, FREE_TIER_FAULTS, parseCliArgs, USAGE } from './cli-args.js';
export * from './faults.js';
export { latencyFor } from './latency.js';
export { DELAYED_PLAN_MS, PROVIDER_DELAY_MS, PROVIDER_NOISE_BPS } from './market-view.js';
export { createRandom, hashOf, type Random } from './prng.js';
export * from './provider-name.js';
export * from './server.js';
export * from './shape.js';
export * from './simulated-clock.js';
export {
  type FaultName,
  type ProviderStats,
  REQUEST_LOG_SIZE,
  type RequestRecord,
  type SimulatorStats,
} from './stats.js';
export type { StreamEndpointStats } from './stream/stream-counters.js';
export type { StreamFaultController, StreamFaults } from './stream/stream-faults.js';
export type { SimulatorStreams } from './stream/stream-server.js';
export { DEFAULT_SYMBOLS, KNOWN_PROFILES, profileOf, type SplitEvent, type SymbolProfile } from './symbol-profiles.js';
export { fromPolygon, fromYahoo, toPolygon, toYahoo } from './symbols.js';
