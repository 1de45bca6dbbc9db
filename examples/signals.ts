// Live consensus signals: a SignalEngine with three built-in agents and one of our own, attached to a
// MarketDataManager that reads the bundled simulator. Runs for a few seconds, then closes everything.
//   node --import tsx examples/signals.ts                  # human-readable lines
//   node --import tsx examples/signals.ts --json           # one Signal (core's schema) per line
//   node --import tsx examples/signals.ts --duration 20    # seconds of simulated trading to watch
import { parseArgs } from 'node:util';
import type { Signal } from '@stockade/core';
import { createMarketDataManager } from '@stockade/market-data';
import { type Agent, agents, SignalEngine } from '@stockade/signals';
import { simulatedClock, startSimulator } from '@stockade/simulator';

const { values } = parseArgs({
  options: { json: { type: 'boolean', default: false }, duration: { type: 'string', default: '8' } },
});
const durationMs = Number(values.duration) * 1_000;
if (!(durationMs > 0 && durationMs <= 600_000)) {
  console.error(`--duration must be seconds between 0 and 600, got ${JSON.stringify(values.duration)}`);
  process.exit(2);
}

/**
 * A rule of our own, written against the same `Agent` interface as the built-ins: three closes in
 * a row in one direction is a move worth following. Confidence grows with the streak; the stop sits
 * at the far end of the streak's range.
 */
function streakAgent(length = 3): Agent {
  let streak = 0; // > 0: higher closes in a row, < 0: lower closes in a row
  let previousClose = Number.NaN;
  const lows: number[] = [];
  const highs: number[] = [];
  let close = Number.NaN;
  return {
    name: 'streak',
    family: 'price-action',
    warmup: length + 1,
    onBar(bar) {
      const direction = Math.sign(bar.c - previousClose); // NaN on the first bar: no streak yet
      streak = direction > 0 ? Math.max(streak, 0) + 1 : direction < 0 ? Math.min(streak, 0) - 1 : 0;
      previousClose = close = bar.c;
      lows.push(bar.l);
      highs.push(bar.h);
      if (lows.length > length) {
        lows.shift();
        highs.shift();
      }
    },
    evaluate() {
      const run = Math.abs(streak);
      if (run < length) {
        return {
          action: 'HOLD',
          confidence: 0,
          reasoning: { summary: `${run} close(s) in a row, fewer than ${length}`, factors: [] },
          riskMetrics: {},
        };
      }
      const action = streak > 0 ? 'BUY' : 'SELL';
      const stopLoss = action === 'BUY' ? Math.min(...lows) : Math.max(...highs);
      return {
        action,
        confidence: Math.min(0.9, 0.5 + 0.1 * (run - length)),
        reasoning: {
          summary: `${run} ${action === 'BUY' ? 'higher' : 'lower'} closes in a row`,
          factors: [{ name: 'streak', value: streak, threshold: length }],
        },
        riskMetrics: { stopLoss, stopDistancePct: Math.abs(close - stopLoss) / close },
      };
    },
  };
}

// The simulated market runs 60× real time from a pinned regular session (Tuesday 2026-03-10,
// 10:45 New York), so one-minute bars close every second whenever this runs. The manager shares
// that clock, so its timeouts (counted on it) are scaled to stay seconds of real time.
const SPEED = 60;
const clock = simulatedClock({ start: Date.parse('2026-03-10T14:45:00Z'), speed: SPEED });
const sim = await startSimulator({ port: 0, seed: 7, clock });
const timeoutMs = 3_000 * SPEED;
const paidPlan = [{ name: 'minute', limit: 1_000, perMs: 60_000 }];
const md = createMarketDataManager({
  clock,
  simulatorUrls: sim.urls(),
  config: {
    mode: 'simulator',
    logging: { level: 'error' },
    resilience: { attemptTimeoutMs: timeoutMs, deadlineMs: 2 * timeoutMs },
    // Free-tier quotas (5 calls a minute) would run out every real second at 60×: a paid plan's.
    providers: {
      yahoo: { timeoutMs, quotas: paidPlan },
      alphavantage: { timeoutMs, quotas: paidPlan },
      polygon: { timeoutMs, quotas: paidPlan },
      massive: { timeoutMs, quotas: paidPlan },
    },
  },
});

const symbols = ['AAPL', 'MSFT', 'NVDA', 'BTC-USD'];
const engine = new SignalEngine({
  agents: [() => agents.rsi({ period: 7 }), agents.macdCross, agents.bollingerReversion, () => streakAgent()],
  consensus: { threshold: 0.3, minParticipation: 0.2 },
  emitHold: true, // print every consensus the engine reaches, HOLD included, not only trades
  clock,
}).watch(symbols);

engine.onSignal((s: Signal) => {
  if (values.json) return console.log(JSON.stringify(s));
  const time = new Date(s.at).toISOString().slice(11, 19);
  console.log(
    `${time} ${s.symbol.padEnd(8)} ${s.action.padEnd(4)} ${s.confidence.toFixed(2)} @ ${s.price.toFixed(2)}  ${s.reasoning.summary}`,
  );
});

try {
  console.error(`agents: ${engine.agentNames().join(', ')}; watching ${symbols.join(', ')}`);
  // Warm-up reads one-minute history through the manager; then quotes are polled every 250 ms
  // (15 simulated seconds) and aggregated into bars.
  const attachment = await engine.attach(md, { symbols, interval: '1m', intervalMs: 250 });
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  attachment.close();
} finally {
  engine.close();
  await md.close();
  await sim.stop(); // the process now exits on its own
}
