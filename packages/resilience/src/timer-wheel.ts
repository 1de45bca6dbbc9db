import { type Clock, systemClock } from '@stockade/core';
import { z } from 'zod';
import { ClockSchema, parseOptions } from './options.js';

/** Options of {@link timerWheel}. */
export interface TimerWheelOptions {
  /**
   * Width of one slot, ms: deadlines fire at most this late. Smaller is more precise and wakes
   * the process more often while deadlines are pending.
   * @default 4
   */
  resolutionMs?: number;
  /**
   * Number of slots (rounded up to a power of two); a deadline further away than
   * `slots × resolutionMs` waits some extra turns.
   * @default 1024
   */
  slots?: number;
  /**
   * Whether the interval is unref'd. By default it keeps the process alive, but only while a
   * deadline is pending — that is, while someone awaits an operation — so an awaited call that
   * hangs on nothing still times out instead of the process exiting under it; an idle wheel has no
   * timer at all.
   * @default false
   */
  unref?: boolean;
  /**
   * Time source.
   * @default systemClock
   */
  clock?: Clock;
}

/** A deadline registered on a {@link TimerWheel}; cancel it when the thing it guards is done. */
export interface WheelTimer {
  /** Removes the deadline, O(1). Calling it after it fired, or twice, is harmless. */
  cancel(): void;
}

/**
 * Many deadlines on one timer. Registering and cancelling are O(1) and allocate one small entry;
 * a single interval ticks only while deadlines are registered, so a process with no pending
 * deadline has no timer at all.
 */
export interface TimerWheel {
  /** Calls `callback(arg)` at `atMs` (epoch ms, by the wheel's clock), up to one resolution late. */
  schedule<A>(atMs: number, callback: (arg: A) => void, arg: A): WheelTimer;
  /** Deadlines registered and not yet fired or cancelled. */
  readonly size: number;
  /** Fires whatever is due now; the interval calls it, tests driving a manual clock may too. */
  tick(): void;
  /** Drops every pending deadline without firing it and stops the interval. */
  close(): void;
}

const Options = z
  .object({
    resolutionMs: z.number().positive().max(1000).optional(),
    slots: z
      .number()
      .int()
      .min(8)
      .max(1 << 20)
      .optional(),
    unref: z.boolean().optional(),
    clock: ClockSchema.optional(),
  })
  .strict();

class Entry<A = unknown> implements WheelTimer {
  prev: Entry | null = null;
  next: Entry | null = null;
  constructor(
    readonly due: number,
    readonly slot: number,
    readonly callback: (arg: A) => void,
    readonly arg: A,
    public wheel: Wheel | null,
  ) {}

  cancel(): void {
    this.wheel?.unlink(this as Entry);
  }
}

/**
 * Ticks count from `base` (the clock when the wheel was made), so they stay small integers and a
 * slot is a bit mask away: no float division or modulo on the hot path.
 */
class Wheel implements TimerWheel {
  private readonly heads: Array<Entry | null> = [];
  private mask = 0;
  private readonly perMs: number;
  private readonly base: number;
  private current = 0;
  private count = 0;
  private interval: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly resolution: number,
    private readonly clock: Clock,
    private readonly unrefInterval: boolean,
  ) {
    this.perMs = 1 / resolution;
    this.base = clock.now();
  }

  init(slots: number): this {
    let n = 8;
    while (n < slots) n *= 2;
    for (let i = 0; i < n; i++) this.heads.push(null);
    this.mask = n - 1;
    return this;
  }

  get size(): number {
    return this.count;
  }

  schedule<A>(atMs: number, callback: (arg: A) => void, arg: A): WheelTimer {
    if (this.interval === undefined) {
      this.current = this.tickAt(this.clock.now());
      this.interval = setInterval(tickWheel, this.resolution, this);
      if (this.unrefInterval) this.interval.unref();
    }
    let due = Math.ceil((atMs - this.base) * this.perMs);
    if (due <= this.current) due = this.current + 1;
    const slot = this.slotOf(due);
    const entry = new Entry<A>(due, slot, callback, arg, this);
    const head = this.heads[slot] ?? null;
    entry.next = head;
    if (head !== null) head.prev = entry as Entry;
    this.heads[slot] = entry as Entry;
    this.count++;
    return entry;
  }

  unlink(entry: Entry): void {
    if (entry.prev !== null) entry.prev.next = entry.next;
    else this.heads[entry.slot] = entry.next;
    if (entry.next !== null) entry.next.prev = entry.prev;
    entry.prev = null;
    entry.next = null;
    entry.wheel = null;
    this.count--;
  }

  tick(): void {
    if (this.interval === undefined) return;
    const target = this.tickAt(this.clock.now());
    if (target > this.current) {
      const steps = Math.min(target - this.current, this.heads.length);
      const fired: Entry[] = [];
      for (let i = 1; i <= steps; i++) {
        let e = this.heads[this.slotOf(this.current + i)] ?? null;
        while (e !== null) {
          const next: Entry | null = e.next;
          if (e.due <= target) {
            this.unlink(e);
            fired.push(e);
          }
          e = next;
        }
      }
      this.current = target;
      // Earliest first, then in the order they were registered (slots keep newest first).
      fired.reverse().sort((x, y) => x.due - y.due);
      // Fire after the sweep so that callbacks scheduling new deadlines see a consistent wheel.
      for (const e of fired) {
        try {
          e.callback(e.arg);
        } catch (err) {
          process.emitWarning(`a timer-wheel callback threw: ${String(err)}`, 'StockadeTimerWarning');
        }
      }
    }
    // Stop lazily: a busy caller registers and cancels without re-arming the interval each time.
    if (this.count === 0) this.stop();
  }

  close(): void {
    for (let i = 0; i < this.heads.length; i++) {
      let e = this.heads[i] ?? null;
      while (e !== null) {
        const next: Entry | null = e.next;
        e.wheel = null;
        e.prev = null;
        e.next = null;
        e = next;
      }
      this.heads[i] = null;
    }
    this.count = 0;
    this.stop();
  }

  private tickAt(ms: number): number {
    return Math.floor((ms - this.base) * this.perMs);
  }

  private slotOf(due: number): number {
    // Bitwise while the tick fits 31 bits (~99 days at 4 ms), modulo after.
    return due < 0x7fffffff && due >= 0
      ? due & this.mask
      : ((due % this.heads.length) + this.heads.length) % this.heads.length;
  }

  private stop(): void {
    if (this.interval !== undefined) clearInterval(this.interval);
    this.interval = undefined;
  }
}

function tickWheel(wheel: Wheel): void {
  wheel.tick();
}

/**
 * Creates a {@link TimerWheel}.
 *
 * @example
 * const wheel = timerWheel({ resolutionMs: 4 });
 * const t = wheel.schedule(Date.now() + 2_000, (call) => call.abort(), call);
 * // … the call finished first:
 * t.cancel();
 */
export function timerWheel(options: TimerWheelOptions = {}): TimerWheel {
  const o = parseOptions(Options, options, 'timerWheel');
  return new Wheel(o.resolutionMs ?? 4, o.clock ?? systemClock, o.unref ?? false).init(o.slots ?? 1024);
}

const shared = new WeakMap<Clock, TimerWheel>();

/** The wheel every policy on `clock` shares by default (one per clock, created on first use). */
export function sharedTimerWheel(clock: Clock = systemClock): TimerWheel {
  let wheel = shared.get(clock);
  if (wheel === undefined) {
    wheel = timerWheel({ clock });
    shared.set(clock, wheel);
  }
  return wheel;
}
