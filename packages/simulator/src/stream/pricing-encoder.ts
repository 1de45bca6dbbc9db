import protobuf from 'protobufjs/minimal.js';

/** The fields of Yahoo's `PricingData` the simulator sends (numbers from the fixture field table). */
export interface PricingFields {
  /** 1 string: Yahoo symbol. */
  id: string;
  /** 2 float: last price. */
  price?: number;
  /** 3 sint64: epoch ms. */
  time?: number;
  /** 4 string. */
  currency?: string;
  /** 5 string. */
  exchange?: string;
  /** 6 int32: quote type (8 equity, 41 crypto…). */
  quoteType?: number;
  /** 7 int32: 0 pre, 1 regular, 2 post, 3 extended. */
  marketHours?: number;
  /** 8 float. */
  changePercent?: number;
  /** 9 sint64. */
  dayVolume?: number;
  /** 10 float. */
  dayHigh?: number;
  /** 11 float. */
  dayLow?: number;
  /** 12 float. */
  change?: number;
  /** 15 float. */
  openPrice?: number;
  /** 16 float. */
  previousClose?: number;
  /** 27 sint64. */
  priceHint?: number;
}

const FLOATS: ReadonlyArray<[keyof PricingFields, number]> = [
  ['price', 2],
  ['changePercent', 8],
  ['dayHigh', 10],
  ['dayLow', 11],
  ['change', 12],
  ['openPrice', 15],
  ['previousClose', 16],
];

/**
 * Encodes a `PricingData` message the way Yahoo's streamer does: only the fields given, floats as
 * float32, integers zigzag (sint64) except quote type and market hours. Returns base64.
 */
export function encodePricing(f: PricingFields): string {
  const w = protobuf.Writer.create();
  w.uint32((1 << 3) | 2).string(f.id);
  const float = (n: number | undefined, field: number) => {
    if (n !== undefined) w.uint32((field << 3) | 5).float(n);
  };
  const sint = (n: number | undefined, field: number) => {
    if (n !== undefined) w.uint32((field << 3) | 0).sint64(n);
  };
  const str = (s: string | undefined, field: number) => {
    if (s !== undefined) w.uint32((field << 3) | 2).string(s);
  };
  float(f.price, 2);
  sint(f.time, 3);
  str(f.currency, 4);
  str(f.exchange, 5);
  if (f.quoteType !== undefined) w.uint32(6 << 3).int32(f.quoteType);
  if (f.marketHours !== undefined) w.uint32(7 << 3).int32(f.marketHours);
  for (const [key, field] of FLOATS) if (key !== 'price') float(f[key] as number | undefined, field);
  sint(f.dayVolume, 9);
  sint(f.priceHint, 27);
  return Buffer.from(w.finish()).toString('base64');
}
