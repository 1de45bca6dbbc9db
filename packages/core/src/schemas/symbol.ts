import { z } from 'zod';
import { ValidationError } from '../errors/errors.js';

/**
 * What kind of instrument a symbol names. Inferred from the symbol's grammar (and, for ETFs, a
 * list of well-known funds; an unlisted fund is reported as `equity`).
 */
export const AssetClass = z.enum(['equity', 'etf', 'index', 'crypto', 'fx']);
/** See {@link AssetClass}. */
export type AssetClass = z.infer<typeof AssetClass>;

/** Longest symbol accepted, in characters. */
export const MAX_SYMBOL_LENGTH = 32;

/** Quote currencies accepted on the right of a crypto pair (`BTC-USD`). */
export const CRYPTO_QUOTE_CURRENCIES: ReadonlySet<string> = new Set([
  'USD',
  'USDT',
  'USDC',
  'EUR',
  'GBP',
  'JPY',
  'CAD',
  'AUD',
  'BTC',
  'ETH',
]);

/**
 * Exchange suffixes (Yahoo's convention, which the canonical grammar adopts) and the exchange they
 * name. A one-letter suffix that is not listed here is a share class (`BRK.B`).
 */
export const EXCHANGE_SUFFIXES: Readonly<Record<string, string>> = {
  DE: 'XETRA',
  F: 'FRA',
  L: 'LSE',
  PA: 'EPA',
  AS: 'AMS',
  MI: 'MIL',
  MC: 'BME',
  SW: 'SIX',
  BR: 'EBR',
  VI: 'VIE',
  ST: 'STO',
  HE: 'HEL',
  CO: 'CPH',
  OL: 'OSL',
  TO: 'TSX',
  V: 'TSXV',
  NE: 'NEO',
  HK: 'HKEX',
  T: 'TSE',
  SS: 'SSE',
  SZ: 'SZSE',
  KS: 'KRX',
  KQ: 'KOSDAQ',
  TW: 'TWSE',
  AX: 'ASX',
  NZ: 'NZX',
  SI: 'SGX',
  BO: 'BSE',
  NS: 'NSE',
  SA: 'B3',
  MX: 'BMV',
  JO: 'JSE',
  IS: 'BIST',
  TA: 'TASE',
};

/** Well-known US-listed ETFs, so that `SPY` is reported as `etf` rather than `equity`. */
const KNOWN_ETFS: ReadonlySet<string> = new Set([
  'SPY',
  'QQQ',
  'IWM',
  'DIA',
  'VOO',
  'VTI',
  'IVV',
  'VEA',
  'VWO',
  'EFA',
  'EEM',
  'AGG',
  'BND',
  'TLT',
  'IEF',
  'SHY',
  'LQD',
  'HYG',
  'GLD',
  'SLV',
  'USO',
  'XLF',
  'XLK',
  'XLE',
  'XLV',
  'XLI',
  'XLY',
  'XLP',
  'XLU',
  'XLB',
  'XLRE',
  'XLC',
  'ARKK',
  'SMH',
  'SOXX',
  'VNQ',
  'VUG',
  'VTV',
  'SCHD',
  'VIG',
  'RSP',
]);

/** What the grammar learned from a canonical symbol. */
export interface SymbolInfo {
  /** The canonical form, e.g. `BRK.B`. */
  symbol: string;
  /** Its asset class. */
  assetClass: AssetClass;
  /** Root ticker without suffix (`BRK` for `BRK.B`, `WSU` for `WSU.DE`, `BTC` for `BTC-USD`). */
  root: string;
  /** Share class letter, for `BRK.B`. */
  shareClass?: string;
  /** Exchange suffix, for `WSU.DE`; absent for US listings. */
  exchangeSuffix?: string;
  /** Exchange the suffix names (`XETRA`), or `US` for unsuffixed equities and ETFs. */
  exchange?: string;
  /** Quote currency of a crypto or fx pair (`USD` for `BTC-USD`, `USD` for `EURUSD=X`). */
  quoteCurrency?: string;
  /** Base currency of a crypto or fx pair. */
  baseCurrency?: string;
}

