import type { IDefaultPolicyContext, IFailureEvent, IPolicy, ISuccessEvent } from 'cockatiel';
import type { Policy } from './call-context.js';
import { Emitter } from './events.js';

/**
 * Types one of our policies as a cockatiel `IPolicy`, for cockatiel's `wrap()` (at run time ours
 * already accept `execute(fn, signal)`; this adds the `onSuccess` / `onFailure` events cockatiel's
 * type asks for). The other direction needs nothing: call a cockatiel policy inside ours with
 * `ours.execute(({ signal }) => theirs.execute(fn, signal))`.
 *
 * @example
 * const composed = wrap(toCockatielPolicy(retry({ maxAttempts: 3 })), cockatielBreaker);
 * await composed.execute(({ signal }) => fetchQuote({ signal }));
 */
export function toCockatielPolicy(policy: Policy): IPolicy<IDefaultPolicyContext, never> {
  const success = new Emitter<ISuccessEvent>();
  const failure = new Emitter<IFailureEvent>();
  return {
    _altReturn: undefined as never,
    onSuccess: success.on,
    onFailure: failure.on,
    execute<T>(fn: (context: IDefaultPolicyContext) => PromiseLike<T> | T, signal?: AbortSignal): Promise<T> {
      const started = performance.now();
      return policy.execute(fn, signal).then(
        (value) => {
          if (success.active) success.emit({ duration: performance.now() - started });
          return value;
        },
        (err: unknown) => {
          if (failure.active) {
            failure.emit({ duration: performance.now() - started, handled: true, reason: { error: err as Error } });
          }
          throw err;
        },
      );
    },
  };
}
