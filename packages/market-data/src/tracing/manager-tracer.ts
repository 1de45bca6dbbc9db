import {
  type Attributes,
  type Span,
  SpanKind,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import { isAbortError, redact, StockadeError } from '@stockade/core';

/** The attribute keys Stockade puts on its spans. */
export const spanAttributes = Object.freeze({
  /** Manager method (`quotes`, `bars`…). */
  method: 'stockade.method',
  /** Provider of an attempt. */
  provider: 'stockade.provider',
  /** Provider endpoint of an attempt (`quotes`, `bars`…). */
  endpoint: 'stockade.endpoint',
  /** Symbols asked for. */
  symbolCount: 'stockade.symbol_count',
  /** Whether the answer came from the cache. */
  cacheHit: 'stockade.cache_hit',
  /** Attempt number of a provider call, from 1 (retries count up). */
  attempt: 'stockade.attempt',
  /** Whether the attempt was a hedge. */
  hedge: 'stockade.hedge',
  /** `ok`, an error kind (`timeout`, `auth`…), an error code, or `aborted`. */
  outcome: 'stockade.outcome',
} as const);

/** Attributes a caller may set on a Stockade span; each maps to a key of {@link spanAttributes}. */
export interface StockadeSpanAttributes {
  /** Provider endpoint. */
  endpoint?: string;
  /** Symbols asked for. */
  symbolCount?: number;
  /** Whether the answer came from the cache. */
  cacheHit?: boolean;
  /** Attempt number, from 1. */
  attempt?: number;
  /** Whether the attempt was a hedge. */
  hedge?: boolean;
}

/** What a traced function receives: its span, and ways to add what becomes known later. */
export interface SpanScope {
  /** The OpenTelemetry span (a non-recording one when no SDK is registered). */
  readonly span: Span;
  /** Adds attributes (e.g. `cacheHit` once the cache has answered). Strings are redacted. */
  set(attributes: StockadeSpanAttributes): void;
  /** Overrides the outcome recorded when the function returns (e.g. `partial`); a throw always records its own. */
  setOutcome(outcome: string): void;
}

/** Options of {@link createTracer}. */
export interface ManagerTracerOptions {
  /** Instrumentation name. @default '@stockade/market-data' */
  name?: string;
  /** Instrumentation version. @default undefined */
  version?: string;
  /** Where tracers come from. @default the global provider (`trace.getTracerProvider()`): a no-op until an SDK registers one */
  tracerProvider?: TracerProvider;
}

/** Spans for manager calls and provider attempts; see {@link createTracer}. */
export interface ManagerTracer {
  /** Runs `fn` inside a span `stockade.METHOD` (kind internal) and returns what it returns. */
  withManagerSpan<T>(
    method: string,
    attributes: StockadeSpanAttributes,
    fn: (scope: SpanScope) => Promise<T> | T,
  ): Promise<T>;
  /** Runs `fn` inside a span `stockade.attempt PROVIDER` (kind client), a child of the active manager span. */
  withAttemptSpan<T>(
    provider: string,
    attributes: StockadeSpanAttributes,
    fn: (scope: SpanScope) => Promise<T> | T,
  ): Promise<T>;
}

/**
 * Creates a {@link ManagerTracer} on `@opentelemetry/api`. With no SDK registered every span is
 * the API's non-recording span and no attribute is computed. A tracer made before the host app
 * registers its SDK starts recording once it does (the global provider is a proxy).
 *
 * Each span carries `stockade.outcome`; a throw also sets status ERROR and records the exception,
 * its message and stack redacted, as every string attribute is: no API key or keyed URL reaches
 * an exporter.
 *
 * @example
 * const tracer = createTracer({ version: '0.1.0' });
 * const quotes = await tracer.withManagerSpan('quotes', { symbolCount: 2 }, async (scope) => {
 *   scope.set({ cacheHit: false });
 *   return tracer.withAttemptSpan('polygon', { attempt: 1, endpoint: 'quotes' }, () => polygon.quotes(symbols));
 * });
 */
export function createTracer(options: ManagerTracerOptions = {}): ManagerTracer {
  const provider = options.tracerProvider ?? trace.getTracerProvider();
  const tracer = provider.getTracer(options.name ?? '@stockade/market-data', options.version);
  return {
    withManagerSpan: (method, attributes, fn) =>
      run(tracer, `stockade.${method}`, SpanKind.INTERNAL, { [spanAttributes.method]: method }, attributes, fn),
    withAttemptSpan: (providerName, attributes, fn) =>
      run(
        tracer,
        `stockade.attempt ${providerName}`,
        SpanKind.CLIENT,
        { [spanAttributes.provider]: providerName },
        attributes,
        fn,
      ),
  };
}

function run<T>(
  tracer: Tracer,
  name: string,
  kind: SpanKind,
  fixed: Attributes,
  attributes: StockadeSpanAttributes,
  fn: (scope: SpanScope) => Promise<T> | T,
): Promise<T> {
  return tracer.startActiveSpan(name, { kind }, async (span) => {
    const recording = span.isRecording();
    let outcome = 'ok';
    if (recording) {
      span.setAttributes(redactAttributes(fixed));
      span.setAttributes(toAttributes(attributes));
    }
    const scope: SpanScope = {
      span,
      set(more) {
        if (recording) span.setAttributes(toAttributes(more));
      },
      setOutcome(o) {
        outcome = o;
      },
    };
    try {
      const result = await fn(scope);
      if (recording) span.setAttribute(spanAttributes.outcome, redact(outcome));
      return result;
    } catch (err) {
      if (recording) {
        span.setAttribute(spanAttributes.outcome, outcomeOf(err));
        const message = redact(err instanceof Error ? err.message : String(err));
        span.recordException({
          name: err instanceof Error ? err.name : 'Error',
          message,
          ...(err instanceof Error && err.stack !== undefined ? { stack: redact(err.stack) } : {}),
        });
        span.setStatus({ code: SpanStatusCode.ERROR, message });
      }
      throw err;
    } finally {
      span.end();
    }
  });
}

/** The outcome recorded for a failure: `aborted`, the error's `kind`, the Stockade error code in lower case, else `error`. */
export function outcomeOf(err: unknown): string {
  if (isAbortError(err)) return 'aborted';
  const kind = (err as { kind?: unknown } | null)?.kind;
  if (typeof kind === 'string') return kind;
  if (err instanceof StockadeError) return err.code.toLowerCase();
  return 'error';
}

function toAttributes(a: StockadeSpanAttributes): Attributes {
  const out: Attributes = {};
  if (a.endpoint !== undefined) out[spanAttributes.endpoint] = redact(a.endpoint);
  if (a.symbolCount !== undefined) out[spanAttributes.symbolCount] = a.symbolCount;
  if (a.cacheHit !== undefined) out[spanAttributes.cacheHit] = a.cacheHit;
  if (a.attempt !== undefined) out[spanAttributes.attempt] = a.attempt;
  if (a.hedge !== undefined) out[spanAttributes.hedge] = a.hedge;
  return out;
}

function redactAttributes(a: Attributes): Attributes {
  const out: Attributes = {};
  for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'string' ? redact(v) : v;
  return out;
}
