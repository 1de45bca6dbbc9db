import { AsyncLocalStorage } from 'node:async_hooks';
import { randomBytes } from 'node:crypto';
import {
  type Attributes,
  type AttributeValue,
  type Context,
  type ContextManager,
  context,
  type Exception,
  ROOT_CONTEXT,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanOptions,
  type SpanStatus,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';

/** A finished span as the recording provider keeps it. */
export interface RecordedSpan {
  name: string;
  kind: SpanKind | undefined;
  spanId: string;
  parentSpanId: string | undefined;
  attributes: Attributes;
  status: SpanStatus;
  exceptions: Exception[];
  ended: boolean;
}

/** A real, minimal implementation of the API's TracerProvider that records every span. */
export class RecordingTracerProvider implements TracerProvider {
  readonly spans: RecordedSpan[] = [];
  getTracer(): Tracer {
    const spans = this.spans;
    const startSpan = (name: string, options: SpanOptions = {}, ctx: Context = context.active()): Span => {
      const parent = trace.getSpan(ctx)?.spanContext();
      const spanContext: SpanContext = {
        traceId: parent?.traceId ?? randomBytes(16).toString('hex'),
        spanId: randomBytes(8).toString('hex'),
        traceFlags: 1,
      };
      const record: RecordedSpan = {
        name,
        kind: options.kind,
        spanId: spanContext.spanId,
        parentSpanId: parent?.spanId,
        attributes: { ...options.attributes },
        status: { code: SpanStatusCode.UNSET },
        exceptions: [],
        ended: false,
      };
      const span: Span = {
        spanContext: () => spanContext,
        setAttribute(key: string, value: AttributeValue) {
          record.attributes[key] = value;
          return span;
        },
        setAttributes(attributes: Attributes) {
          Object.assign(record.attributes, attributes);
          return span;
        },
        addEvent: () => span,
        addLink: () => span,
        addLinks: () => span,
        setStatus(status: SpanStatus) {
          record.status = status;
          return span;
        },
        updateName(n: string) {
          record.name = n;
          return span;
        },
        end() {
          record.ended = true;
          spans.push(record);
        },
        isRecording: () => !record.ended,
        recordException(exception: Exception) {
          record.exceptions.push(exception);
        },
      };
      return span;
    };
    return {
      startSpan,
      startActiveSpan(name: string, ...rest: unknown[]) {
        const fn = rest.pop() as (span: Span) => unknown;
        const [options, ctx = context.active()] = rest as [SpanOptions | undefined, Context | undefined];
        const span = startSpan(name, options, ctx);
        return context.with(trace.setSpan(ctx, span), fn, undefined, span);
      },
    } as Tracer;
  }
}

/** Context propagation across awaits, as @opentelemetry/context-async-hooks does it. */
export class AlsContextManager implements ContextManager {
  private readonly als = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.als.getStore() ?? ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.als.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(_ctx: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.als.disable();
    return this;
  }
}

/** Installs an AsyncLocalStorage context manager and returns a fresh recording provider. */
export function install() {
  context.setGlobalContextManager(new AlsContextManager().enable());
  return new RecordingTracerProvider();
}
