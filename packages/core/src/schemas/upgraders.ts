import { z } from 'zod';
import { ValidationError } from '../errors/errors.js';
import { EVENT_SCHEMA_VERSION, SdkEvent } from './events.js';
import { SIGNAL_SCHEMA_VERSION, Signal } from './signal.js';

/** Turns a record of version `from` into version `from + 1`. */
export type Upgrader = (record: Record<string, unknown>) => Record<string, unknown>;

const upgraders = new Map<string, Upgrader>();

/**
 * Registers how to turn a stored record (an SDK event of `recordType`, or `signal`) of version
 * `fromVersion` into `fromVersion + 1`. Each release that changes a record's shape registers one,
 * so records stored by any earlier release still parse.
 */
export function registerUpgrader(recordType: string, fromVersion: number, upgrade: Upgrader): void {
  upgraders.set(`${recordType}@${fromVersion}`, upgrade);
}

const Envelope = z.object({ schemaVersion: z.number().int().nonnegative() }).passthrough();

function upgrade(recordType: string, raw: unknown, current: number): unknown {
  const env = Envelope.safeParse(raw);
  if (!env.success) {
    throw new ValidationError(`A stored ${recordType} record needs a non-negative integer schemaVersion`, [
      { path: 'schemaVersion', message: 'expected a positive integer' },
    ]);
  }
  let record: Record<string, unknown> = env.data;
  let version = env.data.schemaVersion;
  if (version > current) {
    throw new ValidationError(
      `The ${recordType} record has schemaVersion ${version}, newer than this release understands (${current}); upgrade @stockade/core`,
      [{ path: 'schemaVersion', message: `at most ${current}` }],
    );
  }
  while (version < current) {
    const step = upgraders.get(`${recordType}@${version}`);
    if (step === undefined) {
      throw new ValidationError(`No upgrader from ${recordType} schemaVersion ${version} to ${version + 1}`, [
        { path: 'schemaVersion', message: `no upgrader registered for version ${version}` },
      ]);
    }
    record = { ...step(record), schemaVersion: version + 1 };
    version += 1;
  }
  return record;
}

/** Converts a zod error into a {@link ValidationError} whose message names every offending field. */
export function toValidationError(what: string, error: z.ZodError): ValidationError {
  const issues = error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
  const detail = issues.map((i) => `${i.path || '(value)'}: ${i.message}`).join('; ');
  return new ValidationError(`Invalid ${what}: ${detail}`, issues);
}

/**
 * Parses a stored or received SDK event of any earlier version into the current shape.
 * @throws {ValidationError} naming every invalid field.
 */
export function parseEvent(raw: unknown): SdkEvent {
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  if (typeof type !== 'string') {
    throw new ValidationError('An SDK event needs a string "type"', [{ path: 'type', message: 'expected a string' }]);
  }
  const parsed = SdkEvent.safeParse(upgrade(type, raw, EVENT_SCHEMA_VERSION));
  if (!parsed.success) throw toValidationError(`${type} event`, parsed.error);
  return parsed.data;
}

/**
 * Parses a stored signal of any earlier version into the current shape.
 * @throws {ValidationError} naming every invalid field.
 */
export function parseSignal(raw: unknown): Signal {
  const parsed = Signal.safeParse(upgrade('signal', raw, SIGNAL_SCHEMA_VERSION));
  if (!parsed.success) throw toValidationError('signal', parsed.error);
  return parsed.data;
}

/**
 * Validates any value against a schema, throwing a {@link ValidationError} that names each field.
 * @example
 * const quote = validate(Quote, body, 'quote');
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw toValidationError(what, parsed.error);
  return parsed.data;
}
