import { ProviderError } from '@stockade/core';
import { decodePricingData, type PricingData } from './yahoo-pricing.js';

/** A decoded Yahoo frame: the update, and the sender's monotonic stamp when it carried one. */
export interface YahooFrame {
  /** The pricing update. */
  pricing: PricingData;
  /** The simulator's `hr` stamp (ns, decimal string), when present. */
  hr?: string;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes one Yahoo streamer frame: the v2 envelope `{"type":"pricing","message":"<base64>"}`, or
 * a legacy bare base64 `PricingData`. Envelopes of other types give `null` (ignored).
 *
 * @throws {ProviderError} kind `bad_response` for anything else.
 */
export function decodeYahooFrame(data: string | Uint8Array, provider = 'yahoo'): YahooFrame | null {
  const text = typeof data === 'string' ? data : Buffer.from(data).toString('utf8');
  const bad = (why: string, cause?: unknown) =>
    new ProviderError(`a stream frame ${why}`, { provider, kind: 'bad_response', operation: 'stream', cause });
  let b64: string;
  let hr: string | undefined;
  if (text.startsWith('{')) {
    let envelope: unknown;
    try {
      envelope = JSON.parse(text);
    } catch (err) {
      throw bad('starts like JSON but is not', err);
    }
    if (typeof envelope !== 'object' || envelope === null || Array.isArray(envelope)) throw bad('is not an envelope');
    const e = envelope as { type?: unknown; message?: unknown; hr?: unknown };
    if (e.type !== 'pricing') return null;
    if (typeof e.message !== 'string') throw bad('is a pricing envelope without a message');
    b64 = e.message;
    if (typeof e.hr === 'string') hr = e.hr;
  } else {
    b64 = text.trim();
  }
  if (b64.length % 4 !== 0 || !BASE64.test(b64)) throw bad('is not base64');
  const pricing = decodePricingData(Buffer.from(b64, 'base64'), provider);
  return hr === undefined ? { pricing } : { pricing, hr };
}
