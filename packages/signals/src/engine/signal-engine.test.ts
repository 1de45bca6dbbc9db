import { ConfigError, Signal, ValidationError } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import type { Agent, AgentBar, AgentSignal } from '../agents/agent.js';
import { SignalEngine } from './signal-engine.js';

const DAY = 86_400_000;
const T0 = Date.parse('2024-03-04T14:30:00Z');
const bar = (i: number, c: number): AgentBar => ({ t: T0 + i * DAY, o: c, h: c * 1.01, l: c * 0.99, c, v: 1000 });

/** An agent that counts what it is fed and answers whatever `answer` says. */
function scripted(name: string, answer: () => Partial<AgentSignal> & { action: AgentSignal['action'] }, family = name) {
  const seen = { bars: [] as AgentBar[], quotes: [] as number[], evaluations: 0 };
  const agent: Agent = {
    name,
    family,
    warmup: 1,
    onBar: (b) => {
      seen.bars.push(b);
    },
    onQuote: (p) => {
      seen.quotes.push(p);
    },
    evaluate: () => {
      seen.evaluations++;
      const a = answer();
      return {
        confidence: a.action === 'HOLD' ? 0 : 0.9,
        reasoning: { summary: `${name} says ${a.action}`, factors: [] },
        riskMetrics: a.action === 'HOLD' ? {} : { stopLoss: 95, stopDistancePct: 0.05, atr: 2.5 },
        ...a,
      };
    },
  };
  return { agent, seen, factory: () => agent };
}

