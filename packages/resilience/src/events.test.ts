import { describe, expect, it, vi } from 'vitest';
import { Emitter, mergeEvents, neverEvent } from './events.js';

describe('Emitter', () => {
  it('delivers to subscribers until they dispose', () => {
    const e = new Emitter<number>();
    expect(e.active).toBe(false);
    const got: number[] = [];
    const sub = e.on((n) => got.push(n));
    expect(e.active).toBe(true);
    e.emit(1);
    sub.dispose();
    sub.dispose();
    e.emit(2);
    expect(got).toEqual([1]);
    expect(e.active).toBe(false);
  });

  it('keeps calling the other listeners when one throws', () => {
    const warn = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const e = new Emitter<string>();
    const got: string[] = [];
    e.on(() => {
      throw new Error('broken dashboard');
    });
    e.on((s) => got.push(s));
    e.emit('open');
    expect(got).toEqual(['open']);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/broken dashboard/);
    warn.mockRestore();
  });

  it('lets a listener unsubscribe another during an emit without skipping anyone', () => {
    const e = new Emitter<number>();
    const got: string[] = [];
    const b = { dispose: () => {} };
    e.on(() => {
      got.push('a');
      b.dispose();
    });
    Object.assign(
      b,
      e.on(() => got.push('b')),
    );
    e.emit(1);
    e.emit(2);
    expect(got).toEqual(['a', 'b', 'a']);
  });

  it('merges sources into one subscription', () => {
    const x = new Emitter<string>();
    const y = new Emitter<string>();
    const got: string[] = [];
    const sub = mergeEvents(x.on, undefined, y.on)((s) => got.push(s));
    x.emit('bucket');
    y.emit('bulkhead');
    sub.dispose();
    x.emit('late');
    expect(got).toEqual(['bucket', 'bulkhead']);
    expect(() => neverEvent(() => {}).dispose()).not.toThrow();
  });
});
