/**
 * What a provider's API key looks like, so a truncated copy, a stray quote or a key pasted into
 * the wrong variable is caught at startup instead of as a 401 mid-session.
 */
export interface KeyFormat {
  /** The whole key must match this. */
  pattern: RegExp;
  /** The format in words, for hints (never includes the key). */
  description: string;
}

/** The providers that ship with Stockade. */
export const BUILTIN_PROVIDERS = ['yahoo', 'alphavantage', 'polygon', 'massive'] as const;

/** One of {@link BUILTIN_PROVIDERS}. */
export type BuiltinProvider = (typeof BUILTIN_PROVIDERS)[number];

/**
 * Key formats of the built-in providers that need a key (Yahoo needs none).
 *
 * | provider | accepted key |
 * | --- | --- |
 * | `alphavantage` | 16 characters, letters and digits (Alpha Vantage issues upper-case ones) |
 * | `polygon` | 32 characters of `[A-Za-z0-9_]` |
 * | `massive` | 32 characters of `[A-Za-z0-9_]` (Massive is Polygon renamed; same keys) |
 */
export const defaultKeyFormats: Readonly<Record<string, KeyFormat>> = Object.freeze({
  alphavantage: { pattern: /^[A-Za-z0-9]{16}$/, description: '16 letters and digits' },
  polygon: { pattern: /^[A-Za-z0-9_]{32}$/, description: '32 characters of letters, digits and underscores' },
  massive: { pattern: /^[A-Za-z0-9_]{32}$/, description: '32 characters of letters, digits and underscores' },
});

/**
 * The environment variables each provider's key is conventionally read from, in order. The
 * systematic `STOCKADE_PROVIDERS_<NAME>_API_KEY` is read too, and wins over these.
 */
export const defaultKeyEnvNames: Readonly<Record<string, readonly string[]>> = Object.freeze({
  alphavantage: ['ALPHA_VANTAGE_API_KEY', 'ALPHAVANTAGE_API_KEY'],
  polygon: ['POLYGON_API_KEY'],
  massive: ['MASSIVE_API_KEY'],
});

/** Whether a built-in provider cannot work without an API key. */
export function providerNeedsKey(provider: string): boolean {
  return provider in defaultKeyFormats;
}

/**
 * Checks `key` against the provider's format. Returns `undefined` when it fits (or the provider
 * has no known format), else what is wrong, in words that never include the key.
 */
export function checkKeyFormat(
  provider: string,
  key: string,
  formats: Readonly<Record<string, KeyFormat | null | undefined>> = defaultKeyFormats,
): string | undefined {
  const format = formats[provider];
  if (format === undefined || format === null) return undefined;
  if (format.pattern.test(key)) return undefined;
  return `is not a valid ${provider} API key (expected ${format.description})`;
}

/**
 * Describes a secret without revealing it: its length and what kind of characters are off,
 * e.g. `a 31-character string` or `a 34-character string wrapped in quotes`.
 */
export function describeSecret(value: unknown): string {
  if (typeof value !== 'string') return describeNonString(value);
  if (value.length === 0) return 'an empty string';
  const notes: string[] = [];
  if (/^(["']).*\1$/s.test(value)) notes.push('wrapped in quotes');
  else if (value.trim() !== value) notes.push('with leading or trailing whitespace');
  else if (/[^A-Za-z0-9_]/.test(value)) notes.push('containing characters other than letters, digits and _');
  return `a ${value.length}-character string${notes.length > 0 ? ` ${notes.join(', ')}` : ''}`;
}

function describeNonString(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length}`;
  return `a ${typeof value}`;
}

/** Hint telling where a provider's key can be set, naming the variables. */
export function keyLocationsHint(provider: string): string {
  const names = [...(defaultKeyEnvNames[provider] ?? []), `STOCKADE_PROVIDERS_${provider.toUpperCase()}_API_KEY`];
  return `set ${names.join(' or ')}, or providers.${provider}.apiKey in stockade.config.json`;
}
