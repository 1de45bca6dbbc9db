import { type Clock, ValidationError } from '@stockade/core';
import { z } from 'zod';

/**
 * Validates a factory's options at the package edge: bad input throws a `ValidationError`
 * that names each offending field (`tokenBucket: capacity: expected a number > 0, got -1`), and
 * everything inside trusts the parsed value.
 */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, factory: string): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
  const detail = issues.map((i) => `${i.path || '(options)'}: ${i.message}`).join('; ');
  throw new ValidationError(`${factory}: invalid options — ${detail}`, issues);
}

/** Accepts any object with a `now()` method (core's `Clock`). */
export const ClockSchema = z.custom<Clock>(
  (c) => typeof c === 'object' && c !== null && typeof (c as Clock).now === 'function',
  'expected a Clock: an object with now() returning epoch ms',
);

/** Queue limits (`maxSize`, `maxWaitMs`) of a bucket, a multi-bucket, a shared bucket or a bulkhead. */
export const QueueSchema = z
  .object({
    maxSize: z.number().int().min(0).optional(),
    maxWaitMs: z.number().min(0).optional(),
  })
  .strict();
