import { setTimeout as sleep } from 'node:timers/promises';
import type { Quote } from '@stockade/core';
import type { QuoteResult } from '@stockade/market-data';
import { CYCLE_SIM_MS, DEMO_SYMBOLS, type DemoOptions } from './demo-options.js';
import type { AlertLine, DemoFrame, EventLine } from './demo-state.js';
import type { DemoWorld } from './demo-world.js';
import { applyFaultStep, faultTimeline } from './fault-timeline.js';
import { type RunRecord, summaryLines } from './run-summary.js';
import { type SignalsPanel, startSignalsPanel } from './signals-panel.js';
import { startStreamPanel } from './stream-panel.js';
import { renderLine, renderScreen } from './terminal-view.js';

/** Where the demo writes. */
export interface DemoOutput {
  /** Writes text as is. */
  write(text: string): void;
  /** Whether to redraw a screen in place (a terminal) or print one line per cycle. */
  tty: boolean;
  /** Terminal width. */
  columns: number;
}

const CLEAR = '\x1b[2J\x1b[H';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

/**
 * Runs the demo's cycles on `world`: one `quotes()` per cycle, the fault script in simulator
 * mode, the view after each cycle, then the summary. Resolves with the summary lines once the
 * manager and simulator are closed. `signal` ends the run early (Ctrl-C): the summary still prints.
 */
export async function runDemo(
  world: DemoWorld,
  options: DemoOptions,
  out: DemoOutput,
  signal?: AbortSignal,
): Promise<string[]> {
  const { md, sim, clock } = world;
  const alerts: AlertLine[] = [];
  const events: EventLine[] = [];
  let cycle = 0;
  const say = (text: string) => {
    events.push({ cycle, text });
    if (!out.tty) out.write(`   » ${text}\n`);
  };
  md.on('alert.raised', (e) => {
    alerts.push({ at: e.at, kind: 'raised', id: e.alert.id, severity: e.alert.severity, message: e.alert.message });
    if (!out.tty) out.write(`   ! alert raised  ${e.alert.severity} ${e.alert.id}: ${e.alert.message}\n`);
  });
  md.on('alert.cleared', (e) => {
    alerts.push({ at: e.at, kind: 'cleared', id: e.alertId, message: e.message });
    if (!out.tty) out.write(`   ✓ alert cleared ${e.alertId}: ${e.message}\n`);
  });
  md.on('breaker.state', (e) => say(`breaker ${e.provider}: ${e.from} → ${e.to}`));

  if (out.tty) out.write(`${HIDE_CURSOR}${CLEAR}warming up the signal engine…\n`);
  else {
    out.write(`Stockade demo (${options.mode}: ${options.modeReason}), ${DEMO_SYMBOLS.join(' ')}\n`);
    for (const s of world.setup) out.write(`  ${s}\n`);
  }
  // Live: history from Yahoo when it is on (no per-key quota), so the free tiers' minute quotas
  // go to the quote cycle rather than to the warm-up.
  const providers = await md.providers();
  const barsFrom = options.mode === 'live' && providers.includes('yahoo') ? { barsProviders: ['yahoo'] } : {};
  const signals: SignalsPanel = await startSignalsPanel(md, DEMO_SYMBOLS, {
    clock,
    ...barsFrom,
    ...(signal === undefined ? {} : { signal }),
  }).catch((err: unknown) => ({ available: false as const, reason: String(err) }));
  if (!out.tty) {
    out.write(
      signals.available
        ? `  signals: ${signals.agents.join(', ')} on ${signals.interval} bars, fed by the quote cycle\n`
        : `  signals panel left out: ${signals.reason}\n`,
    );
  }
  // Streamed prices arrive beside the quote cycle, over the providers' WebSockets.
  const stream = startStreamPanel(md, DEMO_SYMBOLS);
  if (!out.tty) out.write(`  stream: trades and quotes of ${stream.symbols.join(' ')} through md.stream()\n`);
  // The warm-up's bar requests are not part of the quote cycles being measured.
  sim?.stats.reset();
  clock.setSpeed(options.speed);

  const steps = sim === undefined ? [] : faultTimeline(options.cycles);
  let phase = sim === undefined ? 'live: no faults are injected' : 'calm';
  const cycleRealMs = CYCLE_SIM_MS / options.speed;
  const record: Pick<RunRecord, 'cycles' | 'cycleMs' | 'answers'> = {
    cycles: 0,
    cycleMs: [],
    answers: { total: 0, ok: 0, stale: 0, fetched: 0 },
  };
  const lastReceived = new Map<string, number>();
  const startedReal = performance.now();
  let nextAt = startedReal;
  const startedSim = clock.now();
  let health = await md.health({ level: 1 });
  const attemptsBefore = Object.values(health.providers).reduce((n, h) => n + h.requests, 0);

  for (cycle = 1; cycle <= options.cycles && !signal?.aborted; cycle++) {
    for (const step of steps.filter((s) => s.cycle === cycle)) {
      if (sim !== undefined) applyFaultStep(sim, step);
      phase = step.label;
      say(`fault script: ${step.label}`);
    }
    const t0 = performance.now();
    let quotes: QuoteResult[];
    try {
      quotes = await md.quotes(DEMO_SYMBOLS, { signal: AbortSignal.timeout(10_000) });
    } catch (err) {
      say(`quotes() failed: ${(err as Error).message}`);
      quotes = [];
    }
    const cycleMs = performance.now() - t0;
    record.cycleMs.push(cycleMs);
    record.cycles = cycle;
    const fetched = new Set<string>();
    const served: Quote[] = [];
    for (const r of quotes) {
      record.answers.total++;
      if (!r.ok) continue;
      record.answers.ok++;
      if (r.quote.stale) record.answers.stale++;
      if (lastReceived.get(r.symbol) !== r.quote.receivedAt) {
        fetched.add(r.symbol);
        record.answers.fetched++;
        lastReceived.set(r.symbol, r.quote.receivedAt);
      }
      served.push(r.quote);
    }
    if (signals.available) signals.feed(served);
    health = await md.health({ level: 1 });
    const frame: DemoFrame = {
      mode: options.mode,
      setup: world.setup,
      cycle,
      cycles: options.cycles,
      now: clock.now(),
      phase,
      quotes,
      fetched,
      cycleMs,
      health,
      alerts,
      events,
      signals,
      stream,
    };
    out.write(out.tty ? `${CLEAR}${renderScreen(frame, out.columns)}\n` : `${renderLine(frame)}\n`);
    // A cycle that overran its slot pushes the rest back instead of starting a burst to catch up.
    nextAt = Math.max(nextAt + cycleRealMs, performance.now());
    const wait = nextAt - performance.now();
    if (wait > 0 && cycle < options.cycles) await sleep(wait, undefined, signal ? { signal } : {}).catch(() => {});
  }

  const realMs = performance.now() - startedReal;
  const simulatedMs = clock.now() - startedSim;
  health = await md.health({ level: 1 });
  const upstream = sim?.stats.snapshot();
  const lines = summaryLines({
    ...record,
    mode: options.mode,
    realMs,
    simulatedMs,
    attemptsBefore,
    health,
    metrics: md.metrics,
    signals: signals.available ? signals.emitted().length : null,
    streamed: { counts: stream.counts(), symbols: stream.symbols.length },
    ...(upstream === undefined ? {} : { upstream }),
    alerts,
  });
  if (signals.available) signals.close();
  await stream.close();
  if (out.tty) out.write(SHOW_CURSOR);
  out.write(`\n${lines.join('\n')}\n`);
  await world.close();
  return lines;
}
