import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { FUZZ_RUNS, fuzzReport, tally } from '../../../../test/reliability/fuzz-report.js';
import { ValidationError } from '../errors/errors.js';
import { MAX_SYMBOL_LENGTH, parseSymbol, type SymbolInfo, SymbolSchema } from './symbol.js';

const report = fuzzReport('core/symbols');
afterAll(() => report.write());
const timeout = FUZZ_RUNS * 20;

const tickers = fc.constantFrom('AAPL', 'BRK.B', 'WSU.DE', 'BTC-USD', '^GSPC', 'EURUSD=X', 'SPY', '^TA125.TA');
// What a hostile or careless caller puts in a symbol: path traversal, CRLF header injection,
// query injection, template and SQL injection, encodings, homoglyphs, invisible characters.
const injections = fc.constantFrom(
  '../',
  '..',
  '.',
  '/..',
  '%2e%2e%2f',
  '%2F',
  '\r\nX-Injected: 1',
  '\n',
  '?apikey=stolen',
  '&symbols=MSFT',
  '#frag',
  '${jndi:ldap://x}',
  "'; DROP TABLE quotes;--",
  '<script>',
  '\u0000',
  '\u200b',
  '\u202e',
  'ı',
  'ſ',
  'ﬀ',
  'ß',
  'А',
  '＾',
  '=X',
  '-',
  '^',
  '..TA',
  ' ',
);
const symbolLike = fc.oneof(
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  { weight: 2, arbitrary: fc.stringMatching(/^[\^]?[A-Za-z0-9.\-=^:]{0,34}$/) },
  // Well-formed symbols in any case, so the accepting side is exercised as much as the refusing one.
  { weight: 2, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,6}([.-][A-Za-z]{1,2})?$/) },
  {
    weight: 1,
    arbitrary: fc.stringMatching(
      /^(\^[A-Za-z0-9]{1,8}(\.[A-Za-z]{1,3})?|[A-Za-z]{6}=[Xx]|[A-Za-z]{2,5}-(usd|USDT|eur|btc))$/,
    ),
  },
  {
    weight: 3,
    arbitrary: fc
      .tuple(tickers, injections, fc.boolean())
      .map(([t, bad, before]) => (before ? `${bad}${t}` : `${t}${bad}`)),
  },
  { weight: 1, arbitrary: fc.array(injections, { minLength: 1, maxLength: 3 }).map((a) => a.join('')) },
);

function checkAccepted(input: string, info: SymbolInfo): void {
  // The canonical form is the input upper-cased, in ASCII, within the length limit, and a fixed point.
  expect(info.symbol).toBe(input.toUpperCase().replace(/^([A-Z0-9]{1,12})-([A-Z])$/, '$1.$2'));
  expect(info.symbol).toMatch(/^[A-Z0-9.\-=^]+$/);
  expect(info.symbol.length).toBeLessThanOrEqual(MAX_SYMBOL_LENGTH);
  // No empty segment: nothing a URL could read as a dot-segment or a separator.
  expect(info.symbol).not.toMatch(/\.\.|^\^?[.\-=]|[.-]$/);
  expect(parseSymbol(info.symbol)).toEqual(info);
  for (const [k, v] of Object.entries(info)) expect(v, `field ${k}`).not.toBeUndefined();
  expect(info.root.length).toBeGreaterThan(0);
}

function checkRefused(err: unknown, input: unknown): void {
  expect(err).toBeInstanceOf(ValidationError);
  const e = err as ValidationError;
  expect(e.message).toMatch(/^Symbol /);
  expect(e.issues.length).toBeGreaterThan(0);
  // The message names the symbol (cut at 40 characters) so the caller sees which one was refused,
  // unless it looks like it carries a secret (`?apikey=…`), which errors redact.
  if (typeof input === 'string' && input.length > 0 && input.length <= 40 && !/key|token|secret|pass|=/i.test(input))
    expect(e.message).toContain(JSON.stringify(input));
}

describe('symbol validation under arbitrary input', () => {
  it('accepts only canonical, ASCII, URL-safe symbols and refuses the rest with a ValidationError that names them', {
    timeout,
  }, async () => {
    await report.measure('parseSymbol(string)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.property(symbolLike, (input) => {
          let info: SymbolInfo;
          try {
            info = parseSymbol(input);
          } catch (err) {
            checkRefused(err, input);
            tally(outcomes, 'ValidationError');
            return;
          }
          checkAccepted(input, info);
          tally(outcomes, `accepted ${info.assetClass}`);
          // The zod schema at the package edges agrees with parseSymbol.
          expect(SymbolSchema.safeParse(input)).toEqual({ success: true, data: info.symbol });
        }),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('refuses every non-string with a ValidationError saying a string was expected', { timeout }, async () => {
    await report.measure('parseSymbol(anything)', FUZZ_RUNS, (outcomes) =>
      fc.assert(
        fc.property(
          fc.anything().filter((v) => typeof v !== 'string'),
          (input) => {
            expect(() => parseSymbol(input)).toThrow(/^Symbol must be a string, got /);
            expect(SymbolSchema.safeParse(input).success).toBe(false);
            tally(outcomes, 'ValidationError');
          },
        ),
        { numRuns: FUZZ_RUNS },
      ),
    );
  });

  it('refuses symbols whose upper case would name another, ASCII instrument', () => {
    for (const input of ['ıbm', 'aſx', 'ﬀ', 'straße']) expect(() => parseSymbol(input)).toThrow(/not ASCII/);
  });

  it('refuses an index made of dots alone and keeps dotted index names', () => {
    for (const input of ['^.', '^..', '^.GSPC', '^GSPC.', '^A..B'])
      expect(() => parseSymbol(input)).toThrow(ValidationError);
    expect(parseSymbol('^TA125.TA').symbol).toBe('^TA125.TA');
  });
});
