import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import { ProviderError, redact } from '@stockade/core';
import { type RequestContext, transportError } from './errors.js';
import type { PoolSet } from './pool.js';

const gunzipAsync = promisify(gunzip);
const inflateAsync = promisify(inflate);
const brotliAsync = promisify(brotliDecompress);

/** A response read in full. */
export interface HttpResponse {
  /** HTTP status. */
  status: number;
  /** Headers, lower-case names. */
  headers: Record<string, string | string[] | undefined>;
  /** Body, decompressed, decoded as UTF-8. */
  text: string;
  /** `X-Request-Id` (Polygon) or `y-rid` (Yahoo), when sent. */
  requestId: string | undefined;
}

/** What {@link httpGet} sends. */
export interface HttpGetOptions {
  /** Request headers. `accept-encoding` is added. */
  headers?: Record<string, string>;
  /** Aborts the request and frees its socket. */
  signal?: AbortSignal;
  /** Largest body accepted after decompression, bytes. */
  bodyLimitBytes: number;
  /** For errors. */
  context: Omit<RequestContext, 'url'>;
}

function header(headers: HttpResponse['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** The provider's request id from a response's headers. */
export function requestIdOf(headers: HttpResponse['headers']): string | undefined {
  return header(headers, 'x-request-id') ?? header(headers, 'y-rid');
}

function tooLarge(ctx: RequestContext, limit: number, requestId: string | undefined, status: number): ProviderError {
  return new ProviderError(`response from ${redact(ctx.url)} is larger than the ${limit}-byte body limit`, {
    provider: ctx.provider,
    kind: 'bad_response',
    status,
    requestId,
    operation: ctx.operation,
    symbols: ctx.symbols,
  });
}

async function decode(raw: Buffer, encoding: string | undefined, limit: number): Promise<Buffer> {
  const options = { maxOutputLength: limit };
  switch (encoding?.trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return gunzipAsync(raw, options);
    case 'deflate':
      return inflateAsync(raw, options);
    case 'br':
      return brotliAsync(raw, options);
    default:
      return raw;
  }
}

/**
 * GETs `url` through the pool of its origin and reads the whole body, decompressed, within the body
 * limit. Socket failures become `ProviderError`s (transient, timeout, unavailable); an abort
 * rejects with the signal's reason and destroys the socket. HTTP error statuses are returned, not
 * thrown: the adapter reads their bodies to classify them.
 */
export async function httpGet(pools: PoolSet, url: URL, options: HttpGetOptions): Promise<HttpResponse> {
  const ctx: RequestContext = { ...options.context, url: url.href };
  const { signal, bodyLimitBytes: limit } = options;
  if (signal?.aborted) throw signal.reason;
  if (pools.closed) {
    throw new ProviderError('the provider was closed', {
      provider: ctx.provider,
      kind: 'unavailable',
      operation: ctx.operation,
      symbols: ctx.symbols,
    });
  }
  let res: Awaited<ReturnType<ReturnType<PoolSet['pool']>['request']>>;
  try {
    res = await pools.pool(url.origin).request({
      path: `${url.pathname}${url.search}`,
      method: 'GET',
      headers: { 'accept-encoding': 'gzip, deflate', accept: 'application/json, text/plain, */*', ...options.headers },
      signal,
    });
  } catch (err) {
    throw transportError(err, ctx, signal);
  }
  // Every way out below either reads the body to its end or destroys it; errors of a body we gave
  // up on must not surface as uncaught exceptions.
  res.body.on('error', () => undefined);
  const headers = res.headers as HttpResponse['headers'];
  const requestId = requestIdOf(headers);
  const declared = Number(header(headers, 'content-length'));
  if (Number.isFinite(declared) && declared > limit) {
    res.body.destroy();
    throw tooLarge(ctx, limit, requestId, res.statusCode);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body) {
      size += (chunk as Buffer).length;
      if (size > limit) {
        // Destroying the body drops the socket: nothing more is read from a body we refuse.
        res.body.destroy();
        throw tooLarge(ctx, limit, requestId, res.statusCode);
      }
      chunks.push(chunk as Buffer);
    }
  } catch (err) {
    if (err instanceof ProviderError) throw err;
    throw transportError(err, ctx, signal);
  }
  let body: Buffer;
  try {
    body = await decode(Buffer.concat(chunks, size), header(headers, 'content-encoding'), limit);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE')
      throw tooLarge(ctx, limit, requestId, res.statusCode);
    throw new ProviderError(`response from ${redact(ctx.url)} could not be decompressed`, {
      provider: ctx.provider,
      kind: 'bad_response',
      status: res.statusCode,
      requestId,
      operation: ctx.operation,
      symbols: ctx.symbols,
      cause: err,
    });
  }
  if (signal?.aborted) throw signal.reason;
  return { status: res.statusCode, headers, text: body.toString('utf8'), requestId };
}
