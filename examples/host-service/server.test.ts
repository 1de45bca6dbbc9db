import { type ChildProcess, spawn } from 'node:child_process';
import { request } from 'node:http';
import { HealthReport, metricNames, Quote, Signal } from '@stockade/core';
import { type Simulator, startSimulator } from '@stockade/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, NODE_ARGS, repoRoot } from '../test-support/run-example.js';

const PROVIDERS = ['yahoo', 'alphavantage', 'polygon', 'massive'] as const;
const DRAIN_TIMEOUT_MS = 8_000;
/** Drain, then the manager's bounded close (2 s), with room for a loaded machine. */
const STOP_TIMEOUT_MS = DRAIN_TIMEOUT_MS + 12_000;

interface LogLine {
  msg?: string;
  component?: string;
  [field: string]: unknown;
}

/** The service as a real child process, with its JSON log lines as they arrive. */
class ServiceProcess {
  readonly lines: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: Array<() => void> = [];
  private stderrTail = '';

  constructor(readonly child: ChildProcess) {
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      const text = this.stderrTail + chunk;
      const parts = text.split('\n');
      this.stderrTail = parts.pop() ?? '';
      for (const part of parts) {
        try {
          this.lines.push(JSON.parse(part) as LogLine);
        } catch {
          this.lines.push({ msg: part });
        }
      }
      for (const w of this.waiters.splice(0)) w();
    });
    this.exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  }

  /** The first log line matching `match`, waiting up to `timeoutMs` for it. */
  async waitFor(match: (l: LogLine) => boolean, what: string, timeoutMs = 30_000): Promise<LogLine> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found !== undefined) return found;
      if (Date.now() > deadline || this.child.exitCode !== null) {
        throw new Error(`no log line "${what}"; got:\n${this.lines.map((l) => JSON.stringify(l)).join('\n')}`);
      }
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 250).unref();
      });
    }
  }
}

