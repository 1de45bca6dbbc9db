import type { HealthStatus, ProviderHealth } from '@stockade/core';
import type { DemoFrame } from './demo-state.js';

const nyTime = new Intl.DateTimeFormat('en-US', {
  timeZone: 'America/New_York',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});
const nyDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' });

/** `HH:MM:SS` in New York. */
export function clockTime(at: number): string {
  return nyTime.format(at);
}

/** ANSI colours for the terminal screen. */
interface Paint {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const ansi = (code: number) => (s: string) => `\x1b[${code}m${s}\x1b[0m`;
const colours: Paint = { red: ansi(31), green: ansi(32), yellow: ansi(33), dim: ansi(2), bold: ansi(1) };

function statusPaint(p: Paint, status: HealthStatus): (s: string) => string {
  return status === 'healthy' ? p.green : status === 'degraded' ? p.yellow : p.red;
}

function price(n: number): string {
  return n >= 1_000 ? n.toFixed(2) : n >= 10 ? n.toFixed(2) : n.toFixed(4);
}

function pct(n: number | null): string {
  return n === null ? '—' : `${n >= 0 ? '+' : ''}${n.toFixed(2)}%`;
}

function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1_000));
  return s < 120 ? `${s}s` : `${Math.round(s / 60)}m`;
}

function p95(h: ProviderHealth): string {
  return h.latencyMs.p95 === null ? '—' : String(Math.round(h.latencyMs.p95));
}

