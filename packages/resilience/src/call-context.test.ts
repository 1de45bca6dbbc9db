import { describe, expect, it } from 'vitest';
import { CallContext, executeOptions, passThroughContext } from './call-context.js';

describe('CallContext', () => {
  it('makes its signal on first read, born aborted when the abort came first', () => {
    const ctx = new CallContext(1, undefined);
    ctx.abort('deadline');
    expect(ctx.signal.aborted).toBe(true);
    expect(ctx.signal.reason).toBe('deadline');
  });

  it('hands a settled attempt its controller on only when the call removed its listeners', () => {
    const listener = () => {};
    const clean = new CallContext(1, undefined);
    const cleanSignal = clean.signal;
    cleanSignal.addEventListener('abort', listener);
    cleanSignal.removeEventListener('abort', listener);
    clean.recycle();
    const next = new CallContext(1, undefined);
    expect(next.signal).toBe(cleanSignal);

    const holding = new CallContext(1, undefined);
    const heldSignal = holding.signal;
    heldSignal.addEventListener('abort', listener);
    holding.recycle();
    expect(new CallContext(1, undefined).signal).not.toBe(heldSignal);
  });

  it('never gives a read after the attempt ended a controller someone else may get', () => {
    const ended = new CallContext(1, undefined);
    ended.recycle();
    const late = ended.signal;
    late.addEventListener('abort', () => {});
    const other = new CallContext(2, undefined);
    expect(other.signal).not.toBe(late);
  });

  it('passes an outer context straight through, lazily', () => {
    const outer = new CallContext(3, 1234);
    expect(passThroughContext(outer)).toBe(outer);
    const signal = new AbortController().signal;
    expect(passThroughContext(executeOptions(signal))).toEqual({ signal, attempt: 1, deadline: undefined });
  });
});
