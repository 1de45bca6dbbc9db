import { StockadeError } from '../errors/index.js';
import { redact, redactDeep } from '../keys/redact.js';

/**
 * An Error as a plain, secret-free object: a Stockade error's `toJSON()` (already redacted), or
 * `type`, `message`, `code`, `stack` and `cause` of any other error, each redacted.
 */
export function serializeError(err: Error): Record<string, unknown> {
  return redactDeep(errorFields(err, new WeakSet()));
}

function errorFields(err: Error, seen: WeakSet<object>): Record<string, unknown> {
  seen.add(err);
  const out: Record<string, unknown> =
    err instanceof StockadeError
      ? { type: err.name, ...err.toJSON() }
      : { type: err.name, message: redact(err.message) };
  const code = (err as { code?: unknown }).code;
  if (typeof code === 'string' && out.code === undefined) out.code = code;
  if (typeof err.stack === 'string') out.stack = redact(err.stack);
  if (!(err instanceof StockadeError) && err.cause !== undefined) out.cause = convert(err.cause, seen);
  return out;
}

function convert(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[Circular]';
  if (value instanceof Error) return errorFields(value, seen);
  seen.add(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (Array.isArray(value)) return value.map((v) => convert(v, seen) ?? null);
  if (value instanceof Map) return convert(Object.fromEntries(value), seen);
  if (value instanceof Set) return convert([...value], seen);
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return convert((value as { toJSON(): unknown }).toJSON(), seen);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const converted = convert(v, seen);
    if (converted !== undefined) out[k] = converted;
  }
  return out;
}

/**
 * Turns anything into a JSON-safe, secret-free value for a log line: Errors serialized, every
 * string passed through `redactDeep` (registered keys, key-shaped query parameters, bearer
 * tokens and secret-named fields removed), bigints as strings, cycles cut, functions dropped.
 */
export function toLogValue(value: unknown): unknown {
  return redactDeep(convert(value, new WeakSet()));
}
