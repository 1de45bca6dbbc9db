import { redact } from '../keys/redact.js';

/** Options shared by every Stockade error. */
export interface StockadeErrorOptions {
  /** The error that caused this one; kept for debugging, serialized without secrets. */
  cause?: unknown;
}

/**
 * Base class of every error Stockade throws. Errors are data: each subclass carries typed fields
 * that policies read, and `toJSON()` gives a form that is safe to log (secrets redacted).
 */
export class StockadeError extends Error {
  /** Stable machine-readable error code, e.g. `PROVIDER_ERROR`. */
  readonly code: string;

  constructor(code: string, message: string, options: StockadeErrorOptions = {}) {
    super(redact(message), options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }

  /**
   * What `util.inspect` and `console.log` print: the stack and the secret-free fields, never the
   * raw `cause` (whose message may hold a key).
   */
  [Symbol.for('nodejs.util.inspect.custom')](
    _depth: number,
    options: unknown,
    inspect: (value: unknown, options: unknown) => string,
  ): string {
    const { name: _name, message: _message, ...fields } = this.toJSON();
    return `${redact(this.stack ?? `${this.name}: ${this.message}`)} ${inspect(fields, options)}`;
  }

  /** A plain, secret-free object for logs and JSON responses. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = { name: this.name, code: this.code, message: this.message };
    if (this.cause !== undefined) out.cause = serializeCause(this.cause);
    return out;
  }
}

/** Serializes any thrown value into a secret-free plain object or string. */
export function serializeCause(cause: unknown): unknown {
  if (cause instanceof StockadeError) return cause.toJSON();
  if (cause instanceof Error) {
    const out: Record<string, unknown> = { name: cause.name, message: redact(cause.message) };
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string') out.code = code;
    return out;
  }
  if (typeof cause === 'string') return redact(cause);
  return cause === undefined ? undefined : redact(String(cause));
}
