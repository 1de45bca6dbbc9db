import { readFileSync } from 'node:fs';
import { Alert, manualClock } from '@stockade/core';
import { describe, expect, it } from 'vitest';
import { all } from '../agents/catalog.js';
import { SignalEngine } from '../engine/signal-engine.js';
import { type QualityAlertEvent, SignalTracker, type TrackedSignal } from './signal-tracker.js';

const DAY = 86_400_000;
const bar = (i: number, c: number) => ({ t: i * DAY, o: c, h: c, l: c, c });
const signal = (i: number, agent: string, action: 'BUY' | 'SELL', price: number, confidence = 0.6): TrackedSignal => ({
  symbol: 'XYZ',
  agent,
  action,
  confidence,
  price,
  at: i * DAY,
  source: 'sim',
});

describe('SignalTracker', () => {
  it('resolves a signal at its horizon from later bars and reports hit rate, return and base rate', () => {
    const tracker = new SignalTracker({ horizonBars: 2 });
    const closes = [100, 101, 102, 101, 103, 104, 105];
    closes.forEach((c, i) => {
      tracker.onBar('XYZ', bar(i, c));
      if (i === 2) tracker.record(signal(i, 'bull', 'BUY', c)); // resolved at bar 4: 103 vs 102
      if (i === 3) tracker.record(signal(i, 'bear', 'SELL', c)); // resolved at bar 5: 104 vs 101, a miss
    });
    const { agents, sources, pending } = tracker.report();
    expect(pending).toBe(0);
    const bull = agents.find((a) => a.name === 'bull');
    expect(bull).toMatchObject({ resolved: 1, hits: 1, hitRate: 1 });
    expect(bull?.meanReturn).toBeCloseTo(1 / 102, 12);
    // Two-bar windows up to bar 4: 102>100, 101>101? no (equal), 103>102 → 2 up of 3.
    expect(bull?.baseRate).toBeCloseTo(2 / 3, 12);
    const bear = agents.find((a) => a.name === 'bear');
    expect(bear).toMatchObject({ resolved: 1, hits: 0, hitRate: 0 });
    expect(bear?.meanReturn).toBeCloseTo(-3 / 101, 12);
    expect(sources).toMatchObject([{ name: 'sim', resolved: 2, hits: 1 }]);
  });

  it('keeps signals pending until their horizon and ignores HOLD', () => {
    const tracker = new SignalTracker({ horizonBars: 5 });
    tracker.onBar('XYZ', bar(0, 10));
    tracker.record(signal(0, 'a', 'BUY', 10));
    tracker.record({ ...signal(0, 'a', 'BUY', 10), action: 'HOLD' });
    for (let i = 1; i < 5; i++) tracker.onBar('XYZ', bar(i, 11));
    expect(tracker.report()).toMatchObject({ agents: [], pending: 1 });
    tracker.onBar('XYZ', bar(5, 12));
    expect(tracker.report().pending).toBe(0);
  });

  it('raises a schema-valid alert when an agent’s rolling hit rate degrades, and clears it on recovery', () => {
    const clock = manualClock(Date.parse('2024-05-01T15:00:00Z'));
    const tracker = new SignalTracker({
      horizonBars: 1,
      window: 10,
      minSamples: 10,
      minHitRate: 0.45,
      maxBrier: 0.35,
      clock,
    });
    const events: QualityAlertEvent[] = [];
    tracker.onAlert((e) => events.push(e));
    let price = 100;
    let i = 0;
    const step = (action: 'BUY' | 'SELL') => {
      tracker.onBar('XYZ', bar(i, price));
      tracker.record(signal(i, 'flaky', action, price, 0.4));
      price += 1; // always up: BUY hits, SELL misses
      i++;
    };
    for (let k = 0; k < 12; k++) step('SELL');
    expect(events.map((e) => e.kind)).toEqual(['raised']);
    const raised = events[0]?.alert;
    expect(Alert.parse(raised)).toEqual(raised);
    expect(raised).toMatchObject({ type: 'signal_quality', subject: 'flaky', id: 'signal_quality:flaky' });
    expect(raised?.message).toBe(
      'flaky: signal quality degraded over its last 10 resolved signals — hit rate 0.0% below 45.0%, Brier score 0.490 above 0.35; consider lowering its weight',
    );
    for (let k = 0; k < 12; k++) step('BUY');
    expect(events.map((e) => e.kind)).toEqual(['raised', 'cleared']);
  });

  it('does not flap: a degraded agent must recover past the threshold by the hysteresis', () => {
    const tracker = new SignalTracker({
      horizonBars: 1,
      window: 10,
      minSamples: 10,
      minHitRate: 0.5,
      maxBrier: 1,
      hysteresis: 0.1,
    });
    const kinds: string[] = [];
    tracker.onAlert((e) => kinds.push(`${e.kind}`));
    let price = 100;
    let i = 0;
    // Always up: a BUY hits, a SELL misses. `hits` of every 10 signals are right.
    const round = (hits: number) => {
      for (let k = 0; k < 10; k++) {
        tracker.onBar('XYZ', bar(i, price));
        tracker.record(signal(i, 'edgy', k < hits ? 'BUY' : 'SELL', price, 0));
        price += 1;
        i++;
      }
      tracker.onBar('XYZ', bar(i, price)); // resolves the round's last signal
      price += 1;
      i++;
    };
    round(4); // 40 %: raised
    expect(kinds).toEqual(['raised']);
    round(5); // back to 50 %: not enough to clear (needs 60 %)
    expect(kinds).toEqual(['raised']);
    round(7); // 70 %: cleared
    expect(kinds).toEqual(['raised', 'cleared']);
  });

  it('exports adaptive weights from outcomes resolved by asOf only', () => {
    const tracker = new SignalTracker({ horizonBars: 1 });
    let price = 100;
    for (let i = 0; i < 30; i++) {
      tracker.onBar('XYZ', bar(i, price));
      tracker.record(signal(i, 'right', 'BUY', price));
      tracker.record(signal(i, 'wrong', 'SELL', price));
      price += 1;
    }
    const late = tracker.weights({ method: 'beta' });
    expect(late.right).toBeGreaterThan(1.5);
    expect(late.wrong).toBeLessThan(0.5);
    const early = tracker.weights({ method: 'hedge', asOf: 0 });
    expect(early).toEqual({ right: 1, wrong: 1 });
    expect(tracker.outcomes().every((o) => o.resolvedAt >= o.signalAt)).toBe(true);
  });

  it('tracks every agent and the consensus of a real engine run on SPY 2019–2020', () => {
    const spy = JSON.parse(
      readFileSync(new URL('../../../../../shared/eval/prices/input_spy_daily_300.json', import.meta.url), 'utf8'),
    ) as { date: string[]; open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] };
    const tracker = new SignalTracker({ horizonBars: 5 });
    const engine = new SignalEngine({ agents: all(), tracker, source: 'pandas-ta SPY_D.csv' }).watch(['SPY']);
    spy.date.forEach((date, i) => {
      engine.onBar('SPY', {
        t: Date.parse(`${date}T20:00:00Z`),
        sessionDate: date,
        o: spy.open[i] as number,
        h: spy.high[i] as number,
        l: spy.low[i] as number,
        c: spy.close[i] as number,
        v: spy.volume[i] as number,
      });
    });
    const { agents, sources } = tracker.report();
    expect(agents.length).toBeGreaterThanOrEqual(13);
    expect(agents.map((a) => a.name)).toContain('consensus');
    for (const a of agents) {
      expect(a.resolved).toBeGreaterThan(0);
      expect(a.hitRateInterval.low).toBeLessThanOrEqual(a.hitRate as number);
      expect(a.hitRateInterval.high).toBeGreaterThanOrEqual(a.hitRate as number);
      expect(a.reliability.reduce((s, b) => s + b.count, 0)).toBe(a.resolved);
      expect(a.brier).toBeGreaterThanOrEqual(0);
      expect(a.ece).toBeGreaterThanOrEqual(0);
      if (a.ic !== null) expect(Math.abs(a.ic)).toBeLessThanOrEqual(1);
    }
    expect(sources[0]?.name).toBe('pandas-ta SPY_D.csv');
  });
});
