import { Adjustment, Interval, ValidationError, type ValidationIssue } from '@stockade/core';
import { z } from 'zod';

// The manager's per-call options, checked at the package edge so that a wrong value is a
// ValidationError naming the option instead of a TypeError from deep inside a call.

const duration = z.number().finite().nonnegative();
const positiveDuration = z.number().finite().positive();
const providerNames = z.array(z.string().min(1)).readonly();
const signal = z.custom<AbortSignal>((v) => v instanceof AbortSignal, 'expected an AbortSignal');
const fn = z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', 'expected a function');

const QuoteOptionsShape = {
  signal: signal.optional(),
  maxStaleMs: duration.optional(),
  strategy: z.enum(['failover', 'hedged', 'consensus']).optional(),
  providers: providerNames.optional(),
};

const QuoteOptionsSchema = z.looseObject(QuoteOptionsShape);

const BarsOptionsSchema = z.looseObject({
  interval: Interval.optional(),
  from: z.union([z.string(), z.number()], 'expected a date as YYYY-MM-DD or epoch milliseconds'),
  to: z.union([z.string(), z.number()], 'expected a date as YYYY-MM-DD or epoch milliseconds').optional(),
  adjustment: Adjustment.optional(),
  acceptAdjustments: z.array(Adjustment).readonly().optional(),
  providers: providerNames.optional(),
  signal: signal.optional(),
});

const SubscribeOptionsSchema = z.looseObject({
  ...QuoteOptionsShape,
  intervalMs: positiveDuration.optional(),
  closedIntervalMs: positiveDuration.optional(),
  onError: fn.optional(),
});

const ManagerOptionsSchema = z.looseObject({
  config: z
    .custom<object>(
      (v) => typeof v === 'object' && v !== null && !Array.isArray(v),
      'expected a loaded config (loadConfig()) or an object of overrides',
    )
    .optional(),
  providers: z.array(z.custom<object>((v) => typeof v === 'object' && v !== null, 'expected a Provider')).optional(),
  providerPriority: z.record(z.string(), z.number().finite()).optional(),
  redis: z
    .custom<object>((v) => typeof v === 'object' && v !== null, 'expected an ioredis Redis or Cluster')
    .optional(),
  clock: z
    .custom<object>((v) => typeof (v as { now?: unknown } | null)?.now === 'function', 'expected a Clock with now()')
    .optional(),
  calendar: z
    .custom<object>(
      (v) => typeof (v as { session?: unknown } | null)?.session === 'function',
      'expected a MarketCalendar',
    )
    .optional(),
  logger: z
    .custom<object>(
      (v) =>
        ['debug', 'info', 'warn', 'error'].every(
          (m) => typeof (v as Record<string, unknown> | null)?.[m] === 'function',
        ),
      'expected a logger with debug(), info(), warn() and error()',
    )
    .optional(),
  keyResolver: z
    .custom<object>(
      (v) => typeof (v as { resolve?: unknown } | null)?.resolve === 'function',
      'expected a KeyResolver (createKeyResolver from @stockade/core)',
    )
    .optional(),
  simulatorUrls: z.record(z.string(), z.string()).optional(),
});

function check<T>(schema: z.ZodType, value: unknown, what: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const found = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new ValidationError(`Invalid ${what} options: expected an object, got ${found}`, [
      { path: '', message: 'expected an object' },
    ]);
  }
  const parsed = schema.safeParse(value);
  if (parsed.success) return value as T;
  const issues: ValidationIssue[] = parsed.error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.message,
  }));
  const list = issues.map((i) => (i.path === '' ? i.message : `${i.path}: ${i.message}`)).join('; ');
  throw new ValidationError(`Invalid ${what} options: ${list}`, issues);
}

/** Checks the options of `quotes()`. @throws {ValidationError} naming each bad option. */
export function checkQuoteOptions<T>(options: T): T {
  return check<T>(QuoteOptionsSchema, options, 'quotes()');
}

/** Checks the options of `bars()`. @throws {ValidationError} naming each bad option. */
export function checkBarsOptions<T>(options: T): T {
  if (options === undefined || options === null)
    throw new ValidationError('bars() needs options with at least `from`, e.g. bars("AAPL", { from: "2024-01-02" })', [
      { path: 'from', message: 'missing' },
    ]);
  return check<T>(BarsOptionsSchema, options, 'bars()');
}

/** Checks the options of `subscribe()`. @throws {ValidationError} naming each bad option. */
export function checkSubscribeOptions<T>(options: T): T {
  return check<T>(SubscribeOptionsSchema, options, 'subscribe()');
}

/** Checks the options of `createMarketDataManager()`. @throws {ValidationError} naming each bad option. */
export function checkManagerOptions<T>(options: T): T {
  return check<T>(ManagerOptionsSchema, options, 'createMarketDataManager()');
}