const FORBIDDEN: ReadonlyArray<[RegExp, string]> = [
  [/\s/, 'whitespace'],
  [/\//, "'/'"],
  [/\\/, "'\\'"],
  [/\?/, "'?'"],
  [/&/, "'&'"],
  [/#/, "'#'"],
  [/%/, "'%'"],
  // biome-ignore lint/suspicious/noControlCharactersInRegex: rejecting control characters is the point
  [/[\u0000-\u001f\u007f]/, 'a control character'],
];

const GRAMMAR_HINT = 'use e.g. AAPL, BRK.B, WSU.DE (exchange suffix), BTC-USD (crypto), ^GSPC (index), EURUSD=X (fx)';

function describe(input: string): string {
  return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input);
}

/** Why `input` is not a valid symbol, or `null` if it is; `normalized` is the canonical form. */
function check(input: string): { error: string } | { info: SymbolInfo } {
  if (input.length === 0) return { error: 'Symbol is empty' };
  if (input.length > MAX_SYMBOL_LENGTH) {
    return {
      error: `Symbol ${describe(input)} is ${input.length} characters long; at most ${MAX_SYMBOL_LENGTH} are allowed`,
    };
  }
  for (const [pattern, what] of FORBIDDEN) {
    if (pattern.test(input))
      return { error: `Symbol ${describe(input)} contains ${what}, which no symbol may contain; ${GRAMMAR_HINT}` };
  }
  // Upper-casing maps a few non-ASCII letters onto ASCII ones ('ı' → 'I', 'ſ' → 'S', 'ﬀ' → 'FF'):
  // such input would silently name another instrument, so it is refused before.
  const foreign = /[^\x20-\x7e]/u.exec(input);
  if (foreign !== null) {
    return {
      error: `Symbol ${describe(input)} contains ${JSON.stringify(foreign[0])}, which is not ASCII; ${GRAMMAR_HINT}`,
    };
  }
  const s = input.toUpperCase();

  // Dots only between letters and digits (`^TA125.TA`): a root of dots alone (`^..`) names nothing.
  let m = /^\^(?=.{1,20}$)([A-Z0-9]+(?:\.[A-Z0-9]+)*)$/.exec(s);
  if (m) return { info: { symbol: s, assetClass: 'index', root: m[1] as string } };

  m = /^([A-Z]{3})([A-Z]{3})=X$/.exec(s);
  if (m) {
    return {
      info: {
        symbol: s,
        assetClass: 'fx',
        root: `${m[1]}${m[2]}`,
        baseCurrency: m[1] as string,
        quoteCurrency: m[2] as string,
      },
    };
  }

  m = /^([A-Z0-9]{1,12})-([A-Z]{1,5})$/.exec(s);
  if (m) {
    const [, base, quote] = m as unknown as [string, string, string];
    if (CRYPTO_QUOTE_CURRENCIES.has(quote)) {
      return { info: { symbol: s, assetClass: 'crypto', root: base, baseCurrency: base, quoteCurrency: quote } };
    }
    if (quote.length === 1) {
      // Yahoo writes share classes with a hyphen (BRK-B); the canonical form uses a dot.
      return check(`${base}.${quote}`);
    }
    return {
      error: `Symbol ${describe(input)} looks like a crypto pair but ${quote} is not a supported quote currency (${[...CRYPTO_QUOTE_CURRENCIES].join(', ')})`,
    };
  }

  m = /^([A-Z0-9]{1,12})(?:\.([A-Z0-9]{1,4}))?$/.exec(s);
  if (m) {
    const root = m[1] as string;
    const suffix = m[2];
    if (suffix === undefined) {
      return { info: { symbol: s, assetClass: KNOWN_ETFS.has(root) ? 'etf' : 'equity', root, exchange: 'US' } };
    }
    const exchange = EXCHANGE_SUFFIXES[suffix];
    if (exchange !== undefined) {
      return { info: { symbol: s, assetClass: 'equity', root, exchangeSuffix: suffix, exchange } };
    }
    if (/^[A-Z]$/.test(suffix)) {
      return { info: { symbol: s, assetClass: 'equity', root, shareClass: suffix, exchange: 'US' } };
    }
    return { info: { symbol: s, assetClass: 'equity', root, exchangeSuffix: suffix, exchange: 'unknown' } };
  }
  return { error: `Symbol ${describe(input)} does not follow the symbol grammar; ${GRAMMAR_HINT}` };
}

/**
 * Parses and normalizes a symbol in Stockade's canonical grammar, which every package speaks
 * (providers translate to and from their own dialects):
 *
 * | form | example | asset class |
 * | --- | --- | --- |
 * | ticker | `AAPL`, `SPY` | equity (etf for well-known funds) |
 * | ticker with share class | `BRK.B` (`BRK-B` is accepted and normalized) | equity |
 * | ticker with exchange suffix | `WSU.DE`, `VOD.L` | equity (listed abroad) |
 * | crypto pair | `BTC-USD` | crypto |
 * | index | `^GSPC` | index |
 * | fx pair | `EURUSD=X` | fx |
 *
 * Letters are upper-cased. Empty input, whitespace, `/`, `\`, `?`, `&`, `#`, `%`, control
 * characters and anything over 32 characters are rejected.
 *
 * @throws {ValidationError} naming the symbol and what is wrong with it.
 * @example
 * parseSymbol('brk-b') // → { symbol: 'BRK.B', assetClass: 'equity', root: 'BRK', shareClass: 'B', exchange: 'US' }
 */
export function parseSymbol(input: unknown): SymbolInfo {
  if (typeof input !== 'string') {
    throw new ValidationError(`Symbol must be a string, got ${input === null ? 'null' : typeof input}`, [
      { path: '', message: 'expected a string' },
    ]);
  }
  const r = check(input);
  if ('error' in r) throw new ValidationError(r.error, [{ path: '', message: r.error }]);
  return r.info;
}

/** Returns the canonical form of a symbol. @throws {ValidationError} when it is invalid. */
export function normalizeSymbol(input: unknown): string {
  return parseSymbol(input).symbol;
}

/** Returns the asset class of a canonical symbol. @throws {ValidationError} when it is invalid. */
export function assetClassOf(symbol: string): AssetClass {
  return parseSymbol(symbol).assetClass;
}

/**
 * The zod schema of a canonical symbol: accepts any valid spelling and outputs the canonical one.
 * (Named `SymbolSchema`, not `Symbol`, so that importing it does not shadow the global `Symbol`.)
 */
export const SymbolSchema = z.string().transform((value, ctx) => {
  const r = check(value);
  if ('error' in r) {
    ctx.addIssue({ code: 'custom', message: r.error });
    return z.NEVER;
  }
  return r.info.symbol;
});
/** A symbol in canonical form. */
export type CanonicalSymbol = z.output<typeof SymbolSchema>;
