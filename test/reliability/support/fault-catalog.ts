import { ValidationError } from '@stockade/core';
import type { FaultName, ProviderFaults, ProviderName } from '@stockade/simulator';
import { MATRIX_SYMBOLS, PROVIDERS } from './matrix-harness.js';

/** What a provider's breaker must do under a fault. */
export type BreakerExpectation =
  /** Opens within the threshold, and closes again once the fault is cleared and the half-open delay passed. */
  | 'opens'
  /** Never opens: the failure is not the provider being down (throttling, a plan limit, a fixable crumb, a wrong price). */
  | 'stays-closed'
  /** Either: a fault that only sometimes fails a call. */
  | 'any';

/** One simulator fault as the matrix applies it to one provider. */
export interface FaultSpec {
  /** Short id used in cell ids. */
  id: string;
  /** Column label in the results. */
  label: string;
  /** The providers that have this fault. */
  providers: readonly ProviderName[];
  /** The simulator faults to set. */
  faults: ProviderFaults;
  /** Fault counters of which at least one must be > 0 for the cell to count (empty: see `quota`). */
  served: readonly FaultName[];
  /** The faulted provider's breaker. */
  breaker: BreakerExpectation;
  /** Quota the simulator enforces; `known` also gives it to the manager's limiter (then zero 429s are required). */
  quota?: { perMinute: number; known: boolean };
  /** Ask with the consensus strategy and check prices against the simulated path. */
  consensus?: boolean;
}

const ALL = PROVIDERS;
const KEYED: readonly ProviderName[] = ['polygon', 'massive', 'alphavantage', 'yahoo'];

/** Price factor of the wrong-price fault: far outside any real disagreement between providers. */
export const WRONG_FACTOR = 1.5;

/**
 * Every fault the simulator serves, in the order of the results table. Yahoo's 401 is its cookie
 * and crumb refusal; Alpha Vantage's "401" is its 200 with an `Error Message` about the key.
 */
export const FAULTS: readonly FaultSpec[] = [
  {
    id: '500',
    label: 'HTTP 500',
    providers: ALL,
    faults: { errorRate: { 500: 1 } },
    served: ['error500'],
    breaker: 'opens',
  },
  {
    id: '502',
    label: 'HTTP 502',
    providers: ALL,
    faults: { errorRate: { 502: 1 } },
    served: ['error502'],
    breaker: 'opens',
  },
  {
    id: '503',
    label: 'HTTP 503',
    providers: ALL,
    faults: { errorRate: { 503: 1 } },
    served: ['error503'],
    breaker: 'opens',
  },
  { id: '401', label: '401 bad key', providers: KEYED, faults: { badKey: true }, served: ['badKey'], breaker: 'opens' },
  {
    id: 'crumb',
    label: 'expired Yahoo crumb',
    providers: ['yahoo'],
    faults: { expiredCrumb: true },
    served: ['expiredCrumb'],
    breaker: 'stays-closed',
  },
  {
    id: 'quote-off',
    label: 'Yahoo quote endpoint 401',
    providers: ['yahoo'],
    faults: { quoteEndpointDisabled: true },
    served: ['quoteEndpointDisabled'],
    breaker: 'any',
  },
  {
    id: '403',
    label: '403 not entitled',
    providers: ['polygon', 'massive'],
    faults: { notEntitled: ['snapshot', 'snapshot_ticker', 'last_trade', 'prev'] },
    served: ['notEntitled'],
    breaker: 'stays-closed',
  },
  {
    id: '429',
    label: '429 + Retry-After',
    providers: ALL,
    faults: { rateLimit: { probability: 1, retryAfterSec: 1 } },
    served: ['rateLimit'],
    breaker: 'stays-closed',
  },
  {
    id: 'quota',
    label: 'quota (limit unknown)',
    providers: ALL,
    faults: {},
    served: ['quotaMinute'],
    breaker: 'stays-closed',
    quota: { perMinute: 5, known: false },
  },
  {
    id: 'quota-known',
    label: 'quota (limit configured)',
    providers: ALL,
    faults: {},
    served: [],
    breaker: 'stays-closed',
    quota: { perMinute: 5, known: true },
  },
  { id: 'reset', label: 'connection reset', providers: ALL, faults: { reset: 1 }, served: ['reset'], breaker: 'opens' },
  { id: 'hang', label: 'hang', providers: ALL, faults: { hang: 1 }, served: ['hang'], breaker: 'opens' },
  {
    id: 'latency',
    label: 'latency spikes',
    providers: ALL,
    faults: { latency: { p50Ms: 20, p99Ms: 400 } },
    served: ['latency'],
    breaker: 'any',
  },
  {
    id: 'malformed',
    label: 'malformed JSON',
    providers: ALL,
    faults: { malformed: 1 },
    served: ['malformed'],
    breaker: 'opens',
  },
  {
    id: 'drift',
    label: 'schema drift',
    providers: ALL,
    faults: { schemaDrift: true },
    served: ['schemaDrift'],
    breaker: 'opens',
  },
  {
    id: 'slow-body',
    label: 'slow body',
    providers: ALL,
    faults: { slowBodyMs: 1_500 },
    served: ['slowBody'],
    breaker: 'opens',
  },
  {
    id: 'oversized',
    label: 'oversized body',
    providers: ALL,
    faults: { oversizedBodyBytes: 9 * 1024 * 1024 },
    served: ['oversizedBody'],
    breaker: 'opens',
  },
  {
    id: 'wrong-price',
    label: 'wrong price',
    providers: ALL,
    faults: { wrongPrice: MATRIX_SYMBOLS.map((symbol) => ({ symbol, factor: WRONG_FACTOR })) },
    served: ['wrongPrice'],
    breaker: 'stays-closed',
    consensus: true,
  },
];

/** A fault by id. */
export function faultById(id: string): FaultSpec {
  const f = FAULTS.find((x) => x.id === id);
  if (f === undefined) throw new ValidationError(`No fault ${id} in the matrix catalog`);
  return f;
}
