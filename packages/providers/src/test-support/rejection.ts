import { isProviderError, type ProviderError } from '@stockade/core';

/** Awaits a promise that must reject with a `ProviderError`, and returns that error. */
export async function providerRejection(p: Promise<unknown>): Promise<ProviderError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isProviderError(err)) throw new Error(`expected a ProviderError, got ${String(err)}`);
  return err;
}

/** Polls `check` every 10 ms, up to 3 s, for state that settles asynchronously (pool counters). */
export async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 300 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
}
