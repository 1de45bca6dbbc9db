import { StockadeError, type StockadeErrorOptions, serializeCause } from './stockade-error.js';

/** One problem found while validating configuration. */
export interface ConfigIssue {
  /** Dotted path of the offending value, e.g. `providers.massive.apiKey`. */
  path: string;
  /** What is wrong. */
  message: string;
  /** A short, secret-free description of what was found, e.g. `a 31-character string`. */
  found?: string;
  /** Where the value came from, e.g. `env MASSIVE_API_KEY`, `file ./stockade.config.json`, `default`. */
  source?: string;
  /** How to fix it. */
  hint?: string;
}

/**
 * The configuration is invalid. Lists every problem at once, each with its path, what was found,
 * where the value came from and a hint.
 */
export class ConfigError extends StockadeError {
  /** Every problem found. */
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[], options: StockadeErrorOptions = {}) {
    super('CONFIG_ERROR', ConfigError.format(issues), options);
    this.issues = issues;
  }

  private static format(issues: readonly ConfigIssue[]): string {
    const lines = issues.map((i) => {
      const parts = [`- ${i.path || '(root)'}: ${i.message}`];
      if (i.found !== undefined) parts.push(`found ${i.found}`);
      if (i.source !== undefined) parts.push(`from ${i.source}`);
      let line = parts.join('; ');
      if (i.hint !== undefined) line += ` — ${i.hint}`;
      return line;
    });
    const n = issues.length;
    return `Invalid Stockade configuration (${n} problem${n === 1 ? '' : 's'}):\n${lines.join('\n')}`;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** One problem found while validating an input value. */
export interface ValidationIssue {
  /** Dotted path of the offending field (`''` for the value itself). */
  path: string;
  /** What is wrong and what is expected. */
  message: string;
}

/** An input value (symbol, option, payload) is invalid. Nothing was sent anywhere. */
export class ValidationError extends StockadeError {
  /** Every problem found. */
  readonly issues: readonly ValidationIssue[];

  constructor(message: string, issues: readonly ValidationIssue[] = [], options: StockadeErrorOptions = {}) {
    super('VALIDATION_ERROR', message, options);
    this.issues = issues;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** One provider attempt inside an {@link AllProvidersFailedError}. */
export interface ProviderAttempt {
  /** Provider name. */
  provider: string;
  /** The error it failed with. */
  error: StockadeError;
  /** How long the attempt took, ms. */
  durationMs?: number;
}

/** Every provider that could serve a request failed, and no last known good value was usable. */
export class AllProvidersFailedError extends StockadeError {
  /** The attempts, in the order they were made. */
  readonly attempts: readonly ProviderAttempt[];
  /** The canonical symbol or symbols asked for. */
  readonly symbols: readonly string[];

  constructor(symbols: readonly string[], attempts: readonly ProviderAttempt[], options: StockadeErrorOptions = {}) {
    const detail =
      attempts.length === 0
        ? 'no provider can serve this request'
        : attempts.map((a) => `${a.provider} (${kindOf(a.error)}): ${a.error.message}`).join('; ');
    super('ALL_PROVIDERS_FAILED', `All providers failed for ${symbols.join(', ')}: ${detail}`, options);
    this.attempts = attempts;
    this.symbols = symbols;
  }

  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      symbols: this.symbols,
      attempts: this.attempts.map((a) => ({
        provider: a.provider,
        durationMs: a.durationMs,
        error: serializeCause(a.error),
      })),
    };
  }
}

function kindOf(err: StockadeError): string {
  const kind = (err as { kind?: unknown }).kind;
  return typeof kind === 'string' ? kind : err.code;
}

/** A call was refused because the circuit breaker is open. */
export class CircuitOpenError extends StockadeError {
  /** Which breaker (usually the provider name). */
  readonly breaker: string;
  /** When the breaker will next let a probe through, epoch ms, if known. */
  readonly retryAt: number | undefined;

  constructor(breaker: string, retryAt?: number, options: StockadeErrorOptions = {}) {
    super('CIRCUIT_OPEN', `Circuit "${breaker}" is open: calls are refused until it half-opens`, options);
    this.breaker = breaker;
    this.retryAt = retryAt;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), breaker: this.breaker, retryAt: this.retryAt };
  }
}

/** A local rate limiter could not grant a token in time (queue full or wait too long). */
export class RateLimitedError extends StockadeError {
  /** Which limiter (bucket name). */
  readonly limiter: string;
  /** Suggested wait before trying again, ms. */
  readonly retryAfterMs: number | undefined;

  constructor(limiter: string, message: string, retryAfterMs?: number, options: StockadeErrorOptions = {}) {
    super('RATE_LIMITED', `${limiter}: ${message}`, options);
    this.limiter = limiter;
    this.retryAfterMs = retryAfterMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), limiter: this.limiter, retryAfterMs: this.retryAfterMs };
  }
}

/** An operation did not finish within its time limit. */
export class TimeoutError extends StockadeError {
  /** The limit that was exceeded, ms. */
  readonly timeoutMs: number;

  constructor(message: string, timeoutMs: number, options: StockadeErrorOptions = {}) {
    super('TIMEOUT', message, options);
    this.timeoutMs = timeoutMs;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), timeoutMs: this.timeoutMs };
  }
}

/** Whether `err` is the rejection of an aborted operation (an `AbortError` DOMException or alike). */
export function isAbortError(err: unknown): boolean {
  return (
    typeof err === 'object' &&
    err !== null &&
    ((err as { name?: unknown }).name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR')
  );
}
