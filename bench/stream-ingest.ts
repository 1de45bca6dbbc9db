/**
 * Part (a) of bench/stream.bench.ts: ingest throughput of stream frames in one process, no socket.
 *
 *   Polygon — ours: `decodePolygonFrame` (JSON.parse + per-element checks) and, per event, what the
 *             adapter's frame handler does next: ticker → canonical lookup, the repeat check on
 *             (q, id, t), and normalization to core's Trade / Quote with the adapter's own
 *             `tradeEvent` / `quoteEvent` (internal module, imported from source), then a listener
 *             call. Floor: `JSON.parse` of the same bytes and a loop reading `ev`, `sym` and the price.
 *   Yahoo   — ours: `decodeYahooFrame` (envelope, base64, protobufjs decode of `PricingData`),
 *             `mergePricing` and `quoteFromPricing` (internal). Floor: `JSON.parse` of the
 *             envelope, base64 and a bare protobufjs `Type.decode` of the same bytes.
 *
 * Frames are built like the real fixtures in /work/shared/fixtures/stream (the field sets of
 * trades.json, quotes-doc-sample.json; Yahoo: the full field set first, then changed fields only).
 */
import { createMarketCalendar } from '@stockade/core';
import { decodePolygonFrame, decodeYahooFrame, type PolygonMessage } from '@stockade/providers';
import protobuf from 'protobufjs/light.js';
import { quoteEvent, tradeEvent } from '../packages/providers/src/stream/polygon-events.js';
import type { PricingData } from '../packages/providers/src/stream/yahoo-pricing.js';
import { mergePricing, quoteFromPricing } from '../packages/providers/src/stream/yahoo-quote.js';
import { benchTickers } from './stream-tickers.js';

/** Events per second, ours and the floor's, for one format. */
export interface IngestFigures {
  ours: number;
  floor: number;
}

const calendar = createMarketCalendar();
let sink = 0;

/** Polygon frames of `perFrame` events (half trades, half quotes) over `symbols` tickers. */
export function polygonFrames(count: number, perFrame: number, symbols: number): string[] {
  const tickers = benchTickers(symbols);
  const seq = new Map<string, number>();
  let tradeId = 1_000_000;
  let t = Date.parse('2026-03-10T15:00:00Z');
  const frames: string[] = [];
  let k = 0;
  for (let f = 0; f < count; f++) {
    const events: Record<string, unknown>[] = [];
    for (let e = 0; e < perFrame; e++, k++) {
      const sym = tickers[k % tickers.length] as string;
      const q = (seq.get(sym) ?? 130_000) + 1 + (k % 3);
      seq.set(sym, q);
      const p = Math.round((50 + (k % 97) + Math.sin(k) * 0.5) * 100) / 100;
      t += k % 4 === 0 ? 1 : 0;
      if (k % 2 === 0) {
        const ev: Record<string, unknown> = {
          ev: 'T',
          sym,
          i: String(++tradeId).padStart(8, '0'),
          x: 62,
          p,
          s: 1 + (k % 300),
          t,
          q,
          z: 3,
        };
        if (k % 5 === 0) ev.c = [37];
        events.push(ev);
      } else {
        events.push({
          ev: 'Q',
          sym,
          bx: 11,
          ax: 15,
          bp: Math.round((p - 0.02) * 100) / 100,
          ap: Math.round((p + 0.02) * 100) / 100,
          bs: 26,
          as: 1,
          t,
          q,
          z: 3,
        });
      }
    }
    frames.push(JSON.stringify(events));
  }
  return frames;
}

/** Ours: the Polygon adapter's per-frame path (see the file comment). */
export function ingestPolygon(frames: readonly string[], tickers: ReadonlyMap<string, string>): number {
  const lastTrade = new Map<string, { q: number | undefined; i: string | undefined; t: number | undefined }>();
  const lastPrice = new Map<string, number>();
  let events = 0;
  const listener = (price: number) => {
    sink += price;
    events++;
  };
  for (const text of frames) {
    const frame = decodePolygonFrame(text, 'polygon');
    const receivedAt = Date.now();
    for (const m of frame.messages) {
      if (m.ev === 'status') continue;
      const sym = (m as { sym?: string }).sym;
      if (sym === undefined) continue;
      const symbol = tickers.get(sym);
      if (symbol === undefined) continue;
      const ctx = {
        provider: 'polygon',
        symbol,
        receivedAt,
        stamps: undefined,
        delayed: false,
        calendar,
        lastTradePrice: lastPrice.get(sym),
      };
      if (m.ev === 'T') {
        const tm = m as Extract<PolygonMessage, { ev: 'T' }>;
        const seen = lastTrade.get(sym);
        if (seen !== undefined && tm.q !== undefined && seen.q === tm.q && seen.i === tm.i && seen.t === tm.t) continue;
        const e = tradeEvent(tm, ctx);
        if (e === undefined) continue;
        if (seen === undefined) lastTrade.set(sym, { q: tm.q, i: tm.i, t: tm.t });
        else {
          seen.q = tm.q;
          seen.i = tm.i;
          seen.t = tm.t;
        }
        lastPrice.set(sym, e.trade.price);
        listener(e.trade.price);
      } else if (m.ev === 'Q') {
        const e = quoteEvent(m as Extract<PolygonMessage, { ev: 'Q' }>, ctx);
        if (e !== undefined) listener(e.quote.price);
      }
    }
  }
  return events;
}

