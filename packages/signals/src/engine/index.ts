export type { AgentTiming } from './agent-timing.js';
export * from './attach.js';
export * from './bar-aggregator.js';
export type { AgentAnswer } from './consensus-signal.js';
export * from './engine-config.js';
export * from './signal-engine.js';
export * from './signal-engine-options.js';
export * from './signal-gate.js';
export * from './signal-stream.js';
