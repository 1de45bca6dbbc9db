import { ValidationError } from '@stockade/core';
import { z } from 'zod';
import { isProviderName, PROVIDER_NAMES, type ProviderName } from './provider-name.js';

const Probability = z.number().min(0).max(1);

/** Zod schema of {@link ProviderFaults}: what `faults.set`, `POST /__sim/faults` and `--faults` accept. */
export const ProviderFaultsSchema = z.strictObject({
  latency: z
    .strictObject({
      fixedMs: z.number().min(0).max(600_000).optional(),
      p50Ms: z.number().positive().max(600_000).optional(),
      p99Ms: z.number().positive().max(600_000).optional(),
    })
    .superRefine((l, ctx) => {
      const lognormal = l.p50Ms !== undefined || l.p99Ms !== undefined;
      if (lognormal && l.fixedMs !== undefined) {
        ctx.addIssue({ code: 'custom', message: 'give either fixedMs or p50Ms and p99Ms, not both' });
      } else if (lognormal && (l.p50Ms === undefined || l.p99Ms === undefined)) {
        ctx.addIssue({ code: 'custom', message: 'a lognormal latency needs both p50Ms and p99Ms' });
      } else if (l.p50Ms !== undefined && l.p99Ms !== undefined && l.p99Ms < l.p50Ms) {
        ctx.addIssue({ code: 'custom', path: ['p99Ms'], message: 'p99Ms must be at least p50Ms' });
      }
    })
    .optional(),
  errorRate: z
    .strictObject({ 500: Probability.optional(), 502: Probability.optional(), 503: Probability.optional() })
    .optional(),
  badKey: z.boolean().optional(),
  expiredCrumb: z.boolean().optional(),
  quoteEndpointDisabled: z.boolean().optional(),
  quota: z
    .strictObject({ perMinute: z.number().int().min(0).optional(), perDay: z.number().int().min(0).optional() })
    .optional(),
  rateLimit: z
    .strictObject({
      probability: Probability.optional(),
      retryAfterSec: z.number().int().min(0).max(86_400).optional(),
    })
    .optional(),
  reset: Probability.optional(),
  hang: Probability.optional(),
  malformed: Probability.optional(),
  schemaDrift: z.boolean().optional(),
  slowBodyMs: z.number().min(0).max(600_000).optional(),
  oversizedBodyBytes: z.number().int().min(1).max(1_073_741_824).optional(),
  notEntitled: z.array(z.string().min(1)).optional(),
  wrongPrice: z.array(z.strictObject({ symbol: z.string().min(1), factor: z.number().positive() })).optional(),
  delayedPlan: z.boolean().optional(),
});

/**
 * Faults one provider serves, all optional. Probabilities are per request, drawn from a generator
 * seeded by the simulator seed, so a run is repeatable request for request.
 */
export interface ProviderFaults {
  /** Delay before answering: fixed, or lognormal with the given median and 99th percentile. */
  latency?: { fixedMs?: number } | { p50Ms: number; p99Ms: number };
  /** Probability of answering 500, 502 or 503 instead. */
  errorRate?: { 500?: number; 502?: number; 503?: number };
  /** Every keyed request gets the provider's real 401 (Alpha Vantage: 200 with an `Error Message`). */
  badKey?: boolean;
  /** Yahoo: crumbs issued before this was switched on are rejected with the real 401 "Invalid Crumb". */
  expiredCrumb?: boolean;
  /** Yahoo: `/v7/finance/quote` answers 401 "User is unable to access this feature". */
  quoteEndpointDisabled?: boolean;
  /** Request quotas counted on the simulator clock, answered the provider's way. */
  quota?: { perMinute?: number; perDay?: number };
  /** 429 with a `Retry-After` header, with this probability (default 1) and delay (default 1 s). */
  rateLimit?: { probability?: number; retryAfterSec?: number };
  /** Probability of destroying the connection without an answer. */
  reset?: number;
  /** Probability of never answering (until the simulator stops). */
  hang?: number;
  /** Probability of a 200 whose JSON body is cut short. */
  malformed?: number;
  /** Renames a field the adapters rely on (Polygon `c` → `close`, Yahoo `regularMarketPrice` → `regularMarketPriceV2`, Alpha Vantage `05. price` → `05. last`). */
  schemaDrift?: boolean;
  /** Send the headers at once and trickle the body over this many ms. */
  slowBodyMs?: number;
  /** A 200 whose body is this many bytes of JSON, streamed without a `content-length` (tests body limits). */
  oversizedBodyBytes?: number;
  /** Polygon/Massive endpoint names answered 403 NOT_AUTHORIZED (`'fmv'` drops the `fmv` field instead). */
  notEntitled?: string[];
  /** This provider returns price × factor for the symbol (canonical or the provider's spelling). */
  wrongPrice?: { symbol: string; factor: number }[];
  /** Polygon/Massive: data 15 minutes late, `status: "DELAYED"`. */
  delayedPlan?: boolean;
}

