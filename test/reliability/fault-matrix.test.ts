import { trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Capture, createCapture } from './support/capture.js';
import { type CellResult, type CellSpec, OPEN_WITHIN, runCell } from './support/matrix-cell.js';
import { everyPair, everyProviderDown, namedPairs, singleCells } from './support/matrix-cells.js';
import { MATRIX_KEYS } from './support/matrix-harness.js';
import { matrixMarkdown, writeResult } from './support/matrix-report.js';
import { recordSpans, spanText } from './support/recording-tracer.js';
import { scanForSecrets } from './support/secret-scan.js';
import { countUnhandled, type UnhandledCounter } from './support/unhandled.js';

const FULL = process.env.STOCKADE_RELIABILITY === 'full';
const REQUESTS = FULL ? 2_000 : 200;
const cells: CellSpec[] = [...singleCells(), ...namedPairs(), everyProviderDown(), ...(FULL ? everyPair() : [])];

const results: CellResult[] = [];
let capture: Capture;
let unhandled: UnhandledCounter;
let startedAt = 0;
let spans: ReturnType<typeof recordSpans>;
let secretScan = '';

beforeAll(() => {
  startedAt = performance.now();
  unhandled = countUnhandled();
  spans = recordSpans();
  capture = createCapture();
});

afterAll(() => {
  unhandled.dispose();
  trace.disable();
  // A filtered run (-t) measures a few cells: only a whole matrix replaces the committed figures.
  if (results.length === cells.length && secretScan !== '') {
    writeResult(
      'fault-matrix',
      matrixMarkdown(results, {
        secrets: secretScan,
        size: FULL ? 'full' : 'ci',
        requestsPerCell: REQUESTS,
        seconds: (performance.now() - startedAt) / 1000,
        command: FULL ? 'npm run reliability' : 'npx vitest run --project repo test/reliability/fault-matrix',
      }),
    );
  }
});

describe(`fault matrix (${REQUESTS} calls per cell)`, () => {
  for (const spec of cells) {
    it(`${spec.id}: ${spec.label}`, { timeout: FULL ? 300_000 : 60_000 }, async () => {
      const r = await runCell(spec, { requests: REQUESTS, capture, unhandled });
      results.push(r);

      // First: the faulted providers really were called and really served the fault.
      for (const [provider, served] of Object.entries(spec.proofs)) {
        const p = provider as keyof CellResult['upstream'];
        expect(r.upstream[p], `${provider} received calls`).toBeGreaterThan(0);
        const faults = r.faultsServed[p] ?? {};
        if (served.length > 0) {
          expect(
            served.reduce((n, f) => n + (faults[f] ?? 0), 0),
            `${provider} served ${served.join('/')}`,
          ).toBeGreaterThan(0);
        }
      }
      if (spec.quota?.known === true) {
        expect(r.faultsServed[spec.quota.provider]?.quotaMinute ?? 0, 'quota answers').toBe(0);
        expect(r.throttled, '429s with limits set to the quota').toBe(0);
      }

      // Every call: valid data (fresh, or stale and marked) or a typed error; nothing escapes.
      expect(r.requests).toBe(Math.ceil(REQUESTS / 10) * 10);
      expect(r.invalid, 'invalid answers').toBe(0);
      expect(r.served + r.typedErrors).toBe(r.requests);
      expect(r.unhandled, unhandled.samples.join('\n')).toBe(0);
      if (r.healthyLeft)
        expect(r.served / r.requests, 'served while a provider is healthy').toBeGreaterThanOrEqual(0.999);
      else {
        // Nothing upstream answers: the last known good carries every call, marked stale.
        expect(r.stale).toBe(r.served);
        expect(r.served).toBe(r.requests);
      }

      for (const [provider, expectation] of Object.entries(spec.breakers)) {
        const p = provider as keyof CellResult['upstream'];
        if (expectation === 'opens') {
          expect(r.failuresBeforeOpen[p], `${provider} breaker opened`).not.toBeUndefined();
          expect(r.failuresBeforeOpen[p]).toBeLessThanOrEqual(OPEN_WITHIN);
          expect(r.recovered[p], `${provider} breaker closed after recovery`).toBe(true);
        } else if (expectation === 'stays-closed') {
          expect(r.failuresBeforeOpen[p], `${provider} breaker stayed closed`).toBeUndefined();
        }
      }

      if (spec.consensus === true) {
        expect(r.offTruth, 'consensus prices off the simulated path').toBe(0);
        expect(r.outliersRejected, 'answers rejecting the wrong price').toBeGreaterThan(0);
      }
    });
  }
});

describe('the whole captured output of the matrix run', () => {
  it('holds no configured API key in any log line, failure event, error and cause, metric scrape or span', () => {
    capture.text('spans', spanText(spans.spans));
    const pieces = capture.texts();
    const count = (label: string) => pieces.filter((p) => p.label === label).length;
    // The scan is worth something only if the run produced output that could have carried a key.
    expect(capture.logLines).toBeGreaterThan(100);
    expect(count('event')).toBeGreaterThan(100);
    expect(count('metrics')).toBe(results.length);
    expect(spans.spans.length).toBeGreaterThan(100);
    const hits = scanForSecrets(pieces, MATRIX_KEYS);
    expect(hits).toEqual([]);
    const avUrls = pieces.flatMap((p) => p.value.match(/alphavantage\/query\?[^\s"\\]*/g) ?? []);
    const unredacted = avUrls.filter((u) => /apikey=(?!\[REDACTED\])/i.test(u));
    expect(unredacted).toEqual([]);
    const mb = pieces.reduce((n, p) => n + p.value.length, 0) / 1e6;
    secretScan = [
      `Secrets: everything this run let out was captured — ${capture.logLines} debug log lines, ${count('event')} failure events and alerts, ` +
        `${count('error')} error texts with their causes, ${count('metrics')} Prometheus scrapes, ${spans.spans.length} spans (${mb.toFixed(1)} MB) — ` +
        `and scanned for the ${Object.keys(MATRIX_KEYS).length} configured keys: **${hits.length} hits**; Alpha Vantage URLs written: ${avUrls.length}, key not redacted: **${unredacted.length}**.`,
    ].join('\n');
  });
});