/** Floor: JSON.parse and iteration of the same bytes. */
export function floorPolygon(frames: readonly string[]): number {
  let events = 0;
  for (const text of frames) {
    const arr = JSON.parse(text) as Array<{ ev: string; sym?: string; p?: number; bp?: number }>;
    for (let i = 0; i < arr.length; i++) {
      const e = arr[i] as { ev: string; sym?: string; p?: number; bp?: number };
      if (e.ev === 'status' || e.sym === undefined) continue;
      sink += e.p ?? e.bp ?? 0;
      events++;
    }
  }
  return events;
}

// The field table of the fixtures' pricing-data-fields.md (the subset the simulator and Yahoo send
// for equities), for encoding the frames and for the floor's bare decode.
const PRICING_FIELDS: ReadonlyArray<[string, number, string]> = [
  ['id', 1, 'string'],
  ['price', 2, 'float'],
  ['time', 3, 'sint64'],
  ['currency', 4, 'string'],
  ['exchange', 5, 'string'],
  ['quoteType', 6, 'int32'],
  ['marketHours', 7, 'int32'],
  ['changePercent', 8, 'float'],
  ['dayVolume', 9, 'sint64'],
  ['dayHigh', 10, 'float'],
  ['dayLow', 11, 'float'],
  ['change', 12, 'float'],
  ['openPrice', 15, 'float'],
  ['previousClose', 16, 'float'],
  ['priceHint', 27, 'sint64'],
];
const Pricing = (() => {
  const type = new protobuf.Type('PricingData');
  for (const [name, id, kind] of PRICING_FIELDS) type.add(new protobuf.Field(name, id, kind));
  new protobuf.Root().define('bench').add(type);
  type.root.resolveAll();
  return type;
})();

/** Yahoo v2 envelopes: for each symbol the full field set first, then price/time/volume/change only. */
export function yahooFrames(count: number, symbols: number): string[] {
  const tickers = benchTickers(symbols);
  const frames: string[] = [];
  const t0 = Date.parse('2026-03-10T15:00:00Z');
  for (let k = 0; k < count; k++) {
    const id = tickers[k % tickers.length] as string;
    const price = Math.fround(50 + (k % 97) + Math.sin(k) * 0.5);
    const prev = Math.fround(50 + (k % 97));
    const fields: Record<string, unknown> =
      k < tickers.length
        ? {
            id,
            price,
            time: t0 + k * 10,
            currency: 'USD',
            exchange: 'NMS',
            quoteType: 8,
            marketHours: 1,
            changePercent: Math.fround(((price - prev) / prev) * 100),
            dayVolume: 1_000_000 + k,
            dayHigh: Math.fround(price + 1),
            dayLow: Math.fround(price - 1),
            change: Math.fround(price - prev),
            openPrice: prev,
            previousClose: prev,
            priceHint: 2,
          }
        : {
            id,
            price,
            time: t0 + k * 10,
            changePercent: Math.fround(((price - prev) / prev) * 100),
            dayVolume: 1_000_000 + k,
            change: Math.fround(price - prev),
          };
    const b64 = Buffer.from(Pricing.encode(Pricing.fromObject(fields)).finish()).toString('base64');
    frames.push(JSON.stringify({ type: 'pricing', message: b64 }));
  }
  return frames;
}

/** Ours: decodeYahooFrame, merge, quote (the Yahoo adapter's per-frame path). */
export function ingestYahoo(frames: readonly string[], tickers: ReadonlyMap<string, string>): number {
  const known = new Map<string, PricingData>();
  let events = 0;
  const receivedAt = Date.now();
  for (const text of frames) {
    const frame = decodeYahooFrame(text, 'yahoo');
    if (frame === null) continue;
    const symbol = tickers.get(frame.pricing.id);
    if (symbol === undefined) continue;
    const merged = mergePricing(known.get(frame.pricing.id), frame.pricing);
    known.set(frame.pricing.id, merged);
    const q = quoteFromPricing(merged, { provider: 'yahoo', symbol, currency: 'USD', receivedAt, calendar });
    if (q === undefined) continue;
    sink += q.price;
    events++;
  }
  return events;
}

/** Floor: JSON.parse of the envelope, base64, bare protobufjs decode. */
export function floorYahoo(frames: readonly string[]): number {
  let events = 0;
  for (const text of frames) {
    const env = JSON.parse(text) as { type: string; message: string };
    const m = Pricing.decode(Buffer.from(env.message, 'base64')) as unknown as { price?: number };
    sink += m.price ?? 0;
    events++;
  }
  return events;
}

/** Runs `fn` over `frames` repeatedly for about `ms`; returns events per second. */
function rate(fn: () => number, ms: number): number {
  const start = performance.now();
  let events = 0;
  let elapsed = 0;
  do {
    events += fn();
    elapsed = performance.now() - start;
  } while (elapsed < ms);
  return (events / elapsed) * 1000;
}

/** Alternates ours and the floor `rounds` times, `ms` each; keeps each side's median. */
export function compare(ours: () => number, floor: () => number, rounds = 5, ms = 600): IngestFigures {
  ours();
  floor(); // warm both up (JIT) before timing
  const o: number[] = [];
  const f: number[] = [];
  for (let r = 0; r < rounds; r++) {
    o.push(rate(ours, ms));
    f.push(rate(floor, ms));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
  if (sink === 42) console.log('');
  return { ours: median(o), floor: median(f) };
}