/** Faults for any of the providers, as `startSimulator({ faults })` and `--faults file.json` take them. */
export type FaultPlan = Partial<Record<ProviderName, ProviderFaults>>;

/** Reads and changes the faults a running simulator serves. */
export interface FaultController {
  /** Replaces the faults of `provider`. @throws {ValidationError} for an invalid fault. */
  set(provider: ProviderName, faults: ProviderFaults): void;
  /** Merges `faults` into those of `provider` (top-level keys replace). @throws {ValidationError} */
  update(provider: ProviderName, faults: ProviderFaults): void;
  /** Clears the faults of `provider`, or of every provider. */
  clear(provider?: ProviderName): void;
  /** The faults `provider` serves now (a copy). */
  get(provider: ProviderName): ProviderFaults;
}

/** Validates faults for one provider. @throws {ValidationError} that names each bad field. */
export function parseProviderFaults(value: unknown, label: string): ProviderFaults {
  const parsed = ProviderFaultsSchema.safeParse(value);
  if (parsed.success) return parsed.data as ProviderFaults;
  const issues = parsed.error.issues.map((i) => ({
    path: [label, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new ValidationError(
    `Invalid simulator faults: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}

/** Validates a whole fault plan. @throws {ValidationError} for an unknown provider or a bad fault. */
export function parseFaultPlan(value: unknown): FaultPlan {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ValidationError(
      'Simulator faults must be an object keyed by provider, e.g. { "polygon": { "badKey": true } }',
      [{ path: 'faults', message: 'expected an object' }],
    );
  }
  const plan: FaultPlan = {};
  for (const [provider, faults] of Object.entries(value)) {
    if (!isProviderName(provider)) {
      throw new ValidationError(
        `Unknown provider ${JSON.stringify(provider)} in simulator faults; use one of ${PROVIDER_NAMES.join(', ')}`,
        [{ path: `faults.${provider}`, message: 'unknown provider' }],
      );
    }
    plan[provider] = parseProviderFaults(faults, `faults.${provider}`);
  }
  return plan;
}

/** The fault store the server reads on every request. */
export interface FaultStore extends FaultController {
  /** The live faults of `provider` (not a copy: do not change it). */
  peek(provider: ProviderName): Readonly<ProviderFaults>;
}

const NO_FAULTS: Readonly<ProviderFaults> = Object.freeze({});

/**
 * Creates the fault store. `onSwitch(provider, faults)` runs after every change with the faults
 * passed, so that event-like faults (an expired crumb) act at the moment they are switched on.
 */
export function createFaultController(
  initial: FaultPlan,
  onSwitch: (provider: ProviderName, faults: ProviderFaults) => void = () => {},
): FaultStore {
  const current = new Map<ProviderName, ProviderFaults>();
  // onSwitch sees what the caller passed, so merging an unrelated fault does not re-fire an event.
  const apply = (provider: ProviderName, faults: ProviderFaults, incoming: ProviderFaults = faults) => {
    current.set(provider, faults);
    onSwitch(provider, incoming);
  };
  for (const [provider, faults] of Object.entries(initial) as [ProviderName, ProviderFaults][]) apply(provider, faults);
  const checkProvider = (provider: unknown): ProviderName => {
    if (isProviderName(provider)) return provider;
    throw new ValidationError(`Unknown provider ${JSON.stringify(provider)}; use one of ${PROVIDER_NAMES.join(', ')}`, [
      { path: 'provider', message: 'unknown provider' },
    ]);
  };
  return {
    set(provider, faults) {
      apply(checkProvider(provider), parseProviderFaults(faults, provider));
    },
    update(provider, faults) {
      const p = checkProvider(provider);
      const incoming = parseProviderFaults(faults, provider);
      apply(p, { ...(current.get(p) ?? {}), ...incoming }, incoming);
    },
    clear(provider) {
      if (provider === undefined) current.clear();
      else current.delete(checkProvider(provider));
    },
    get: (provider) => structuredClone(current.get(checkProvider(provider)) ?? {}),
    peek: (provider) => current.get(provider) ?? NO_FAULTS,
  };
}
