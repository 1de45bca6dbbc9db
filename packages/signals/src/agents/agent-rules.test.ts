import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  batchAtr,
  batchBollinger,
  batchMacd,
  batchMomentum,
  batchRoc,
  batchRsi,
  batchSma,
} from '../indicators/talib-batch.test-support.js';
import type { Agent, AgentBar } from './agent.js';
import { atrBreakout } from './atr-breakout-agent.js';
import { bollingerReversion } from './bollinger-agents.js';
import { donchianBreakout } from './donchian-breakout-agent.js';
import { smaCross } from './ma-cross-agent.js';
import { macdCross } from './macd-cross-agent.js';
import { momentum } from './momentum-agent.js';
import { rsi } from './rsi-agent.js';

const s = JSON.parse(
  readFileSync(new URL('../../../../../shared/eval/prices/input_spy_daily_300.json', import.meta.url), 'utf8'),
) as { open: number[]; high: number[]; low: number[]; close: number[]; volume: number[] };
const close = s.close;
const bars: AgentBar[] = close.map((c, i) => ({
  t: i,
  o: s.open[i] as number,
  h: s.high[i] as number,
  l: s.low[i] as number,
  c,
  v: s.volume[i] as number,
}));
const at = (xs: readonly number[], i: number) => xs[i] as number;

/** The agent's action at every bar. */
function actions(agent: Agent): string[] {
  return bars.map((bar) => {
    agent.onBar(bar);
    return agent.evaluate().action;
  });
}

/** The action the rule gives at every bar, from batch indicator values (NaN comparisons are false). */
function expected(rule: (i: number) => 'BUY' | 'SELL' | 'HOLD'): string[] {
  return bars.map((_, i) => rule(i));
}

describe('built-in agents follow their documented rule on SPY 2019–2020', () => {
  it('rsi: BUY below 30, SELL above 70, on RSI(14)', () => {
    const r = batchRsi(close, 14);
    const want = expected((i) => (at(r, i) < 30 ? 'BUY' : at(r, i) > 70 ? 'SELL' : 'HOLD'));
    expect(actions(rsi())).toEqual(want);
    expect(want.filter((a) => a !== 'HOLD').length).toBeGreaterThan(10);
  });

  it('macdCross: acts on the bar where the histogram changes sign', () => {
    const h = batchMacd(close, 12, 26, 9).histogram;
    const want = expected((i) =>
      at(h, i - 1) <= 0 && at(h, i) > 0 ? 'BUY' : at(h, i - 1) >= 0 && at(h, i) < 0 ? 'SELL' : 'HOLD',
    );
    expect(actions(macdCross())).toEqual(want);
  });

  it('smaCross: acts on the bar where SMA(20) crosses SMA(50)', () => {
    const fast = batchSma(close, 20);
    const slow = batchSma(close, 50);
    const gap = (i: number) => at(fast, i) - at(slow, i);
    const want = expected((i) =>
      gap(i - 1) <= 0 && gap(i) > 0 ? 'BUY' : gap(i - 1) >= 0 && gap(i) < 0 ? 'SELL' : 'HOLD',
    );
    expect(actions(smaCross())).toEqual(want);
    expect(want.filter((a) => a !== 'HOLD').length).toBeGreaterThanOrEqual(2);
  });

  it('bollingerReversion: BUY below the lower band, SELL above the upper band', () => {
    const b = batchBollinger(close, 20, 2);
    const want = expected((i) =>
      at(close, i) < at(b.lower, i) ? 'BUY' : at(close, i) > at(b.upper, i) ? 'SELL' : 'HOLD',
    );
    expect(actions(bollingerReversion())).toEqual(want);
  });

  it('donchianBreakout: a close beyond the previous 20 bars’ extreme', () => {
    const want = expected((i) => {
      if (i < 20) return 'HOLD';
      const hi = Math.max(...s.high.slice(i - 20, i));
      const lo = Math.min(...s.low.slice(i - 20, i));
      return at(close, i) > hi ? 'BUY' : at(close, i) < lo ? 'SELL' : 'HOLD';
    });
    expect(actions(donchianBreakout())).toEqual(want);
  });

  it('atrBreakout: a close-to-close move beyond 1.5 × the ATR(14) of the bar before', () => {
    const a = batchAtr(s.high, s.low, close, 14);
    const want = expected((i) => {
      const move = (at(close, i) - at(close, i - 1)) / at(a, i - 1);
      return move > 1.5 ? 'BUY' : move < -1.5 ? 'SELL' : 'HOLD';
    });
    expect(actions(atrBreakout())).toEqual(want);
  });

  it('momentum: ROC(10) beyond ±2 % with momentum still moving that way', () => {
    const roc = batchRoc(close, 10);
    const mom = batchMomentum(close, 10);
    const want = expected((i) =>
      at(roc, i) > 2 && at(mom, i) > at(mom, i - 1)
        ? 'BUY'
        : at(roc, i) < -2 && at(mom, i) < at(mom, i - 1)
          ? 'SELL'
          : 'HOLD',
    );
    expect(actions(momentum())).toEqual(want);
  });

  it('a quote between bars moves the price a level-based agent compares with', () => {
    const agent = bollingerReversion();
    for (const bar of bars.slice(0, 40)) agent.onBar(bar);
    expect(agent.evaluate().action).toBe('HOLD');
    const b = batchBollinger(close.slice(0, 40), 20, 2);
    agent.onQuote?.(at(b.lower, 39) * 0.99, 0);
    const signal = agent.evaluate();
    expect(signal.action).toBe('BUY');
    expect(signal.reasoning.summary).toMatch(/below the lower band/);
  });
});
