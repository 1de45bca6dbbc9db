import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  AllProvidersFailedError,
  HealthReport,
  type Logger,
  StockadeError,
  SymbolSchema,
  ValidationError,
} from '@stockade/core';
import type { MarketDataManager } from '@stockade/market-data';
import type { Registry } from 'prom-client';
import type { SignalBoard } from './signal-board.js';

/** What the routes need. */
export interface RouteContext {
  /** The embedded manager. */
  md: MarketDataManager;
  /** The Prometheus registry the manager's metrics are registered in. */
  registry: Registry;
  /** The signal engine behind `/signals`. */
  board: SignalBoard;
  /** The service's logger. */
  log: Logger;
}

/** Most symbols one `/quotes` or `/signals` request may ask for. */
export const MAX_SYMBOLS = 50;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

/** `{ error: { code, message, … } }`: a StockadeError's secret-free JSON form. */
function errorBody(err: unknown): { error: Record<string, unknown> } {
  if (err instanceof StockadeError) return { error: err.toJSON() };
  return { error: { code: 'INTERNAL', message: 'internal error; see the service log' } };
}

function statusOf(err: unknown): number {
  if (err instanceof ValidationError) return 400;
  if (err instanceof AllProvidersFailedError) return 502;
  if ((err as { name?: string })?.name === 'AbortError' || (err as { name?: string })?.name === 'TimeoutError') {
    return 503;
  }
  return 500;
}

/**
 * The `symbols` query parameter, each validated and normalized by core's symbol grammar.
 *
 * @throws {ValidationError} naming every bad symbol, or saying the parameter is missing or too long.
 */
export function symbolsParam(url: URL, example: string): string[] {
  const raw = url.searchParams.get('symbols');
  if (raw === null || raw.trim() === '') {
    throw new ValidationError(`the symbols parameter is required, e.g. ${example}`, [
      { path: 'symbols', message: 'expected a comma-separated list of symbols' },
    ]);
  }
  const parts = raw.split(',').map((s) => s.trim());
  if (parts.length > MAX_SYMBOLS) {
    throw new ValidationError(`at most ${MAX_SYMBOLS} symbols per request, got ${parts.length}`, [
      { path: 'symbols', message: `split the request into batches of ${MAX_SYMBOLS}` },
    ]);
  }
  const symbols: string[] = [];
  const issues: Array<{ path: string; message: string }> = [];
  parts.forEach((part, i) => {
    const r = SymbolSchema.safeParse(part);
    if (r.success) symbols.push(r.data);
    else issues.push({ path: `symbols[${i}]`, message: r.error.issues.map((x) => x.message).join('; ') });
  });
  if (issues.length > 0) {
    throw new ValidationError(
      `invalid symbol${issues.length === 1 ? '' : 's'}: ${issues.map((x) => x.message).join(' | ')}`,
      issues,
    );
  }
  return [...new Set(symbols)];
}

async function health(ctx: RouteContext, url: URL, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const raw = url.searchParams.get('level') ?? '1';
  if (raw !== '1' && raw !== '2' && raw !== '3') {
    throw new ValidationError(`level must be 1 (liveness), 2 (readiness) or 3 (deep), got ${JSON.stringify(raw)}`, [
      { path: 'level', message: 'expected 1, 2 or 3' },
    ]);
  }
  const level = Number(raw) as 1 | 2 | 3;
  // Parsed before it is sent: a report that drifted from core's schema is a 500 here, not a
  // silent lie to the load balancer.
  const report = HealthReport.parse(await ctx.md.health({ level, signal }));
  sendJson(res, report.status === 'unhealthy' ? 503 : 200, report);
}

async function metrics(ctx: RouteContext, res: ServerResponse): Promise<void> {
  const text = await ctx.registry.metrics();
  res.writeHead(200, { 'content-type': ctx.registry.contentType, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function quotes(ctx: RouteContext, url: URL, res: ServerResponse, signal: AbortSignal): Promise<void> {
  const symbols = symbolsParam(url, '/quotes?symbols=AAPL,MSFT');
  const results = await ctx.md.quotes(symbols, { signal });
  const ok = results.flatMap((r) => (r.ok ? [r.quote] : []));
  const errors = results.flatMap((r) => (r.ok ? [] : [{ symbol: r.symbol, ...errorBody(r.error) }]));
  // Partial answers are answers: 502 only when no symbol could be quoted.
  sendJson(res, ok.length === 0 ? 502 : 200, { quotes: ok, errors });
}

function signals(ctx: RouteContext, url: URL, res: ServerResponse): void {
  const state = ctx.board.state();
  if (!state.ready) {
    sendJson(res, 503, {
      error: {
        code: 'SIGNALS_NOT_READY',
        message: state.error ?? 'the signal engine is still warming up; retry in a few seconds',
      },
    });
    return;
  }
  const wanted = url.searchParams.has('symbols') ? symbolsParam(url, '/signals?symbols=AAPL') : undefined;
  const unknown = (wanted ?? []).filter((s) => !ctx.board.symbols.includes(s));
  if (unknown.length > 0) {
    throw new ValidationError(
      `not followed by the signal engine: ${unknown.join(', ')}; followed: ${ctx.board.symbols.join(', ')} (set them with --symbols)`,
      unknown.map((s) => ({ path: 'symbols', message: `${s} is not followed` })),
    );
  }
  sendJson(res, 200, { signals: ctx.board.latest(wanted) });
}

/**
 * The service's request handler: `/health`, `/metrics`, `/quotes`, `/signals`, and a JSON 404 for
 * anything else. Errors become JSON with the status their type calls for (400 bad input, 502 every
 * provider failed, 503 aborted or timed out, 500 otherwise); `signal` aborts the manager call.
 */
export function createRoutes(ctx: RouteContext) {
  return async (req: IncomingMessage, res: ServerResponse, signal: AbortSignal): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://service.local');
    try {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        sendJson(res, 405, { error: { code: 'METHOD_NOT_ALLOWED', message: `${req.method} is not allowed; use GET` } });
      } else if (url.pathname === '/health') await health(ctx, url, res, signal);
      else if (url.pathname === '/metrics') await metrics(ctx, res);
      else if (url.pathname === '/quotes') await quotes(ctx, url, res, signal);
      else if (url.pathname === '/signals') signals(ctx, url, res);
      else {
        sendJson(res, 404, {
          error: { code: 'NOT_FOUND', message: `no route ${url.pathname}; try /health, /metrics, /quotes, /signals` },
        });
      }
    } catch (err) {
      const status = statusOf(err);
      if (status >= 500) ctx.log.error({ err, path: url.pathname }, 'request failed');
      if (!res.headersSent) sendJson(res, status, errorBody(err));
      else res.destroy();
    }
  };
}
