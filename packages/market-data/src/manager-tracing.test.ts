import { trace } from '@opentelemetry/api';
import { afterEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './test-support/harness.js';
import { install } from './test-support/recording-tracer.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
  trace.disable();
});

describe('tracing', () => {
  it('records a span per manager call and per provider attempt, the attempt inside the call', async () => {
    const provider = install();
    trace.setGlobalTracerProvider(provider);
    h = await startHarness();
    h.sim.faults.set('polygon', { errorRate: { 500: 1 } });
    await h.md.quotes(['AAPL', 'MSFT']);
    const call = provider.spans.find((s) => s.name === 'stockade.quotes');
    expect(call?.attributes['stockade.symbol_count']).toBe(2);
    const attempts = provider.spans.filter((s) => s.name.startsWith('stockade.attempt'));
    expect(attempts.map((s) => s.name)).toContain('stockade.attempt polygon');
    expect(attempts.map((s) => s.name)).toContain('stockade.attempt massive');
    const failed = attempts.find((s) => s.name === 'stockade.attempt polygon');
    expect(failed?.attributes['stockade.outcome']).toBe('transient');
    expect(failed?.attributes['stockade.symbol_count']).toBe(2);
    for (const a of attempts) expect(a.parentSpanId).toBe(call?.spanId);
  });
});
