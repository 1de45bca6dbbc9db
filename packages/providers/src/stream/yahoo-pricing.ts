import { ProviderError } from '@stockade/core';
import protobuf from 'protobufjs/light.js';

/**
 * One Yahoo streamer update, decoded. Only the fields present on the wire are set: Yahoo sends
 * what changed, so an absent field means "unchanged or unknown", never zero. Names follow the
 * fixture field table (yliveticker's); 64-bit integers are narrowed to numbers.
 */
export interface PricingData {
  /** 1: Yahoo symbol. */
  id: string;
  /** 2: last price (float32). */
  price?: number;
  /** 3: epoch ms. */
  time?: number;
  /** 4: quote currency. */
  currency?: string;
  /** 5: Yahoo exchange code. */
  exchange?: string;
  /** 6: quote type (8 equity, 9 index, 14 currency, 20 ETF, 41 crypto…). */
  quoteType?: number;
  /** 7: 0 pre-market, 1 regular, 2 post-market, 3 extended. */
  marketHours?: number;
  /** 8: change in percent. */
  changePercent?: number;
  /** 9: session volume. */
  dayVolume?: number;
  /** 10: session high. */
  dayHigh?: number;
  /** 11: session low. */
  dayLow?: number;
  /** 12: change against the previous close. */
  change?: number;
  /** 13: display name. */
  shortName?: string;
  /** 14: expiry. */
  expireDate?: number;
  /** 15: session open. */
  openPrice?: number;
  /** 16: previous close. */
  previousClose?: number;
  /** 17: option strike. */
  strikePrice?: number;
  /** 18: underlying. */
  underlyingSymbol?: string;
  /** 19: open interest. */
  openInterest?: number;
  /** 20: option type (sources disagree on its encoding; read as zigzag). */
  optionsType?: number;
  /** 21: mini option. */
  miniOption?: number;
  /** 22: last trade size (equal to dayVolume in real crypto messages). */
  lastSize?: number;
  /** 23: best bid. */
  bid?: number;
  /** 24: bid size. */
  bidSize?: number;
  /** 25: best ask. */
  ask?: number;
  /** 26: ask size. */
  askSize?: number;
  /** 27: decimals to show. */
  priceHint?: number;
  /** 28: 24-hour volume (crypto). */
  vol_24hr?: number;
  /** 29: 24-hour volume in all currencies (crypto). */
  volAllCurrencies?: number;
  /** 30: base currency of a crypto pair. */
  fromcurrency?: string;
  /** 31: venue of the last crypto price. */
  lastMarket?: string;
  /** 32: circulating supply (double). */
  circulatingSupply?: number;
  /** 33: market cap (double). */
  marketcap?: number;
}

// The field table of /work/shared/fixtures/stream/yahoo/pricing-data-fields.md, built with
// protobufjs' reflection API so the bundle needs no .proto file at run time.
const FIELDS: ReadonlyArray<[keyof PricingData, number, string]> = [
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
  ['shortName', 13, 'string'],
  ['expireDate', 14, 'sint64'],
  ['openPrice', 15, 'float'],
  ['previousClose', 16, 'float'],
  ['strikePrice', 17, 'float'],
  ['underlyingSymbol', 18, 'string'],
  ['openInterest', 19, 'sint64'],
  ['optionsType', 20, 'sint64'],
  ['miniOption', 21, 'sint64'],
  ['lastSize', 22, 'sint64'],
  ['bid', 23, 'float'],
  ['bidSize', 24, 'sint64'],
  ['ask', 25, 'float'],
  ['askSize', 26, 'sint64'],
  ['priceHint', 27, 'sint64'],
  ['vol_24hr', 28, 'sint64'],
  ['volAllCurrencies', 29, 'sint64'],
  ['fromcurrency', 30, 'string'],
  ['lastMarket', 31, 'string'],
  ['circulatingSupply', 32, 'double'],
  ['marketcap', 33, 'double'],
];

const PricingType = (() => {
  const type = new protobuf.Type('PricingData');
  for (const [name, id, kind] of FIELDS) type.add(new protobuf.Field(name, id, kind));
  new protobuf.Root().define('yahoo').add(type);
  type.root.resolveAll();
  return type;
})();

const LONG_FIELDS = new Set(FIELDS.filter(([, , kind]) => kind === 'sint64').map(([name]) => name));

/**
 * Decodes the bytes of one `PricingData` message (protobufjs; floats as float32, 64-bit integers
 * zigzag-decoded and narrowed to numbers).
 *
 * @throws {ProviderError} kind `bad_response` for bytes that are not such a message or lack the `id`.
 */
export function decodePricingData(bytes: Uint8Array, provider = 'yahoo'): PricingData {
  let message: protobuf.Message;
  try {
    message = PricingType.decode(bytes);
  } catch (err) {
    throw new ProviderError(`a pricing message does not decode (${bytes.length} bytes)`, {
      provider,
      kind: 'bad_response',
      operation: 'stream',
      cause: err,
    });
  }
  const out: Record<string, unknown> = {};
  // Own properties only: protobufjs puts defaults on the prototype, and absent must stay absent.
  for (const key of Object.keys(message)) {
    const v = (message as unknown as Record<string, unknown>)[key];
    out[key] = LONG_FIELDS.has(key as keyof PricingData) && typeof v === 'object' && v !== null ? toNumber(v) : v;
  }
  if (typeof out.id !== 'string' || out.id === '') {
    throw new ProviderError('a pricing message has no symbol id', {
      provider,
      kind: 'bad_response',
      operation: 'stream',
    });
  }
  return out as unknown as PricingData;
}

function toNumber(long: object): number {
  return (long as { toNumber(): number }).toNumber();
}
