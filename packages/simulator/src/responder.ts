import type { ServerResponse } from 'node:http';
import type { Lifecycle } from './lifecycle.js';
import type { SimReply } from './route.js';

const SLOW_BODY_CHUNKS = 10;

/** The body text of a reply. */
export function bodyText(reply: SimReply): string {
  return typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body, null, reply.indent ?? 0);
}

/**
 * A 200 whose JSON is cut short: the first 60% of the real body, which can never parse (a prefix
 * of a JSON object or array is not a JSON value).
 */
export function malformedReply(reply: SimReply): SimReply {
  const text = bodyText(reply);
  let cut = text.slice(0, Math.max(1, Math.floor(text.length * 0.6)));
  try {
    JSON.parse(cut);
    cut += '{"';
  } catch {
    // Already invalid, as intended.
  }
  return {
    status: 200,
    body: cut,
    contentType: 'application/json',
    ...(reply.headers ? { headers: reply.headers } : {}),
  };
}

/**
 * Writes a reply. With `slowBodyMs` the headers go at once and the body follows in ten pieces
 * spread over that time; a stop in the middle ends the response where it is.
 */
export async function sendReply(
  res: ServerResponse,
  reply: SimReply,
  slowBodyMs: number,
  lifecycle: Lifecycle,
): Promise<void> {
  const text = bodyText(reply);
  const bytes = Buffer.from(text, 'utf8');
  res.statusCode = reply.status;
  res.setHeader('content-type', reply.contentType ?? 'application/json');
  res.setHeader('content-length', bytes.length);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (slowBodyMs <= 0 || bytes.length === 0) {
    res.end(bytes);
    return;
  }
  res.flushHeaders();
  const size = Math.ceil(bytes.length / SLOW_BODY_CHUNKS);
  for (let offset = 0; offset < bytes.length; offset += size) {
    if (!(await lifecycle.sleep(slowBodyMs / SLOW_BODY_CHUNKS)) || res.destroyed) return;
    res.write(bytes.subarray(offset, offset + size));
  }
  res.end();
}
