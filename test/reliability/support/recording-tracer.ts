import { trace } from '@opentelemetry/api';
import {
  install,
  type RecordedSpan,
  type RecordingTracerProvider,
} from '../../../packages/market-data/src/test-support/recording-tracer.js';

export type { RecordedSpan };

/** Installs the market-data package's recording tracer as the global provider; call `trace.disable()` after. */
export function recordSpans(): RecordingTracerProvider {
  const provider = install();
  trace.setGlobalTracerProvider(provider);
  return provider;
}

/** The attributes and names of recorded spans as text, for secret scans. */
export function spanText(spans: readonly RecordedSpan[]): string {
  return spans
    .map((s) =>
      JSON.stringify({
        name: s.name,
        attributes: s.attributes,
        status: s.status,
        exceptions: s.exceptions.map((e) =>
          e instanceof Error ? `${e.message} ${JSON.stringify(e)}` : JSON.stringify(e),
        ),
      }),
    )
    .join('\n');
}
