import type { IncomingMessage, ServerResponse } from 'node:http';
import { StockadeError, ValidationError } from '@stockade/core';
import type { FaultStore } from './faults.js';
import { PROVIDER_NAMES } from './provider-name.js';
import type { StatsRecorder } from './stats.js';

const MAX_BODY_BYTES = 1_000_000;

/** What the control API reaches into. */
export interface ControlDeps {
  faults: FaultStore;
  stats: StatsRecorder;
  /** The true price of a symbol at an instant (default now). @throws {ValidationError} */
  truePrice(symbol: string, at?: number): number;
  /** The simulator clock's now. */
  now(): number;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new ValidationError('Request body is over 1 MB', [{ path: '', message: 'too large' }]);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return text === '' ? {} : JSON.parse(text);
  } catch {
    throw new ValidationError('Request body is not JSON; send e.g. {"provider":"polygon","faults":{"badKey":true}}', [
      { path: '', message: 'expected JSON' },
    ]);
  }
}

function allFaults(faults: FaultStore): Record<string, unknown> {
  return Object.fromEntries(PROVIDER_NAMES.map((p) => [p, faults.get(p)]));
}

/**
 * The control API under `/__sim`: `GET|POST|DELETE /__sim/faults`, `GET /__sim/stats`,
 * `POST /__sim/stats/reset`, `GET /__sim/price/{symbol}?at=ms`. Bad input gets a 400 with the
 * validation message.
 */
export async function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: ControlDeps,
): Promise<void> {
  const route = `${req.method} ${url.pathname}`;
  try {
    if (route === 'GET /__sim/faults') return send(res, 200, allFaults(deps.faults));
    if (route === 'POST /__sim/faults') {
      const body = (await readJson(req)) as { provider?: unknown; faults?: unknown; merge?: unknown };
      const provider = body.provider as (typeof PROVIDER_NAMES)[number];
      if (body.merge === true) deps.faults.update(provider, (body.faults ?? {}) as never);
      else deps.faults.set(provider, (body.faults ?? {}) as never);
      return send(res, 200, { provider, faults: deps.faults.get(provider) });
    }
    if (route === 'DELETE /__sim/faults') {
      const provider = url.searchParams.get('provider');
      deps.faults.clear(provider === null ? undefined : (provider as (typeof PROVIDER_NAMES)[number]));
      return send(res, 200, allFaults(deps.faults));
    }
    if (route === 'GET /__sim/stats') return send(res, 200, deps.stats.snapshot());
    if (route === 'POST /__sim/stats/reset') {
      deps.stats.reset();
      return send(res, 200, deps.stats.snapshot());
    }
    if (req.method === 'GET' && url.pathname.startsWith('/__sim/price/')) {
      const symbol = decodeURIComponent(url.pathname.slice('/__sim/price/'.length));
      const atParam = url.searchParams.get('at');
      const at = atParam === null ? deps.now() : Number(atParam);
      if (!Number.isFinite(at))
        throw new ValidationError(`at must be epoch milliseconds, got ${atParam}`, [
          { path: 'at', message: 'expected a number' },
        ]);
      return send(res, 200, { symbol, at, price: deps.truePrice(symbol, at) });
    }
    return send(res, 404, { error: `No control route ${route}` });
  } catch (err) {
    if (err instanceof StockadeError) {
      return send(res, 400, { error: err.message, issues: (err as { issues?: unknown }).issues ?? [] });
    }
    return send(res, 500, { error: 'internal error' });
  }
}
