import { ProviderError } from '@stockade/core';

/** A control message (`ev: "status"`): `connected`, `auth_success`, `success`, `max_connections`… */
export interface PolygonStatusMessage {
  /** Discriminant. */
  ev: 'status';
  /** The status word; dispatch on it, never on `message`. */
  status: string;
  /** The server's words ("" when absent). */
  message: string;
}

/** A trade (`T`); every field but `ev` and `sym` may be absent. */
export interface PolygonTradeMessage {
  /** Discriminant. */
  ev: 'T';
  /** Ticker. */
  sym: string;
  /** Price. */
  p?: number;
  /** Size, shares. */
  s?: number;
  /** Size as a decimal string (fractional shares). */
  ds?: string;
  /** Exchange id. */
  x?: number;
  /** Trade id. */
  i?: string;
  /** Condition ids. */
  c?: number[];
  /** SIP time, epoch ms. */
  t?: number;
  /** Sequence number. */
  q?: number;
  /** Tape. */
  z?: number;
  /** The simulator's monotonic frame stamp (ns, decimal string), when asked for. */
  hr?: string;
}

/** An NBBO quote (`Q`); every field but `ev` and `sym` may be absent. */
export interface PolygonQuoteMessage {
  /** Discriminant. */
  ev: 'Q';
  /** Ticker. */
  sym: string;
  /** Bid exchange id. */
  bx?: number;
  /** Bid price. */
  bp?: number;
  /** Bid size (round lots per the spec). */
  bs?: number;
  /** Ask exchange id. */
  ax?: number;
  /** Ask price. */
  ap?: number;
  /** Ask size (round lots per the spec). */
  as?: number;
  /** Condition. */
  c?: number;
  /** Indicators. */
  i?: number[];
  /** SIP time, epoch ms. */
  t?: number;
  /** Sequence number. */
  q?: number;
  /** Tape. */
  z?: number;
  /** The simulator's monotonic frame stamp. */
  hr?: string;
}

/** A minute (`AM`) or second (`A`) aggregate; every field but `ev` and `sym` may be absent. */
export interface PolygonAggregateMessage {
  /** Discriminant. */
  ev: 'AM' | 'A';
  /** Ticker. */
  sym: string;
  /** Window volume. */
  v?: number;
  /** Volume today so far. */
  av?: number;
  /** Today's official open. */
  op?: number;
  /** Window VWAP. */
  vw?: number;
  /** Window open. */
  o?: number;
  /** Window close. */
  c?: number;
  /** Window high. */
  h?: number;
  /** Window low. */
  l?: number;
  /** Today's VWAP. */
  a?: number;
  /** Average trade size in the window. */
  z?: number;
  /** Window start, epoch ms. */
  s?: number;
  /** Window end, epoch ms. */
  e?: number;
  /** Trades in the window (undocumented, seen live). */
  n?: number;
  /** The simulator's monotonic frame stamp. */
  hr?: string;
}

/** A data event of a type this client does not use (`LULD`, `NOI`, `FMV`…): skipped. */
export interface PolygonOtherMessage {
  /** Its `ev`. */
  ev: string;
  /** Ticker, when present. */
  sym?: string;
}

/** One element of a Polygon / Massive stream frame. */
export type PolygonMessage =
  | PolygonStatusMessage
  | PolygonTradeMessage
  | PolygonQuoteMessage
  | PolygonAggregateMessage
  | PolygonOtherMessage;

/** A decoded frame: the elements that made sense, and why the others did not. */
export interface PolygonFrame {
  /** Usable elements, in frame order. */
  messages: PolygonMessage[];
  /** One reason per element that was skipped (empty for a clean frame). */
  invalid: string[];
}

const NUMBER_FIELDS: Readonly<Record<string, readonly string[]>> = {
  T: ['p', 's', 'x', 't', 'q', 'z', 'trfi', 'trft'],
  Q: ['bx', 'bp', 'bs', 'ax', 'ap', 'as', 'c', 't', 'q', 'z'],
  AM: ['v', 'av', 'op', 'vw', 'o', 'c', 'h', 'l', 'a', 'z', 's', 'e', 'n'],
  A: ['v', 'av', 'op', 'vw', 'o', 'c', 'h', 'l', 'a', 'z', 's', 'e', 'n'],
};
const STRING_FIELDS: Readonly<Record<string, readonly string[]>> = {
  T: ['i', 'ds', 'hr'],
  Q: ['hr'],
  AM: ['hr', 'dv', 'dav'],
  A: ['hr', 'dv', 'dav'],
};
const INT_ARRAY_FIELDS: Readonly<Record<string, string>> = { T: 'c', Q: 'i' };
const NO_REASONS: string[] = [];

/**
 * Decodes one server frame of the Polygon / Massive stocks WebSocket: a JSON array whose
 * elements are status messages and data events, dispatched on `ev`. Elements of a known type
 * whose fields have the wrong JSON type are skipped with a reason; unknown fields are accepted.
 *
 * @throws {ProviderError} kind `bad_response` when the frame is not a JSON array.
 */
export function decodePolygonFrame(text: string, provider: string): PolygonFrame {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ProviderError(`a stream frame is not JSON (${text.length} bytes)`, {
      provider,
      kind: 'bad_response',
      operation: 'stream',
      cause: err,
    });
  }
  if (!Array.isArray(parsed)) {
    throw new ProviderError(`a stream frame is not a JSON array but ${parsed === null ? 'null' : typeof parsed}`, {
      provider,
      kind: 'bad_response',
      operation: 'stream',
    });
  }
  const messages: PolygonMessage[] = [];
  let invalid = NO_REASONS;
  for (let n = 0; n < parsed.length; n++) {
    const el: unknown = parsed[n];
    const reason = problemOf(el);
    if (reason === undefined) {
      messages.push(el as PolygonMessage);
    } else {
      if (invalid === NO_REASONS) invalid = [];
      invalid.push(`element ${n}: ${reason}`);
    }
  }
  return { messages, invalid };
}

function problemOf(el: unknown): string | undefined {
  if (typeof el !== 'object' || el === null || Array.isArray(el)) return 'not an object';
  const o = el as Record<string, unknown>;
  const ev = o.ev;
  if (typeof ev !== 'string') return 'no ev';
  if (ev === 'status') {
    if (typeof o.status !== 'string') return 'a status message without a status';
    if (o.message !== undefined && typeof o.message !== 'string') return 'a status message whose message is not text';
    if (o.message === undefined) o.message = '';
    return undefined;
  }
  const numbers = NUMBER_FIELDS[ev];
  if (numbers === undefined) return o.sym === undefined || typeof o.sym === 'string' ? undefined : 'sym is not text';
  if (typeof o.sym !== 'string' || o.sym === '') return `a ${ev} event without sym`;
  for (const f of numbers) {
    const v = o[f];
    if (v !== undefined && typeof v !== 'number') return `${ev}.${f} is not a number`;
  }
  for (const f of STRING_FIELDS[ev] ?? []) {
    const v = o[f];
    if (v !== undefined && typeof v !== 'string') return `${ev}.${f} is not text`;
  }
  const arrayField = INT_ARRAY_FIELDS[ev];
  if (arrayField !== undefined) {
    const v = o[arrayField];
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => Number.isInteger(x)))) {
      return `${ev}.${arrayField} is not a list of integers`;
    }
  }
  return undefined;
}
