import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pinnedClock } from '../../../market-data/src/test-support/harness.js';
import { capture, type RunCapturedOptions, runCaptured } from '../captured-io.test-support.js';

// Simulator and command share a clock inside a regular session, so trades are priced on the live path.
const clock = pinnedClock();
let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, clock });
});
const stream = (argv: string[], options: RunCapturedOptions = {}) =>
  runCaptured(['--simulator', sim.origin, 'stream', ...argv], { clock, ...options });
afterEach(() => {
  sim.faults.clear();
  sim.streams.faults.clear();
});
afterAll(() => sim.stop());

interface Line {
  type: string;
  trade?: { symbol: string; price: number; size: number };
  quote?: { symbol: string; price: number };
  mode?: string;
  provider?: string | null;
  via?: string;
  events?: Record<string, number>;
  conflated?: number;
  reconnects?: number;
  fallbackUsed?: boolean;
  providers?: string[];
}

/** A stdout that interrupts the run (as Ctrl-C does) once `enough` says so. */
function interruptWhen(enough: (text: string) => boolean) {
  const controller = new AbortController();
  const stdout = capture();
  const write = stdout.write.bind(stdout);
  stdout.write = (chunk: string) => {
    write(chunk);
    if (enough(stdout.text)) controller.abort();
    return true;
  };
  return { stdout, signal: controller.signal };
}

describe('stockade stream', () => {
  it('prints a JSON line per streamed trade from the simulator, and a summary when interrupted', async () => {
    sim.streams.faults.set('polygon', { eventsPerSecond: 40 });
    const { stdout, signal } = interruptWhen((text) => (text.match(/"type":"trade"/g) ?? []).length >= 8);
    const run = await stream(['AAPL', 'msft', '--channels', 'trades', '--json'], { stdout, signal });
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    const trades = lines.filter((l) => l.type === 'trade');
    expect(trades.length).toBeGreaterThanOrEqual(8);
    expect(new Set(trades.map((t) => t.trade?.symbol))).toEqual(new Set(['AAPL', 'MSFT']));
    for (const t of trades) {
      expect(t).toMatchObject({ provider: 'polygon', via: 'stream' });
      expect(t.trade?.price).toBeCloseTo(sim.truePrice(t.trade?.symbol as string), -1);
    }
    expect(lines.find((l) => l.type === 'status')).toMatchObject({ mode: 'streaming', provider: 'polygon' });
    const summary = lines.at(-1);
    expect(summary).toMatchObject({
      type: 'summary',
      events: { trade: trades.length, quote: 0, bar: 0, status: lines.filter((l) => l.type === 'status').length },
      reconnects: 0,
      fallbackUsed: false,
      providers: ['polygon'],
    });
    expect(summary?.conflated).toBeGreaterThanOrEqual(0);
    // The command closed its connection on the way out; the server hears of it a moment later.
    expect(sim.streams.stats('polygon').connections).toBe(1);
    await vi.waitFor(() => expect(sim.streams.open('polygon')).toBe(0), { timeout: 5_000, interval: 10 });
  });

  it('stops at the end of --duration and prints a line of text per event and a summary', async () => {
    sim.streams.faults.set('polygon', { eventsPerSecond: 20 });
    const run = await stream(['AAPL', '--channels', 'quotes,trades', '--duration', '1500ms']);
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines.some((l) => /^\d\d:\d\d:\d\d\.\d{3} {2}status {2}streaming polygon /.test(l))).toBe(true);
    const trade = lines.find((l) => /^\d\d:\d\d:\d\d\.\d{3} {2}trade /.test(l));
    expect(trade).toMatch(/^[\d:.]+ {2}trade {3}AAPL +[\d,.]+ x [\d,.]+ {2}polygon stream$/);
    const summary =
      /^summary: (\d+) events \(trade (\d+), quote (\d+), bar 0, status (\d+)\); conflated \d+; reconnects 0; fallback used: no; streamed by: polygon$/.exec(
        lines.at(-1) ?? '',
      );
    expect(summary).not.toBeNull();
    expect(Number(summary?.[2])).toBe(lines.filter((l) => /^[\d:.]+ {2}trade /.test(l)).length);
    expect(Number(summary?.[3])).toBe(lines.filter((l) => /^[\d:.]+ {2}quote /.test(l)).length);
    expect(Number(summary?.[1])).toBe(lines.length - 1);
  });

  it('falls back to polled quotes when no provider can stream, and says so in the summary', async () => {
    for (const p of ['polygon', 'massive', 'yahoo'] as const) sim.streams.faults.set(p, { authFailure: true });
    const { stdout, signal } = interruptWhen((text) => /"via":"poll"/.test(text));
    const run = await stream(['AAPL', '--json'], { stdout, signal });
    expect(run.code).toBe(0);
    const lines = run.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Line);
    const polled = lines.find((l) => l.type === 'quote' && l.via === 'poll');
    expect(polled?.quote?.price).toBeCloseTo(sim.truePrice('AAPL'), -1);
    expect(lines.some((l) => l.type === 'status' && l.mode === 'polling')).toBe(true);
    expect(lines.at(-1)).toMatchObject({ type: 'summary', fallbackUsed: true });
  });

  it('refuses unknown channels and malformed durations as usage errors', async () => {
    const channels = await runCaptured(['stream', 'AAPL', '--channels', 'trades,news']);
    expect(channels.code).toBe(2);
    expect(channels.stderr).toContain(
      '--channels must list some of quotes, trades, minute_bars, second_bars, got "trades,news"',
    );
    expect(channels.stderr).toContain('(see stockade stream --help)');
    const duration = await runCaptured(['stream', 'AAPL', '--duration', 'soon']);
    expect(duration.code).toBe(2);
    expect(duration.stderr).toContain(
      '--duration must be a positive duration such as 30s, 2m or 5000 (ms), got "soon"',
    );
    const none = await runCaptured(['stream']);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
  });
});
