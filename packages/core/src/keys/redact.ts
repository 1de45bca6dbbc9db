/** What a redacted secret is replaced with. */
export const REDACTED = '[REDACTED]';

const knownSecrets = new Set<string>();
let secretPattern: RegExp | null = null;

/**
 * Patterns that carry a secret whatever its value: query parameters named like keys, bearer
 * tokens, and Alpha Vantage's throttle message that echoes the key back
 * ("We have detected your API key as ABC123 and …").
 */
const structuralPatterns: ReadonlyArray<[RegExp, string]> = [
  [/([?&;](?:api[_-]?key|apikey|token|access_token|key|crumb)=)[^&#\s"']+/gi, `$1${REDACTED}`],
  [/(\bBearer\s+)[A-Za-z0-9._~+/=-]+/g, `$1${REDACTED}`],
  [/(detected your API key as\s+)[^\s,.;"']+/gi, `$1${REDACTED}`],
  [/("(?:apiKey|api_key|apikey|params)"\s*:\s*")[^"]+(")/gi, `$1${REDACTED}$2`],
];

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Registers a secret so that {@link redact} removes it wherever it appears. The key resolver
 * registers every key it hands out; call this yourself for secrets Stockade does not resolve.
 * Values shorter than 4 characters are ignored (they would redact ordinary words).
 */
export function registerSecret(secret: string): void {
  if (secret.length < 4 || knownSecrets.has(secret)) return;
  knownSecrets.add(secret);
  const alternatives = [...knownSecrets].sort((a, b) => b.length - a.length).map(escapeRegExp);
  secretPattern = new RegExp(alternatives.join('|'), 'g');
}

/** Forgets a secret registered with {@link registerSecret} (after a key rotation). */
export function unregisterSecret(secret: string): void {
  if (!knownSecrets.delete(secret)) return;
  secretPattern =
    knownSecrets.size === 0
      ? null
      : new RegExp(
          [...knownSecrets]
            .sort((a, b) => b.length - a.length)
            .map(escapeRegExp)
            .join('|'),
          'g',
        );
}

/**
 * Returns `text` with every registered secret and every key-shaped query parameter, bearer token
 * or echoed key replaced by `[REDACTED]`. Used by the logger, every error message and anything
 * serialized.
 *
 * @example
 * redact('GET /query?function=GLOBAL_QUOTE&apikey=ABCD1234') // → '…&apikey=[REDACTED]'
 */
export function redact(text: string): string {
  let out = text;
  if (secretPattern !== null) out = out.replace(secretPattern, REDACTED);
  for (const [pattern, replacement] of structuralPatterns) out = out.replace(pattern, replacement);
  return out;
}

/** Redacts every string inside a JSON-like value, returning a copy. */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v)) as T;
  if (value !== null && typeof value === 'object') {
    if (value instanceof Error) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] =
        /^(api[_-]?key|apikey|secret|password|token|authorization)$/i.test(k) && typeof v === 'string'
          ? REDACTED
          : redactDeep(v);
    }
    return out as T;
  }
  return value;
}
