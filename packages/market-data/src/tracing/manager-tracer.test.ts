import { context, type Span, SpanStatusCode, trace } from '@opentelemetry/api';
import { CircuitOpenError, ProviderError } from '@stockade/core';
import { afterEach, describe, expect, it } from 'vitest';
import { AlsContextManager, install, RecordingTracerProvider } from '../test-support/recording-tracer.js';
import { createTracer, spanAttributes } from './manager-tracer.js';

afterEach(() => {
  trace.disable();
  context.disable();
});

describe('createTracer', () => {
  it('records a manager span with an attempt span per provider call as its children', async () => {
    const provider = install();
    const tracer = createTracer({ tracerProvider: provider, version: '0.1.0' });
    const result = await tracer.withManagerSpan('quotes', { symbolCount: 3 }, async (scope) => {
      scope.set({ cacheHit: false });
      await tracer.withAttemptSpan('polygon', { attempt: 1, endpoint: 'quotes', symbolCount: 3 }, async (attempt) => {
        attempt.setOutcome('partial');
        return 2;
      });
      return tracer.withAttemptSpan('yahoo', { attempt: 1, endpoint: 'quotes', symbolCount: 1, hedge: true }, () => 1);
    });
    expect(result).toBe(1);
    const [polygon, yahoo, manager] = provider.spans;
    expect(manager).toMatchObject({
      name: 'stockade.quotes',
      kind: 0,
      parentSpanId: undefined,
      ended: true,
      status: { code: SpanStatusCode.UNSET },
      attributes: {
        [spanAttributes.method]: 'quotes',
        [spanAttributes.symbolCount]: 3,
        [spanAttributes.cacheHit]: false,
        [spanAttributes.outcome]: 'ok',
      },
    });
    expect(polygon).toMatchObject({
      name: 'stockade.attempt polygon',
      kind: 2,
      parentSpanId: manager?.spanId,
      attributes: {
        'stockade.provider': 'polygon',
        'stockade.attempt': 1,
        'stockade.endpoint': 'quotes',
        'stockade.symbol_count': 3,
        'stockade.outcome': 'partial',
      },
    });
    expect(yahoo).toMatchObject({
      parentSpanId: manager?.spanId,
      attributes: { 'stockade.provider': 'yahoo', 'stockade.hedge': true, 'stockade.outcome': 'ok' },
    });
  });

  it('marks a failed attempt with its error kind and status ERROR, and rethrows the same error', async () => {
    const provider = install();
    const tracer = createTracer({ tracerProvider: provider });
    const error = new ProviderError('401 Unknown API Key', { provider: 'massive', kind: 'auth', status: 401 });
    const thrown = await tracer
      .withAttemptSpan('massive', { attempt: 2 }, () => {
        throw error;
      })
      .catch((e: unknown) => e);
    expect(thrown).toBe(error);
    const [span] = provider.spans;
    expect(span?.attributes).toMatchObject({ 'stockade.outcome': 'auth', 'stockade.attempt': 2 });
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'massive: 401 Unknown API Key' });
    expect(span?.exceptions).toMatchObject([{ name: 'ProviderError', message: 'massive: 401 Unknown API Key' }]);
  });

  it('keeps API keys out of attributes, status and exceptions, even from errors that are not Stockade’s', async () => {
    const provider = install();
    const tracer = createTracer({ tracerProvider: provider });
    const url = 'https://www.alphavantage.co/query?function=GLOBAL_QUOTE&apikey=AVKEY12345';
    await tracer
      .withAttemptSpan('alphavantage', { endpoint: url }, () => Promise.reject(new TypeError(`fetch failed: ${url}`)))
      .catch(() => undefined);
    const [span] = provider.spans;
    expect(span?.attributes['stockade.endpoint']).toBe(
      'https://www.alphavantage.co/query?function=GLOBAL_QUOTE&apikey=[REDACTED]',
    );
    expect(span?.attributes['stockade.outcome']).toBe('error');
    expect(span?.status.message).toBe(
      'fetch failed: https://www.alphavantage.co/query?function=GLOBAL_QUOTE&apikey=[REDACTED]',
    );
    expect(JSON.stringify(span)).not.toContain('AVKEY12345');
    expect(JSON.stringify(span)).toContain('[REDACTED]');
  });

  it('names the outcome of refusals and aborts', async () => {
    const provider = install();
    const tracer = createTracer({ tracerProvider: provider });
    await tracer
      .withAttemptSpan('polygon', {}, () => Promise.reject(new CircuitOpenError('polygon')))
      .catch(() => undefined);
    const controller = new AbortController();
    controller.abort();
    await tracer.withManagerSpan('bars', {}, () => Promise.reject(controller.signal.reason)).catch(() => undefined);
    expect(provider.spans.map((s) => s.attributes['stockade.outcome'])).toEqual(['circuit_open', 'aborted']);
  });

  it('is a no-op with no SDK registered, and records once the host registers one later', async () => {
    context.setGlobalContextManager(new AlsContextManager().enable());
    const tracer = createTracer();
    let seen: Span | undefined;
    const value = await tracer.withManagerSpan('quotes', { symbolCount: 1 }, (scope) => {
      seen = scope.span;
      scope.set({ cacheHit: true });
      return 42;
    });
    expect(value).toBe(42);
    expect(seen?.isRecording()).toBe(false);

    const provider = new RecordingTracerProvider();
    expect(trace.setGlobalTracerProvider(provider)).toBe(true);
    await tracer.withManagerSpan('quotes', { symbolCount: 1 }, () => 1);
    expect(provider.spans.map((s) => s.name)).toEqual(['stockade.quotes']);
  });
});
