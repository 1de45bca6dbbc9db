import { ConsecutiveBreaker, CountBreaker, type IBreaker, SamplingBreaker } from 'cockatiel';
import { z } from 'zod';

/** How the breaker counts failures: one of cockatiel's breakers, or your own `IBreaker`. */
export type BreakerCounting =
  | { /** Open after this many failures in a row. */ readonly consecutive: number }
  | {
      /** Open when more than `threshold` (0–1) of the calls in the last `durationMs` failed, at `minimumRps` or more. */
      readonly sampling: { readonly threshold: number; readonly durationMs: number; readonly minimumRps?: number };
    }
  | {
      /** Open when more than `threshold` (0–1) of the last `size` calls failed. */
      readonly count: { readonly threshold: number; readonly size: number; readonly minimumNumberOfCalls?: number };
    }
  | IBreaker;

const isBreaker = (b: unknown): b is IBreaker =>
  typeof (b as IBreaker).success === 'function' && typeof (b as IBreaker).failure === 'function';

/** @internal Validates {@link BreakerCounting}. */
export const BreakerCountingSchema = z.union([
  z.object({ consecutive: z.number().int().positive() }).strict(),
  z
    .object({
      sampling: z
        .object({
          threshold: z.number().gt(0).lt(1),
          durationMs: z.number().positive(),
          minimumRps: z.number().positive().optional(),
        })
        .strict(),
    })
    .strict(),
  z
    .object({
      count: z
        .object({
          threshold: z.number().gt(0).lt(1),
          size: z.number().int().positive(),
          minimumNumberOfCalls: z.number().int().positive().optional(),
        })
        .strict(),
    })
    .strict(),
  z.custom<IBreaker>(isBreaker, 'an IBreaker with success() and failure()'),
]);

/** @internal The counting breaker for a {@link BreakerCounting} (cockatiel's consecutive breaker of 5 by default). */
export function counterOf(c: z.output<typeof BreakerCountingSchema> | undefined): IBreaker {
  if (c === undefined) return new ConsecutiveBreaker(5);
  if (isBreaker(c)) return c;
  if ('consecutive' in c) return new ConsecutiveBreaker(c.consecutive);
  if ('sampling' in c) {
    const { threshold, durationMs, minimumRps } = c.sampling;
    return new SamplingBreaker({ threshold, duration: durationMs, ...(minimumRps ? { minimumRps } : {}) });
  }
  return new CountBreaker(c.count);
}
