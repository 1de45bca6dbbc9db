import { manualClock } from '@stockade/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { timerWheel } from './timer-wheel.js';

const T0 = Date.parse('2026-03-10T15:00:00Z');

describe('timerWheel', () => {
  beforeEach(() => vi.useFakeTimers({ now: T0 }));
  afterEach(() => vi.useRealTimers());

  it('fires a deadline at its time, never before, at most one resolution late', () => {
    const wheel = timerWheel({ resolutionMs: 4 });
    const fired: number[] = [];
    wheel.schedule(T0 + 10, (tag: number) => fired.push(tag), 1);
    vi.advanceTimersByTime(9);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(3);
    expect(fired).toEqual([1]);
    expect(Date.now() - (T0 + 10)).toBeLessThanOrEqual(4);
  });

  it('cancels in O(1) and keeps the others', () => {
    const wheel = timerWheel({ resolutionMs: 1 });
    const fired: string[] = [];
    const a = wheel.schedule(T0 + 5, (t: string) => fired.push(t), 'a');
    wheel.schedule(T0 + 5, (t: string) => fired.push(t), 'b');
    const c = wheel.schedule(T0 + 5, (t: string) => fired.push(t), 'c');
    a.cancel();
    c.cancel();
    c.cancel();
    expect(wheel.size).toBe(1);
    vi.advanceTimersByTime(10);
    expect(fired).toEqual(['b']);
    expect(wheel.size).toBe(0);
  });

  it('arms one interval only while deadlines are pending, and stops on the tick after the last', () => {
    const wheel = timerWheel({ resolutionMs: 5 });
    expect(vi.getTimerCount()).toBe(0);
    const handles = Array.from({ length: 100 }, (_, i) => wheel.schedule(T0 + 1_000 + i, () => {}, i));
    expect(vi.getTimerCount()).toBe(1);
    for (const h of handles) h.cancel();
    vi.advanceTimersByTime(5);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('fires deadlines further away than one turn of the wheel on the right turn', () => {
    const wheel = timerWheel({ resolutionMs: 1, slots: 8 });
    const fired: number[] = [];
    wheel.schedule(T0 + 20, () => fired.push(Date.now() - T0), 0);
    vi.advanceTimersByTime(19);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([20]);
  });

  it('catches up after the process stalled, firing everything due', () => {
    const clock = manualClock(T0);
    const wheel = timerWheel({ resolutionMs: 2, slots: 16, clock });
    const fired: number[] = [];
    for (const d of [3, 50, 400]) wheel.schedule(T0 + d, (x: number) => fired.push(x), d);
    clock.advance(100);
    wheel.tick();
    expect(fired).toEqual([3, 50]);
    clock.advance(300);
    wheel.tick();
    expect(fired).toEqual([3, 50, 400]);
  });

  it('lets a callback schedule another deadline, and survives one that throws', () => {
    const wheel = timerWheel({ resolutionMs: 1 });
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const fired: string[] = [];
    wheel.schedule(
      T0 + 1,
      () => {
        throw new Error('bad listener');
      },
      0,
    );
    wheel.schedule(
      T0 + 1,
      () => {
        fired.push('first');
        wheel.schedule(Date.now() + 2, () => fired.push('second'), 0);
      },
      0,
    );
    vi.advanceTimersByTime(5);
    expect(fired).toEqual(['first', 'second']);
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });

  it('drops everything on close', () => {
    const wheel = timerWheel();
    const fn = vi.fn();
    wheel.schedule(T0 + 10, fn, 0);
    wheel.close();
    vi.advanceTimersByTime(100);
    expect(fn).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('validates its options', () => {
    expect(() => timerWheel({ resolutionMs: 0 })).toThrow(/resolutionMs/);
  });
});
