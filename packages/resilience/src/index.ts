export type { BreakerCounting } from './breaker-counting.js';
export * from './bulkhead.js';
export {
  CallContext,
  type ExecuteOptions,
  neverAbortedSignal,
  type Policy,
  type PolicyContext,
  type PolicyFn,
} from './call-context.js';
export * from './circuit-breaker.js';
export * from './classify.js';
export * from './cockatiel-interop.js';
export * from './deadline.js';
export * from './events.js';
export {
  type HedgeEvent,
  type HedgeOptions,
  type HedgePolicy,
  type HedgeTarget,
  hedge,
} from './hedge.js';
export * from './latency-window.js';
export * from './multi-bucket.js';
export * from './pipeline.js';
export type {
  AttemptEvent,
  AuthFailureHook,
  NotEntitledEvent,
  PipelineRejectedEvent,
  RejectedBy,
} from './pipeline-core.js';
export * from './rate-limit-headers.js';
export * from './rate-limiter.js';
export * from './retry.js';
export * from './retry-budget.js';
export * from './shared-token-bucket.js';
export { abortableSleep } from './sleep.js';
export { type TimeoutEvent, type TimeoutOptions, type TimeoutPolicy, timeout } from './timeout.js';
export * from './timer-wheel.js';
export * from './token-bucket.js';
export type { Gate } from './wait-queue.js';
