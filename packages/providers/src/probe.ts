import { ProviderError } from '@stockade/core';
import type { ProbeResult } from './provider.js';

/**
 * Runs a probe request and reports whether it answered, with its latency. A failure is a result,
 * not a rejection; only the caller's own abort rejects.
 */
export async function runProbe(
  provider: string,
  signal: AbortSignal | undefined,
  attempt: () => Promise<unknown>,
): Promise<ProbeResult> {
  const started = performance.now();
  const latency = () => Math.max(0, Math.round(performance.now() - started));
  try {
    await attempt();
    return { ok: true, latencyMs: latency() };
  } catch (err) {
    if (signal?.aborted) throw signal.reason;
    const error =
      err instanceof ProviderError
        ? err
        : new ProviderError('probe failed', { provider, kind: 'transient', operation: 'probe', cause: err });
    return { ok: false, latencyMs: latency(), error };
  }
}
