import { readFileSync } from 'node:fs';
import { createMarketCalendar, ProviderError, Quote } from '@stockade/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeYahooFrame } from './yahoo-frames.js';
import { decodePricingData } from './yahoo-pricing.js';
import { mergePricing, quoteFromPricing } from './yahoo-quote.js';

const dir = new URL('../../../../../shared/fixtures/stream/yahoo/', import.meta.url);
const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as {
    frame: unknown;
    base64: string;
    decoded: Record<string, unknown>;
  };
const calendar = createMarketCalendar();

describe('Yahoo stream frames (the three real messages)', () => {
  it('decodes the legacy bare-base64 MSFT frame to the exact float32 and zigzag values', () => {
    const f = fixture('msft-2020-05-15-legacy-frame.json');
    const decoded = decodeYahooFrame(f.frame as string);
    expect(decoded?.pricing).toEqual({
      id: 'MSFT',
      price: 177.4199981689453,
      time: 1589554809000,
      exchange: 'NMS',
      quoteType: 8,
      marketHours: 1,
      changePercent: -1.7227057218551636,
      dayVolume: 10460764,
      dayHigh: 180.13360595703125,
      dayLow: 177.4199981689453,
      change: -3.1100006103515625,
      priceHint: 2,
    });
    expect(decoded?.pricing).toEqual(f.decoded);
  });

  it('decodes the v2 AAPL envelope, keeping the explicit pre-market 0 and reading priceHint as zigzag 2', () => {
    const f = fixture('aapl-2026-05-22-v2-envelope.json');
    const decoded = decodeYahooFrame(JSON.stringify(f.frame));
    expect(decoded?.pricing).toEqual({
      id: 'AAPL',
      price: 305.760009765625,
      time: 1779437422000,
      exchange: 'NMS',
      quoteType: 8,
      marketHours: 0,
      changePercent: 0.25247371196746826,
      change: 0.77001953125,
      priceHint: 2,
    });
    expect(decoded?.pricing).toEqual(f.decoded);
  });

  it('decodes the BTC-USD message with its crypto fields 28 to 33', () => {
    const f = fixture('btc-usd-2025-01-10-message.json');
    const decoded = decodeYahooFrame(JSON.stringify({ type: 'pricing', message: f.base64 }));
    expect(decoded?.pricing).toMatchObject({
      id: 'BTC-USD',
      price: 94745.078125,
      time: 1736509140000,
      currency: 'USD',
      exchange: 'CCC',
      quoteType: 41,
      marketHours: 1,
      dayVolume: 59712028672,
      lastSize: 59712028672,
      vol_24hr: 59712028672,
      volAllCurrencies: 59712028672,
      fromcurrency: 'BTC',
      circulatingSupply: 19808172,
      marketcap: 1876726640000,
      priceHint: 2,
    });
    expect(decoded?.pricing).toEqual(f.decoded);
  });

  it('turns the real messages into core quotes rounded by priceHint', () => {
    const btc = decodePricingData(Buffer.from(fixture('btc-usd-2025-01-10-message.json').base64, 'base64'));
    const q = quoteFromPricing(btc, {
      provider: 'yahoo',
      symbol: 'BTC-USD',
      currency: 'USD',
      receivedAt: 1736509141000,
      calendar,
    });
    expect(q).toMatchObject({
      price: 94745.08,
      change: 1431.89,
      changePercent: 1.534492,
      open: 92529.99,
      high: 95227.55,
      low: 92517.22,
      volume: 59712028672,
      currency: 'USD',
      exchange: 'CCC',
      marketState: 'regular',
      asOf: 1736509140000,
    });
    expect(Quote.parse(q)).toEqual(q);
    const aapl = decodePricingData(Buffer.from(fixture('aapl-2026-05-22-v2-envelope.json').base64, 'base64'));
    const pre = quoteFromPricing(aapl, {
      provider: 'yahoo',
      symbol: 'AAPL',
      currency: 'USD',
      receivedAt: 1779437423000,
      calendar,
    });
    expect(pre).toMatchObject({ price: 305.76, change: 0.77, marketState: 'pre', exchange: 'NMS' });
    expect(pre?.volume).toBeUndefined();
  });

  it('merges an update that carries only changed fields into the last known ones', () => {
    const first = decodePricingData(Buffer.from(fixture('msft-2020-05-15-legacy-frame.json').base64, 'base64'));
    const merged = mergePricing(mergePricing(undefined, first), { id: 'MSFT', price: 178.5, time: 1589554810000 });
    expect(merged).toMatchObject({ price: 178.5, time: 1589554810000, dayHigh: 180.13360595703125, exchange: 'NMS' });
  });

  it('ignores envelopes of other types', () => {
    expect(decodeYahooFrame('{"type":"heartbeat"}')).toBeNull();
  });

  it('fails arbitrary bytes and JSON with a bad_response error only', () => {
    const check = (data: string | Uint8Array) => {
      try {
        decodeYahooFrame(data);
      } catch (err) {
        expect(err).toBeInstanceOf(ProviderError);
        expect((err as ProviderError).kind).toBe('bad_response');
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), check), { numRuns: 1000 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => check(Buffer.from(b).toString('base64'))),
      {
        numRuns: 1000,
      },
    );
    fc.assert(fc.property(fc.json(), check), { numRuns: 500 });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (b) =>
        check(JSON.stringify({ type: 'pricing', message: Buffer.from(b).toString('base64') })),
      ),
      { numRuns: 1000 },
    );
  });
});
