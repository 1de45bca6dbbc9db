import { parseSymbol, ValidationError } from '@stockade/core';
import { STREAM_CHANNELS, type StreamChannel } from '@stockade/providers';
import { z } from 'zod';
import type { StreamCallOptions, StreamingOptions } from './stream-types.js';

/**
 * Validates the arguments of `manager.stream()`: canonical, de-duplicated symbols and known channels.
 *
 * @throws {ValidationError} saying which symbol or channel is wrong.
 */
export function checkStreamCall(
  symbols: readonly string[],
  options: StreamCallOptions = {},
): { symbols: string[]; channels: StreamChannel[] } {
  if (!Array.isArray(symbols) || symbols.length === 0) {
    throw new ValidationError('stream() needs a non-empty array of symbols, e.g. stream(["AAPL"])', [
      { path: 'symbols', message: 'expected a non-empty array' },
    ]);
  }
  const canonical = [...new Set(symbols.map((s) => parseSymbol(s).symbol))];
  const channels = [...new Set(options.channels ?? (['quotes'] as const))];
  const bad = channels.filter((c) => !STREAM_CHANNELS.includes(c));
  if (!Array.isArray(options.channels ?? []) || channels.length === 0 || bad.length > 0) {
    throw new ValidationError(
      `stream(): channels must be some of ${STREAM_CHANNELS.join(', ')}; got ${JSON.stringify(options.channels)}`,
      [{ path: 'channels', message: `expected some of ${STREAM_CHANNELS.join(', ')}` }],
    );
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) {
    throw new ValidationError('stream(): signal must be an AbortSignal', [
      { path: 'signal', message: 'expected an AbortSignal' },
    ]);
  }
  return { symbols: canonical, channels };
}

const ms = z.number().int().positive();
const StreamingOptionsSchema = z
  .strictObject({
    urls: z.record(z.string(), z.url({ protocol: /^wss?$/, error: 'expected a ws:// or wss:// URL' })).optional(),
    providers: z.array(z.string().min(1)).optional(),
    connection: z.looseObject({}).optional(),
    pollIntervalMs: ms.optional(),
    retryInitialMs: ms.optional(),
    retryMaxMs: ms.optional(),
  })
  .optional();

/**
 * Validates `createMarketDataManager({ stream })`.
 *
 * @throws {ValidationError} naming each bad field.
 */
export function checkStreamingOptions(options: StreamingOptions | undefined): void {
  const parsed = StreamingOptionsSchema.safeParse(options);
  if (parsed.success) return;
  const issues = parsed.error.issues.map((i) => ({
    path: ['stream', ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw new ValidationError(
    `createMarketDataManager(): invalid stream options: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    issues,
  );
}
