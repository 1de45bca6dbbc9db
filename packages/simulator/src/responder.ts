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

const OVERSIZED_CHUNK = Buffer.from(`"${'x'.repeat(65_533)}",`, 'utf8');

/**
 * Streams a 200 of `bytes` bytes (a JSON array of padding strings) with no `content-length`, so a
 * client learns the size only by reading: it must stop at its own limit. Writing follows the
 * socket's backpressure and stops as soon as the client hangs up, so the simulator never buffers it.
 */
export async function sendOversized(res: ServerResponse, bytes: number, lifecycle: Lifecycle): Promise<void> {
  res.statusCode = 200;
  res.setHeader('content-type', 'application/json');
  res.write('[');
  let sent = 1;
  while (sent + OVERSIZED_CHUNK.length < bytes) {
    if (res.destroyed || lifecycle.stopped) return;
    sent += OVERSIZED_CHUNK.length;
    if (!res.write(OVERSIZED_CHUNK)) {
      const drained = await new Promise<boolean>((resolve) => {
        const done = (ok: boolean) => {
          res.off('drain', onDrain);
          res.off('close', onClose);
          resolve(ok);
        };
        const onDrain = () => done(true);
        const onClose = () => done(false);
        res.once('drain', onDrain);
        res.once('close', onClose);
      });
      if (!drained) return;
    }
  }
  res.end(`"${'x'.repeat(Math.max(0, bytes - sent - 3))}"]`);
}
