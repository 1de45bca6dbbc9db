import { trace } from '@opentelemetry/api';
import { AllProvidersFailedError, createKeyBuilder, ProviderError, ValidationError } from '@stockade/core';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisServerAvailable, startRedisServer } from '../support/redis-server.js';
import { createCapture } from './support/capture.js';
import { MATRIX_KEYS, MATRIX_SYMBOLS, startMatrixHarness } from './support/matrix-harness.js';
import { writeResult } from './support/matrix-report.js';
import { dumpMetrics } from './support/metrics-dump.js';
import { recordSpans, spanText } from './support/recording-tracer.js';
import { scanForSecrets } from './support/secret-scan.js';
import { countUnhandled, type UnhandledCounter } from './support/unhandled.js';

const FULL = process.env.STOCKADE_RELIABILITY === 'full';

const figures: string[] = [];
let unhandled: UnhandledCounter;
let spans: ReturnType<typeof recordSpans>;

beforeAll(() => {
  unhandled = countUnhandled();
  spans = recordSpans();
});

afterAll(() => {
  unhandled.dispose();
  trace.disable();
  if (figures.length === 6) {
    writeResult(
      'security',
      [
        '## Security',
        '',
        `Checked by \`test/reliability/security.test.ts\` (${FULL ? 'full' : 'CI'} size). The scan of a whole fault-matrix run for API keys is in the fault-matrix section above.`,
        '',
        ...figures.map((f) => `- ${f}`),
        '- `npm audit --omit=dev --audit-level=high`: run by `npm run reliability` (needs the network); its outcome is in the header above.',
        '',
      ].join('\n'),
    );
  }
});

