export type { Agent, AgentBar, AgentFactory, AgentSignal } from './agents/agent.js';
export * as agents from './agents/index.js';
export * from './backtest/index.js';
export * from './engine/index.js';
export * from './indicators/index.js';
export * from './quality/index.js';