describe('SignalEngine', () => {
  it('sends a bar only to the agents watching its symbol (reverse index)', () => {
    const a = scripted('a', () => ({ action: 'HOLD' }));
    const b = scripted('b', () => ({ action: 'HOLD' }));
    const engine = new SignalEngine().watch(['AAPL'], [a.factory]).watch(['msft'], [b.factory]);
    expect(engine.symbols).toEqual(['AAPL', 'MSFT']);
    engine.onBar('AAPL', bar(0, 100));
    engine.onBar('TSLA', bar(0, 200)); // not watched: ignored
    expect(a.seen.bars).toHaveLength(1);
    expect(b.seen.bars).toHaveLength(0);
    engine.onBar('MSFT', bar(0, 300));
    expect(b.seen.bars.map((x) => x.c)).toEqual([300]);
  });

  it('emits a schema-valid consensus signal on a closed bar when agents agree', () => {
    const engine = new SignalEngine({ source: 'test' }).watch(
      ['AAPL'],
      [scripted('x', () => ({ action: 'BUY' })).factory, scripted('y', () => ({ action: 'BUY' })).factory],
    );
    const seen: Signal[] = [];
    engine.onSignal((s) => seen.push(s));
    const s = engine.onBar('AAPL', bar(0, 100));
    expect(s).not.toBeNull();
    expect(Signal.parse(s)).toEqual(s);
    expect(s).toMatchObject({ symbol: 'AAPL', action: 'BUY', agent: 'consensus', price: 100, at: T0, source: 'test' });
    expect(s?.confidence).toBe(1); // |score| 1 × participation 1
    expect(s?.riskMetrics).toEqual({ stopLoss: 95, stopDistancePct: 0.05, atr: 2.5 });
    expect(seen).toEqual([s]);
  });

  it('re-evaluates on a quote only past the move threshold (default 0.5 %)', () => {
    const x = scripted('x', () => ({ action: 'HOLD' }));
    const engine = new SignalEngine().watch(['AAPL'], [x.factory]);
    engine.onBar('AAPL', bar(0, 100));
    const afterBar = x.seen.evaluations;
    engine.onQuote({ symbol: 'AAPL', price: 100.4, asOf: T0 + 1000 });
    expect(x.seen.evaluations).toBe(afterBar);
    expect(x.seen.quotes).toEqual([100.4]); // the agent still sees the price
    engine.onQuote({ symbol: 'AAPL', price: 100.6, asOf: T0 + 2000 });
    expect(x.seen.evaluations).toBe(afterBar + 1);
    // The reference is now 100.6: a move back to 100.3 is 0.3 %.
    engine.onQuote({ symbol: 'AAPL', price: 100.3, asOf: T0 + 3000 });
    expect(x.seen.evaluations).toBe(afterBar + 1);
  });

  it('evaluates a batch most volatile symbol first', () => {
    const engine = new SignalEngine({ agents: [() => scripted('x', () => ({ action: 'SELL' })).agent] });
    engine.watch(['CALM', 'WILD', 'MILD']);
    const path = { CALM: [100, 100.1, 100.2], WILD: [100, 110, 95], MILD: [100, 102, 101] };
    for (let i = 0; i < 3; i++) {
      engine.onBars(Object.entries(path).map(([symbol, closes]) => ({ symbol, bar: bar(i, closes[i] as number) })));
    }
    const heard: string[] = [];
    engine.onSignal((s) => heard.push(s.symbol));
    const out = engine.onBars(Object.keys(path).map((symbol) => ({ symbol, bar: bar(3, 100) })));
    expect(out.map((s) => s.symbol)).toEqual(['WILD', 'MILD', 'CALM']);
    // Listeners hear them in the same order, with ids numbered in that order.
    expect(heard).toEqual(['WILD', 'MILD', 'CALM']);
    expect(out.map((s) => s.id.split(':')[2])).toEqual(['a', 'b', 'c']);
  });

  it('holds back weak signals, signals past the stop-distance cap, and everything once the kill switch engages', () => {
    const risky = scripted('risky', () => ({ action: 'BUY', riskMetrics: { stopLoss: 75, stopDistancePct: 0.25 } }));
    // One BUY among four agents: |score| 1 × participation 0.25 = confidence 0.25.
    const weak = scripted('weak', () => ({ action: 'BUY' }));
    const quiet = ['q1', 'q2', 'q3'].map((n) => scripted(n, () => ({ action: 'HOLD' })).factory);
    const fine = scripted('fine', () => ({ action: 'BUY' }));
    const engine = new SignalEngine({
      validation: { minConfidence: 0.3, maxStopDistancePct: 0.1, dailyLossLimitPct: 0.03 },
    });
    engine
      .watch(['RSK'], [risky.factory])
      .watch(['WEAK'], [weak.factory, ...quiet])
      .watch(['FINE'], [fine.factory]);
    const rejected: string[] = [];
    engine.onRejected((r) => rejected.push(`${r.signal.symbol}:${r.reason}`));
    const kills: number[] = [];
    engine.onKillSwitch((k) => kills.push(k.pnl));
    expect(engine.onBar('RSK', bar(0, 100))).toBeNull();
    expect(engine.onBar('WEAK', bar(0, 100))).toBeNull();
    expect(engine.onBar('FINE', bar(0, 100))?.action).toBe('BUY');
    engine.recordPnl(-0.02, T0);
    expect(engine.killSwitch().engaged).toBe(false);
    engine.recordPnl(-0.015, T0 + 3600_000);
    expect(engine.killSwitch()).toMatchObject({ engaged: true, session: '2024-03-04' });
    expect(kills).toEqual([expect.closeTo(-0.035, 12)]);
    expect(engine.onBar('FINE', bar(0, 101))).toBeNull();
    expect(rejected).toEqual(['RSK:risk_cap', 'WEAK:min_confidence', 'FINE:kill_switch']);
    // The limit is daily: the next session trades again.
    expect(engine.onBar('FINE', bar(1, 102))?.action).toBe('BUY');
    expect(engine.killSwitch().engaged).toBe(false);
  });

  it('counts every agent evaluation and times one symbol in every timingSample', () => {
    const run = (timingSample: number) => {
      const engine = new SignalEngine({ timingSample }).watch(
        ['A', 'B'],
        [scripted('x', () => ({ action: 'HOLD' })).factory],
      );
      for (let i = 0; i < 6; i++)
        engine.onBars([
          { symbol: 'A', bar: bar(i, 10) },
          { symbol: 'B', bar: bar(i, 20) },
        ]);
      return engine.timings()[0];
    };
    const every = run(1);
    expect(every).toMatchObject({ agent: 'x', evaluations: 12, timed: 12 });
    expect(every?.totalMs).toBeGreaterThanOrEqual(0);
    expect(every?.maxMs).toBeGreaterThanOrEqual(every?.meanMs ?? 0);
    expect(run(4)).toMatchObject({ evaluations: 12, timed: 3 });
    expect(run(0)).toMatchObject({ evaluations: 12, timed: 0, meanMs: 0 });
  });

  it('streams signals to async iterators until close()', async () => {
    const engine = new SignalEngine({ agents: [scripted('x', () => ({ action: 'SELL' })).factory] }).watch(['AAPL']);
    const received: string[] = [];
    const done = (async () => {
      for await (const s of engine.signals()) received.push(`${s.action}@${s.price}`);
    })();
    engine.onBar('AAPL', bar(0, 100));
    engine.onBar('AAPL', bar(1, 99));
    await new Promise((r) => setImmediate(r));
    engine.close();
    await done;
    expect(received).toEqual(['SELL@100', 'SELL@99']);
  });

  it('rejects an aborted signals() iteration with the abort reason', async () => {
    const engine = new SignalEngine({ agents: [scripted('x', () => ({ action: 'SELL' })).factory] }).watch(['AAPL']);
    const controller = new AbortController();
    const it = engine.signals({ signal: controller.signal })[Symbol.asyncIterator]();
    const pending = it.next();
    controller.abort(new Error('stop now'));
    await expect(pending).rejects.toThrow('stop now');
  });

  it('validates its inputs with typed errors', () => {
    const x = scripted('x', () => ({ action: 'HOLD' }));
    const engine = new SignalEngine().watch(['AAPL'], [x.factory]);
    expect(() => engine.watch(['AAPL'], [x.factory])).toThrow(/already has an agent named "x"/);
    expect(() => engine.watch(['not a symbol'], [x.factory])).toThrow(ValidationError);
    expect(() => new SignalEngine().watch(['AAPL'])).toThrow(/no agents/);
    expect(() => engine.onBar('AAPL', { ...bar(0, 100), h: 90, l: 95 })).toThrow(/AAPL: bar at .* is malformed/);
    expect(() => engine.setWeights({ x: 2, rsii: 1 })).toThrow(ConfigError);
    engine.setWeights({ x: 2 });
  });
});
