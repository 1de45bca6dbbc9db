import type { Clock, ProviderHealth } from '@stockade/core';
import type { Provider, StreamChannel } from '@stockade/providers';

/** A provider the picker may choose, with what it knows of it. */
export interface StreamCandidate {
  /** Provider name. */
  readonly name: string;
  /** The adapter. */
  readonly provider: Provider;
}

/** Options of {@link createStreamPicker}. */
export interface StreamPickerOptions {
  /** Providers by configured priority, best first. */
  candidates: readonly StreamCandidate[];
  /** Allowed providers in order of preference. @default every streaming candidate, in the given order */
  allowed?: readonly string[] | undefined;
  /** The WebSocket URL of a provider: undefined for its own endpoint, null when it does not stream here. */
  urlOf(name: string): string | null | undefined;
  /** The provider's live health (breaker and status from the monitor). */
  health(name: string): ProviderHealth;
  /** Clock for cooldowns. */
  clock: Clock;
  /** First cooldown after a failure, ms. @default 5_000 */
  retryInitialMs?: number;
  /** Longest cooldown, ms. @default 300_000 */
  retryMaxMs?: number;
}

/** Chooses the streaming provider and remembers which ones failed, with a doubling cooldown each. */
export interface StreamPicker {
  /** The best usable provider for `channels` now, or undefined. */
  pick(channels: ReadonlySet<StreamChannel>): StreamCandidate | undefined;
  /** The provider's stream failed for good (auth, max_connections…): keep off it for a cooldown that doubles. */
  failed(name: string, why: string): void;
  /** The provider's stream reached `subscribed`: its cooldown starts over. */
  succeeded(name: string): void;
  /** When the earliest cooldown ends (epoch ms), or undefined when none is running. */
  nextRetryAt(): number | undefined;
  /** Whether any provider could ever stream here (configured, allowed, with a URL). */
  anyStreamable(): boolean;
}

/** Creates a {@link StreamPicker}. */
export function createStreamPicker(o: StreamPickerOptions): StreamPicker {
  const initial = o.retryInitialMs ?? 5_000;
  const max = o.retryMaxMs ?? 300_000;
  const cooldowns = new Map<string, { until: number; delayMs: number; why: string }>();
  const order = (name: string) => (o.allowed === undefined ? 0 : o.allowed.indexOf(name));
  const streamable = o.candidates
    .filter(
      (c) =>
        typeof c.provider.stream === 'function' &&
        c.provider.capabilities.streaming !== undefined &&
        (o.allowed === undefined || o.allowed.includes(c.name)) &&
        o.urlOf(c.name) !== null,
    )
    .sort((a, b) => order(a.name) - order(b.name));

  const usable = (c: StreamCandidate, now: number) => {
    const cooldown = cooldowns.get(c.name);
    if (cooldown !== undefined && now < cooldown.until) return false;
    const h = o.health(c.name);
    return h.enabled && h.status !== 'unhealthy' && h.breaker !== 'open' && h.breaker !== 'isolated';
  };
  const covers = (c: StreamCandidate, channels: ReadonlySet<StreamChannel>) => {
    const offered = c.provider.capabilities.streaming?.channels ?? [];
    for (const ch of channels) if (!offered.includes(ch)) return false;
    return true;
  };

  return {
    pick(channels) {
      const now = o.clock.now();
      const ready = streamable.filter((c) => usable(c, now));
      // A provider that carries every wanted channel beats a better-ranked one that carries only some.
      return ready.find((c) => covers(c, channels)) ?? ready[0];
    },
    failed(name, why) {
      const previous = cooldowns.get(name);
      const delayMs = previous === undefined ? initial : Math.min(max, previous.delayMs * 2);
      cooldowns.set(name, { until: o.clock.now() + delayMs, delayMs, why });
    },
    succeeded(name) {
      cooldowns.delete(name);
    },
    nextRetryAt() {
      let at: number | undefined;
      for (const c of cooldowns.values()) at = at === undefined ? c.until : Math.min(at, c.until);
      return at;
    },
    anyStreamable: () => streamable.length > 0,
  };
}