function clip(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

/** Which providers answered this cycle's quotes, e.g. `massive×6 polygon×2`. */
export function servedBy(frame: DemoFrame): string {
  const counts = new Map<string, number>();
  for (const r of frame.quotes) {
    const key = r.ok ? r.quote.provider + (r.quote.stale ? '(stale)' : '') : 'error';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([p, n]) => `${p}×${n}`).join(' ');
}

/** The last streamed price of `symbol`, with how it came (`polygon ws`, or `poll` in the fallback). */
function streamedText(frame: DemoFrame, symbol: string, p: Paint): string {
  if (!frame.stream.symbols.includes(symbol)) return p.dim('— (not streamed)');
  const last = frame.stream.last(symbol);
  if (last === undefined) return p.dim('waiting…');
  const how = last.via === 'stream' ? `${last.provider} ws` : 'poll';
  return `${price(last.price).padStart(10)} ${p.dim(`${how} ${ageText(frame.now - last.at)}`)}`;
}

/** The stream's state in one line: provider, connection, rate, fallback. */
export function streamLine(frame: DemoFrame): string {
  const s = frame.health.stream;
  if (s === undefined) return `stream: ${frame.stream.status() ?? 'starting'}`;
  return (
    `stream: ${s.mode} via ${s.provider ?? '—'} (${s.status ?? '—'}), ${s.connected ? 'connected' : 'not connected'}, ` +
    `${s.messagesPerSecond.toFixed(1)} msgs/s, ${s.messages} msgs, ${s.reconnects} reconnects` +
    `${s.fallbackActive ? ', polling fallback active' : ''}${s.lastError === undefined ? '' : `; last error: ${s.lastError}`}`
  );
}

/** The full screen drawn in place on a terminal, once per cycle. */
export function renderScreen(frame: DemoFrame, width = 100): string {
  const p = colours;
  const out: string[] = [];
  const line = (s = '') => out.push(s);
  const title = frame.mode === 'simulator' ? 'simulator, in-process' : 'live APIs';
  line(
    `${p.bold('Stockade')} — MarketDataManager demo (${title})   cycle ${frame.cycle}/${frame.cycles}   ` +
      `${nyDate.format(frame.now)} ${clockTime(frame.now)} New York`,
  );
  for (const s of frame.setup) line(p.dim(clip(s, width)));
  line(`${p.bold('phase')} ${frame.phase}`);
  line();
  line(p.bold('QUOTES    price         change   provider        age   served     streamed'));
  for (const r of frame.quotes) {
    if (!r.ok) {
      line(`${r.symbol.padEnd(9)} ${p.red(clip(`${r.error.name}: ${r.error.message}`, width - 10))}`);
      continue;
    }
    const q = r.quote;
    const served = q.stale ? p.yellow('stale') : frame.fetched.has(r.symbol) ? p.green('fetched') : p.dim('cache');
    const pad = ' '.repeat(Math.max(0, 8 - (q.stale ? 5 : frame.fetched.has(r.symbol) ? 7 : 5)));
    line(
      `${r.symbol.padEnd(9)} ${price(q.price).padStart(10)}  ${pct(q.changePercent).padStart(8)}   ${q.provider.padEnd(14)}` +
        ` ${ageText(frame.now - q.asOf).padStart(4)}   ${served}${pad}  ${streamedText(frame, r.symbol, p)}` +
        (q.delayed ? p.dim(' delayed plan') : ''),
    );
  }
  line(streamLine(frame));
  line(
    p.dim(
      `quotes() took ${frame.cycleMs.toFixed(1)} ms this cycle; age: since the price's time at the source; ` +
        'stale: past its TTL, served while a refresh runs (or last known good)',
    ),
  );
  line();
  line(p.bold('PROVIDERS     status      requests  success  p95 ms* breaker    quota left'));
  for (const [name, h] of Object.entries(frame.health.providers)) {
    const paint = statusPaint(p, h.status);
    const breaker = h.breaker === 'closed' ? h.breaker.padEnd(9) : p.red(h.breaker.padEnd(9));
    line(
      `${name.padEnd(13)} ${paint(h.status.padEnd(10))} ${String(h.requests).padStart(9)}  ${`${Math.round(h.successRate * 100)}%`.padStart(7)}` +
        `  ${p95(h).padStart(6)}  ${breaker}  ${h.quotaLeft === null ? '—' : h.quotaLeft}`,
    );
  }
  const hit = frame.health.cache.l1.hitRate;
  line(
    p.dim(
      `cache: ${frame.health.cache.l1.entries} entries, hit rate ${hit === null ? '—' : `${Math.round(hit * 100)}%`}; ` +
        `*requests, success and p95 over the last 5 minutes of the manager's clock${frame.mode === 'simulator' ? ' (simulated ms)' : ''}`,
    ),
  );
  line();
  line(p.bold('ALERTS'));
  const alerts = frame.alerts.slice(-5);
  if (alerts.length === 0) line(p.dim('  none yet'));
  for (const a of alerts) {
    const tag = a.kind === 'raised' ? p.red(`raised ${a.severity ?? ''}`.padEnd(16)) : p.green('cleared'.padEnd(16));
    line(`  ${clockTime(a.at)}  ${tag} ${clip(a.message, width - 29)}`);
  }
  if (frame.signals.available) {
    line();
    line(
      p.bold(
        `SIGNALS   consensus     votes ↑ ↓ ·   last signal    (${frame.signals.interval} bars; agents ${frame.signals.agents.join(', ')})`,
      ),
    );
    for (const row of frame.signals.rows()) {
      const c = `${row.consensus} ${row.confidence.toFixed(2)}`;
      const paint = row.consensus === 'BUY' ? p.green : row.consensus === 'SELL' ? p.red : p.dim;
      const last =
        row.last === undefined
          ? p.dim('—')
          : `${row.last.action} ${row.last.confidence.toFixed(2)} at ${clockTime(row.last.at)}`;
      line(
        `${row.symbol.padEnd(9)} ${paint(c.padEnd(12))}  ${String(row.votes.buy).padStart(7)} ${row.votes.sell} ${row.votes.hold}   ${last}`,
      );
    }
  } else {
    line();
    line(p.dim(`signals panel left out: ${frame.signals.reason}`));
  }
  line();
  line(p.bold('EVENTS'));
  const events = frame.events.slice(-6);
  if (events.length === 0) line(p.dim('  calm: no fault injected yet'));
  for (const e of events) line(clip(`  cycle ${String(e.cycle).padStart(2)}  ${e.text}`, width));
  return out.join('\n');
}

/** One compact line per cycle, for logs and pipes (no ANSI). */
export function renderLine(frame: DemoFrame): string {
  const providers = Object.entries(frame.health.providers)
    .map(([name, h]) => `${name} ${h.status}${h.breaker === 'closed' ? '' : `/${h.breaker}`}`)
    .join(', ');
  const hit = frame.health.cache.l1.hitRate;
  return (
    `[${String(frame.cycle).padStart(2)}/${frame.cycles} ${clockTime(frame.now)}] ` +
    `quotes ${servedBy(frame)} (${frame.fetched.size} fetched, ${frame.cycleMs.toFixed(1)} ms) | ` +
    `hit ${hit === null ? '—' : `${Math.round(hit * 100)}%`} | ${providers} | ${streamSummary(frame)}`
  );
}

/** The stream in a few words for the one-line view: `stream polygon subscribed 18.0 msg/s, AAPL 281.07`. */
function streamSummary(frame: DemoFrame): string {
  const s = frame.health.stream;
  const state =
    s === undefined
      ? (frame.stream.status() ?? 'starting')
      : `${s.mode === 'polling' ? 'polling' : (s.provider ?? s.mode)} ${s.status ?? ''} ${s.messagesPerSecond.toFixed(1)} msg/s`;
  const first = frame.stream.symbols[0];
  const last = first === undefined ? undefined : frame.stream.last(first);
  return `stream ${state.replace(/ +/g, ' ').trim()}${last === undefined ? '' : `, ${first} ${price(last.price)}`}`;
}