/** GET over a fresh connection (no keep-alive pool shared between requests). */
function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('examples/host-service/server.ts (a real child process on the bundled simulator)', () => {
  let sim: Simulator;
  let service: ServiceProcess;
  let port: number;

  beforeAll(async () => {
    sim = await startSimulator({ port: 0, seed: 11 });
    const child = spawn(
      process.execPath,
      [
        ...NODE_ARGS,
        'examples/host-service/server.ts',
        '--port',
        '0',
        '--simulator',
        sim.origin,
        '--symbols',
        'AAPL,MSFT',
        '--drain-timeout',
        String(DRAIN_TIMEOUT_MS),
      ],
      // The request-received lines (debug) let the test see a request in flight.
      {
        cwd: repoRoot,
        env: cleanEnv({ STOCKADE_LOGGING_LEVELS_SERVICE: 'debug' }),
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    service = new ServiceProcess(child);
    const listening = await service.waitFor((l) => l.msg?.startsWith('listening') === true, 'listening', 60_000);
    port = listening.port as number;
    expect(listening.msg).toContain(`the simulator at ${sim.origin}`);
  }, 90_000);

  afterAll(async () => {
    if (service?.child.exitCode === null) service.child.kill('SIGKILL');
    await sim?.stop();
  });

  it.each([1, 2, 3] as const)('answers /health?level=%i with a HealthReport and 200 while healthy', async (level) => {
    const res = await get(port, `/health?level=${level}`);
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^application\/json/);
    const report = HealthReport.parse(JSON.parse(res.body));
    expect(report.level).toBe(level);
    expect(['healthy', 'degraded']).toContain(report.status);
    expect(Object.keys(report.providers).sort()).toEqual([...PROVIDERS].sort());
    if (level === 3) for (const p of PROVIDERS) expect(report.providers[p]?.probe?.ok, p).toBe(true);
  });

  it('refuses a health level that does not exist with a JSON 400', async () => {
    const res = await get(port, '/health?level=4');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error).toMatchObject({
      code: 'VALIDATION_ERROR',
      message: expect.stringMatching(/level must be 1/),
    });
  });

  it('serves valid quotes, and a 400 naming the bad symbol for bad input', async () => {
    const res = await get(port, '/quotes?symbols=aapl,MSFT,BTC-USD');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.body) as { quotes: unknown[]; errors: unknown[] };
    const quotes = body.quotes.map((q) => Quote.parse(q));
    expect(quotes.map((q) => q.symbol)).toEqual(['AAPL', 'MSFT', 'BTC-USD']);
    expect(body.errors).toEqual([]);
    for (const q of quotes) {
      // The simulator's own path, within its ±2 bp provider noise (plus a little drift while in flight).
      expect(Math.abs(q.price / sim.truePrice(q.symbol) - 1)).toBeLessThan(0.01);
    }

    const bad = await get(port, '/quotes?symbols=AAPL,NO%20PE');
    expect(bad.status).toBe(400);
    const error = JSON.parse(bad.body).error;
    expect(error.code).toBe('VALIDATION_ERROR');
    expect(error.message).toContain('"NO PE" contains whitespace');
    expect(error.issues).toEqual([{ path: 'symbols[1]', message: expect.stringContaining('whitespace') }]);

    const missing = await get(port, '/quotes');
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.body).error.message).toMatch(/symbols parameter is required/);
  });

  it('exposes the manager metrics as Prometheus text with the named series', async () => {
    const res = await get(port, '/metrics');
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    for (const name of [
      metricNames.providerRequests,
      metricNames.providerLatency,
      metricNames.managerRequests,
      metricNames.cacheLookups,
      metricNames.providerHealth,
      metricNames.signals,
    ]) {
      expect(res.body, name).toContain(`# TYPE ${name} `);
    }
    // The quotes fetched above were counted, by provider and outcome.
    const served = [...res.body.matchAll(/^stockade_provider_requests_total\{[^}]*outcome="ok"[^}]*\} (\d+)$/gm)];
    expect(served.reduce((n, m) => n + Number(m[1]), 0)).toBeGreaterThan(0);
    expect(res.body).toMatch(
      /^stockade_provider_request_duration_seconds_bucket\{le="\+Inf",provider="\w+",endpoint="quotes"\} [1-9]/m,
    );
  });

  it('answers /signals with the latest consensus of the attached engine', async () => {
    await service.waitFor((l) => l.msg === 'signal engine warmed up and live', 'signal engine live');
    let body: { signals: Array<{ symbol: string; signal: unknown; agents: unknown[] }> } = { signals: [] };
    const pending = () => body.signals.length === 0 || body.signals.some((s) => s.signal === null);
    // The first quote of each symbol after warm-up gives its first consensus.
    for (let i = 0; i < 40 && pending(); i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 250));
      const res = await get(port, '/signals');
      expect(res.status).toBe(200);
      body = JSON.parse(res.body);
    }
    expect(body.signals.map((s) => s.symbol)).toEqual(['AAPL', 'MSFT']);
    for (const s of body.signals) {
      const signal = Signal.parse(s.signal);
      expect(signal).toMatchObject({ symbol: s.symbol, agent: 'consensus' });
      expect(s.agents).toHaveLength(4);
    }
    const one = await get(port, '/signals?symbols=msft');
    expect(JSON.parse(one.body).signals.map((s: { symbol: string }) => s.symbol)).toEqual(['MSFT']);
    const unfollowed = await get(port, '/signals?symbols=IBM');
    expect(unfollowed.status).toBe(400);
    expect(JSON.parse(unfollowed.body).error.message).toMatch(/not followed by the signal engine: IBM/);
  });

  it('answers 404 in JSON for an unknown path', async () => {
    const res = await get(port, '/nope');
    expect(res.status).toBe(404);
    expect(JSON.parse(res.body).error.code).toBe('NOT_FOUND');
  });

  it('answers 503 with a valid report when the deep check finds no usable provider', async () => {
    for (const p of PROVIDERS) sim.faults.set(p, { errorRate: { 503: 1 } });
    try {
      const res = await get(port, '/health?level=3');
      expect(res.status).toBe(503);
      const report = HealthReport.parse(JSON.parse(res.body));
      expect(report.status).toBe('unhealthy');
      for (const p of PROVIDERS) expect(report.providers[p]?.probe?.ok, p).toBe(false);
    } finally {
      sim.faults.clear();
    }
  });

  it('on SIGTERM stops accepting, finishes the request in flight, closes the manager and exits 0', async () => {
    // Every provider answers 1.5 s late, so the quote request below is still in flight at SIGTERM.
    for (const p of PROVIDERS) sim.faults.set(p, { latency: { fixedMs: 1_500 } });
    const inFlight = get(port, '/quotes?symbols=IBM');
    await service.waitFor((l) => l.msg === 'request received' && l.url === '/quotes?symbols=IBM', 'IBM received');
    service.child.kill('SIGTERM');
    await service.waitFor((l) => l.msg?.startsWith('stopped accepting connections') === true, 'stopped accepting');
    await expect(get(port, '/health')).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    const answered = await inFlight;
    expect(answered.status).toBe(200);
    expect(JSON.parse(answered.body).quotes.map((q: unknown) => Quote.parse(q).symbol)).toEqual(['IBM']);

    let timer: NodeJS.Timeout | undefined;
    const exit = await Promise.race([
      service.exited,
      new Promise<'still running'>((resolve) => {
        timer = setTimeout(() => resolve('still running'), STOP_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    expect(exit).toEqual({ code: 0, signal: null });
    const steps = service.lines
      .filter((l) => l.component === 'service' && l.msg !== 'request received' && l.msg !== 'request answered')
      .map((l) => l.msg);
    const shutdown = steps.slice(steps.indexOf('stop signal received'));
    expect(shutdown).toEqual([
      'stop signal received',
      'stopped accepting connections; draining in-flight requests',
      'every connection closed',
      'signal engine stopped',
      'manager closed; exiting with 0',
    ]);
    const drained = service.lines.find((l) => l.msg === 'every connection closed');
    expect(drained?.drained).toBe(true);
  }, 40_000);
});