describe('security', () => {
  it('words failures without the key: AllProvidersFailedError messages and causes carry no key, AV URLs are redacted', async () => {
    const capture = createCapture();
    const down = await startMatrixHarness({ order: ['alphavantage'], capture });
    try {
      for (const p of ['polygon', 'massive', 'yahoo'] as const) down.sim.faults.set(p, { errorRate: { 500: 1 } });
      down.sim.faults.set('alphavantage', { oversizedBodyBytes: 9 * 1024 * 1024 });
      // Alpha Vantage alone first: the body-limit error names the URL, whose key must be redacted.
      const [av] = await down.md.quotes(['AAPL'], { providers: ['alphavantage'], maxStaleMs: 0 });
      expect(av?.ok).toBe(false);
      const answers = [av, ...(await down.md.quotes([...MATRIX_SYMBOLS], { maxStaleMs: 0 }))];
      for (const answer of answers) if (answer !== undefined && !answer.ok) capture.error(answer.error);
      capture.text('spans', spanText(spans.spans));
      capture.text('metrics', await dumpMetrics(down.md));
    } finally {
      await down.close();
    }
    const pieces = capture.texts();
    expect(pieces.filter((p) => p.label === 'error').length).toBeGreaterThan(10);
    const hits = scanForSecrets(pieces, MATRIX_KEYS);
    expect(hits).toEqual([]);
    // Alpha Vantage puts its key in the URL: wherever such a URL was written, the key is redacted.
    const avUrls = pieces.flatMap((p) => p.value.match(/alphavantage\/query\?[^\s"\\]*/g) ?? []);
    expect(avUrls.length).toBeGreaterThan(0);
    const unredacted = avUrls.filter((u) => /apikey=(?!\[REDACTED\])/i.test(u));
    expect(unredacted).toEqual([]);
    figures.push(
      `Every provider failing at once (500s, an oversized Alpha Vantage body): ${pieces.filter((p) => p.label === 'error').length} error texts with causes, ` +
        `${capture.logLines} log lines, spans and a metrics scrape scanned: key hits **${hits.length}**; Alpha Vantage URLs written: ${avUrls.length}, unredacted: **${unredacted.length}**`,
    );
  });

  it('sends Polygon and Massive keys only in the Authorization header, never in a URL', async () => {
    const h = await startMatrixHarness({ order: ['polygon', 'massive'], capture: createCapture() });
    try {
      for (const p of ['polygon', 'massive'] as const) {
        const answers = await h.md.quotes([...MATRIX_SYMBOLS], { providers: [p] });
        expect(answers.every((a) => a.ok)).toBe(true);
        await h.md
          .bars('AAPL', { interval: '1d', from: '2026-02-02', to: '2026-03-06', providers: [p] } as never)
          .catch(() => undefined);
      }
      let checked = 0;
      for (const p of ['polygon', 'massive'] as const) {
        const log = h.sim.stats.requestLog(p);
        expect(log.length).toBeGreaterThan(0);
        for (const r of log) {
          checked++;
          expect(r.target).not.toContain(MATRIX_KEYS[p]);
          expect(r.target.toLowerCase()).not.toContain('apikey');
          expect(r.headers.authorization).toBe(`Bearer ${MATRIX_KEYS[p]}`);
        }
      }
      figures.push(
        `Polygon/Massive requests checked in the simulator's request log: ${checked}; key in a URL: **0**; key in the Authorization header: ${checked}`,
      );
    } finally {
      await h.close();
    }
  });

  it('rejects injection attempts in symbols with a ValidationError before any request is sent', async () => {
    const attempts = [
      '../../etc/passwd',
      '..%2F..%2Fadmin',
      'AAPL/../../v1/admin',
      'AAPL\r\nX-Injected: 1',
      'AAPL\nHost: evil.example',
      'AAPL?apiKey=stolen',
      'AAPL&function=LISTING_STATUS',
      'AAPL#fragment',
      'AAPL;DROP',
      'ＡＡＰＬ',
      'AAP\u200bL',
      '\u202eLPAA',
      'AAPL\u0000',
      'A'.repeat(500),
      '',
    ];
    const h = await startMatrixHarness({ order: ['polygon'], capture: createCapture() });
    try {
      const before = JSON.stringify(h.sim.stats.snapshot());
      const answers = await h.md.quotes(attempts);
      for (const [i, a] of answers.entries()) {
        expect(a.ok, JSON.stringify(attempts[i])).toBe(false);
        if (!a.ok) {
          expect(a.error).toBeInstanceOf(ValidationError);
          expect(a.error.message.length).toBeGreaterThan(10);
        }
      }
      for (const s of attempts) {
        await expect(h.md.quote(s)).rejects.toBeInstanceOf(ValidationError);
        await expect(
          h.md.bars(s, { interval: '1d', from: '2026-02-02', to: '2026-03-06' } as never),
        ).rejects.toBeInstanceOf(ValidationError);
      }
      expect(JSON.stringify(h.sim.stats.snapshot())).toBe(before);
      figures.push(
        `Symbol injection attempts (path traversal, CRLF, \`?\`/\`&\`/\`#\`, full-width and invisible unicode, NUL, 500 characters, empty) through quotes(), quote() and bars(): ${attempts.length * 3}, each a ValidationError; requests reaching the simulator: **0**`,
      );
    } finally {
      await h.close();
    }
  });

  it('caps response bodies: an oversized body is a bad_response and memory stays bounded', {
    timeout: 60_000,
  }, async () => {
    const h = await startMatrixHarness({ order: ['polygon'], capture: createCapture() });
    const size = 64 * 1024 * 1024;
    try {
      h.sim.faults.set('polygon', { oversizedBodyBytes: size });
      const memory = () => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
      const before = memory();
      let peak = before;
      for (let i = 0; i < 4; i++) {
        h.clock.shift(60_000);
        const [a] = await h.md.quotes([MATRIX_SYMBOLS[i] as string], { providers: ['polygon'], maxStaleMs: 0 });
        peak = Math.max(peak, memory());
        expect(a?.ok).toBe(false);
        if (a !== undefined && !a.ok) {
          expect(a.error).toBeInstanceOf(AllProvidersFailedError);
          const cause = (a.error as AllProvidersFailedError).attempts[0]?.error;
          // The first calls meet the body; once the breaker has opened, the call is refused locally.
          if (i === 0) {
            expect(cause).toBeInstanceOf(ProviderError);
            expect((cause as ProviderError).kind).toBe('bad_response');
            expect((cause as ProviderError).message).toMatch(/body limit/);
          }
        }
      }
      const served = h.sim.stats.faultsServed('polygon', 'oversizedBody');
      expect(served).toBeGreaterThan(0);
      // Four 64 MiB bodies read whole would need 256 MiB; the 8 MiB limit keeps it to one limit's worth.
      const growth = peak - before;
      expect(growth).toBeLessThan(48 * 1024 * 1024);
      figures.push(
        `Oversized bodies (${size / 1024 / 1024} MiB, streamed with no content-length): ${served} served, each a \`bad_response\` at the 8 MiB limit; peak heap + buffers growth ${(growth / 1024 / 1024).toFixed(1)} MiB`,
      );
    } finally {
      await h.close();
    }
  });

  it.skipIf(!redisServerAvailable())(
    'writes only keys from the key builder to Redis',
    { timeout: 60_000 },
    async () => {
      const server = await startRedisServer();
      const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
      const keyPrefix = 'stockade-rel:';
      const h = await startMatrixHarness({
        order: ['polygon', 'massive'],
        capture: createCapture(),
        redis: { client, keyPrefix },
      });
      try {
        h.sim.faults.set('polygon', { errorRate: { 500: 0.5 } });
        for (let i = 0; i < 5; i++) {
          await h.md.quotes([...MATRIX_SYMBOLS]);
          await h.md.quotes([...MATRIX_SYMBOLS], { strategy: 'consensus' });
          h.clock.shift(1_000);
        }
        await h.md
          .bars('AAPL', { interval: '1d', from: '2026-02-02', to: '2026-03-06' } as never)
          .catch(() => undefined);
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [next, batch] = await client.scan(cursor, 'COUNT', 1000);
          cursor = next;
          keys.push(...batch);
        } while (cursor !== '0');
        expect(keys.length).toBeGreaterThan(10);
        const builder = createKeyBuilder({ prefix: keyPrefix });
        expect(keys).toContain(builder.quote('best', 'AAPL'));
        // Every key is the prefix, then a hash tag: the builder's shape, and one Cluster slot per entry and lock.
        const foreign = keys.filter((k) => !/^stockade-rel:\{[^{}]+\}(:[^{}]*)?$/.test(k));
        expect(foreign).toEqual([]);
        figures.push(
          `Redis keyspace after a run on a private redis-server: ${keys.length} keys, all \`${keyPrefix}{tag}…\` from the key builder; others: **${foreign.length}**`,
        );
      } finally {
        await h.close();
        client.disconnect();
        await server.stop();
      }
    },
  );

  it('has no unhandled rejections or uncaught exceptions across the security run', () => {
    expect(unhandled.count, unhandled.samples.join('\n')).toBe(0);
    figures.push(`Unhandled rejections and uncaught exceptions during the security run: **${unhandled.count}**`);
  });
});
