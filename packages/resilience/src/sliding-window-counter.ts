import type { Gate } from './wait-queue.js';

/**
 * A quota counted the way providers count theirs: at most `capacity` grants in any window of
 * `windowMs`. Each grant is stamped; a token comes back exactly `windowMs` after it was spent.
 * A refilling bucket of the same capacity and rate can grant up to twice its capacity inside one
 * sliding window (a full burst, then the refill), which a provider counting the last 60 s
 * answers with a 429; this cannot. The stamps live in a ring of `capacity` slots: no allocation
 * per grant.
 *
 * @internal The arithmetic behind `tokenBucket({ window: 'sliding' })`.
 */
export class SlidingWindowCounter implements Gate {
  private readonly stamps: Float64Array;
  private head = 0;
  private size = 0;
  private pausedUntil = 0;

  constructor(
    readonly capacity: number,
    private readonly windowMs: number,
  ) {
    this.stamps = new Float64Array(Math.max(1, Math.ceil(capacity)));
  }

  /** Drops stamps older than the window and returns the tokens available now. */
  refill(now: number): number {
    const stamps = this.stamps;
    while (this.size > 0 && (stamps[this.head] as number) + this.windowMs <= now) {
      this.head = (this.head + 1) % stamps.length;
      this.size--;
    }
    return this.capacity - this.size;
  }

  waitMs(cost: number, now: number): number {
    const available = this.refill(now);
    let wait = 0;
    if (available < cost) {
      // The (cost - available)-th oldest stamp must leave the window first.
      const index = (this.head + Math.ceil(cost - available) - 1) % this.stamps.length;
      wait = (this.stamps[index] as number) + this.windowMs - now;
    }
    return Math.max(wait, this.pausedUntil - now, 0);
  }

  take(cost: number, now: number): void {
    this.refill(now);
    const stamps = this.stamps;
    for (let i = 0; i < cost && this.size < stamps.length; i++) {
      stamps[(this.head + this.size) % stamps.length] = now;
      this.size++;
    }
  }

  /** The hot path: expire, check and take in one pass. */
  tryTake(cost: number, now: number): boolean {
    if (now < this.pausedUntil) return false;
    if (this.refill(now) < cost) return false;
    this.take(cost, now);
    return true;
  }

  pause(until: number, now: number): void {
    if (until > this.pausedUntil && until > now) this.pausedUntil = until;
  }

  /** Adopts a provider's own count of calls left: spends phantom grants now down to `remaining`. */
  clamp(remaining: number, now: number): void {
    const excess = this.refill(now) - Math.max(0, remaining);
    if (excess > 0) this.take(Math.ceil(excess), now);
  }
}
