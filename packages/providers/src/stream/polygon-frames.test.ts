import { readFileSync } from 'node:fs';
import { Bar, createMarketCalendar, ProviderError, Quote, Trade } from '@stockade/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barEvent, quoteEvent, tradeEvent } from './polygon-events.js';
import {
  decodePolygonFrame,
  type PolygonAggregateMessage,
  type PolygonQuoteMessage,
  type PolygonTradeMessage,
} from './polygon-frames.js';

const dir = new URL('../../../../../shared/fixtures/stream/polygon/', import.meta.url);
const frame = (name: string) => decodePolygonFrame(readFileSync(new URL(name, dir), 'utf8'), 'polygon');
const calendar = createMarketCalendar();
const ctx = (symbol: string) => ({
  provider: 'polygon',
  symbol,
  receivedAt: Date.parse('2026-03-10T15:00:00Z'),
  stamps: undefined,
  delayed: false,
  calendar,
  lastTradePrice: undefined,
});

describe('Polygon stream frames (real recorded messages)', () => {
  it('reads every status message by its status word', () => {
    const statuses = [
      ['status-connected.json', 'connected', 'Connected Successfully'],
      ['auth-success.json', 'auth_success', 'authenticated'],
      ['auth-failed.json', 'auth_failed', 'authentication failed'],
      ['auth-timeout.json', 'auth_timeout', 'No authentication request received.'],
      ['max-connections.json', 'max_connections', 'Maximum number of connections exceeded.'],
      ['subscribed.json', 'success', 'subscribed to: T.MSFT'],
      ['unsubscribed.json', 'success', 'unsubscribed to: T.MSFT'],
    ];
    for (const [file, status, message] of statuses) {
      expect(frame(file as string)).toEqual({ messages: [{ ev: 'status', status, message }], invalid: [] });
    }
  });

  it('turns the reported T.* frame into four trades, keeping the two distinct trades that share a sequence number', () => {
    const { messages } = frame('trades.json');
    const trades = messages.map((m) => tradeEvent(m as PolygonTradeMessage, ctx((m as PolygonTradeMessage).sym)));
    expect(
      trades.map((t) => [t?.trade.symbol, t?.trade.price, t?.trade.size, t?.sequence, t?.trade.conditions]),
    ).toEqual([
      ['TCEHY', 48.06, 100, 130924, undefined],
      ['TCEHY', 48.06, 100, 130924, undefined],
      ['VWAGY', 16.695, 30, 143015, [37]],
      ['VWAGY', 16.7, 1, 143015, [37]],
    ]);
    expect(trades[0]?.trade).toEqual({
      symbol: 'TCEHY',
      price: 48.06,
      size: 100,
      exchange: 62,
      t: 1679590840534,
      provider: 'polygon',
    });
    for (const t of trades) expect(Trade.parse(t?.trade)).toEqual(t?.trade);
  });

  it('reads the client-mock frame with Python spacing and the doc sample', () => {
    const mock = frame('trades-client-mock-frame.json').messages as PolygonTradeMessage[];
    expect(mock.map((m) => [m.sym, m.i, m.p, m.s, m.c, m.q])).toEqual([
      ['AMZN', '72815', 161.87, 1, [14, 37, 41], 4009408],
      ['AMZN', '799', 161.87, 100, undefined, 4009434],
    ]);
    const doc = frame('trades-doc-sample.json').messages[0] as PolygonTradeMessage;
    expect(tradeEvent(doc, ctx('MSFT'))?.trade).toEqual({
      symbol: 'MSFT',
      price: 114.125,
      size: 100,
      exchange: 4,
      conditions: [0, 12],
      t: 1536036818784,
      provider: 'polygon',
    });
  });

  it('turns NBBO quotes into core quotes, with or without conditions', () => {
    const real = quoteEvent(frame('quotes.json').messages[0] as PolygonQuoteMessage, ctx('AAPL'));
    expect(real?.quote).toMatchObject({
      symbol: 'AAPL',
      bid: 125.8,
      ask: 125.84,
      bidSize: 26,
      askSize: 1,
      asOf: 1614029108595,
    });
    expect(real?.quote.price).toBeCloseTo(125.82, 10);
    expect(real?.sequence).toBeUndefined();
    const doc = quoteEvent(frame('quotes-doc-sample.json').messages[0] as PolygonQuoteMessage, {
      ...ctx('MSFT'),
      lastTradePrice: 114.125,
    });
    expect(doc?.quote).toMatchObject({ price: 114.125, bid: 114.125, ask: 114.128, bidSize: 100, askSize: 160 });
    expect(doc?.sequence).toBe(50385480);
    for (const q of [real, doc]) expect(Quote.parse(q?.quote)).toEqual(q?.quote);
  });

  it('turns minute and second aggregates into bars, accepting the undocumented n', () => {
    const am = barEvent(frame('minute-aggs.json').messages[0] as PolygonAggregateMessage, ctx('MSFT'));
    expect(am).toMatchObject({ interval: '1m', symbol: 'MSFT' });
    expect(am?.bar).toEqual({
      t: 1598540460000,
      sessionDate: '2020-08-27',
      o: 229.6973,
      h: 230.07,
      l: 229.695,
      c: 230.0338,
      v: 218283,
      vwap: 229.9473,
      trades: 1,
    });
    const a = barEvent(frame('second-aggs.json').messages[0] as PolygonAggregateMessage, ctx('RKT'));
    expect(a?.interval).toBe('1s');
    expect(a?.bar).toMatchObject({
      t: 1614371820000,
      sessionDate: '2021-02-26',
      o: 21.805,
      c: 21.805,
      v: 241,
      vwap: 21.805,
    });
    for (const file of ['minute-aggs-doc-sample.json', 'second-aggs-doc-sample.json']) {
      const m = frame(file).messages[0] as PolygonAggregateMessage;
      const b = barEvent(m, ctx(m.sym));
      expect(Bar.parse(b?.bar)).toEqual(b?.bar);
    }
  });

  it('skips elements with wrong field types and keeps the rest of the frame', () => {
    const f = decodePolygonFrame(
      '[{"ev":"T","sym":"AAPL","p":"1.5"},{"ev":"T","sym":"AAPL","p":1.5,"s":3},7]',
      'polygon',
    );
    expect(f.messages).toHaveLength(1);
    expect(f.invalid).toEqual(['element 0: T.p is not a number', 'element 2: not an object']);
  });

  it('fails any input that is not a JSON array with a bad_response error only', () => {
    const check = (text: string) => {
      try {
        const f = decodePolygonFrame(text, 'polygon');
        for (const m of f.messages) {
          if (m.ev === 'T') tradeEvent(m as PolygonTradeMessage, ctx('AAPL'));
          if (m.ev === 'Q') quoteEvent(m as PolygonQuoteMessage, ctx('AAPL'));
          if (m.ev === 'AM' || m.ev === 'A') barEvent(m as PolygonAggregateMessage, ctx('AAPL'));
        }
      } catch (err) {
        expect(err).toBeInstanceOf(ProviderError);
        expect((err as ProviderError).kind).toBe('bad_response');
      }
    };
    fc.assert(fc.property(fc.string(), check), { numRuns: 500 });
    fc.assert(fc.property(fc.json(), check), { numRuns: 500 });
    const event = fc.record(
      {
        ev: fc.constantFrom('T', 'Q', 'AM', 'A', 'status', 'LULD'),
        sym: fc.oneof(fc.string(), fc.integer()),
        p: fc.oneof(fc.double(), fc.string()),
        s: fc.oneof(fc.integer(), fc.double()),
        o: fc.double(),
        h: fc.double(),
        l: fc.double(),
        c: fc.oneof(fc.double(), fc.array(fc.integer())),
        t: fc.oneof(fc.integer(), fc.double()),
        status: fc.string(),
      },
      { requiredKeys: ['ev'] },
    );
    fc.assert(
      fc.property(fc.array(event), (events) => check(JSON.stringify(events))),
      { numRuns: 500 },
    );
  });
});
