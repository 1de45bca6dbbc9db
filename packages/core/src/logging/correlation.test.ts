import { describe, expect, it } from 'vitest';
import { currentCorrelationId, withCorrelation } from './correlation.js';
import { createLogger } from './logger.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
const timeout = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('correlation ids', () => {
  it('survive three awaits and a setTimeout', async () => {
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (l) => lines.push(l) } });
    const seen = await withCorrelation(async () => {
      const ids: Array<string | undefined> = [];
      await tick();
      ids.push(currentCorrelationId());
      await Promise.resolve();
      ids.push(currentCorrelationId());
      await tick();
      ids.push(currentCorrelationId());
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          ids.push(currentCorrelationId());
          log.info('in the timer');
          resolve();
        }, 1),
      );
      return ids;
    }, 'req-7');
    expect(seen).toEqual(['req-7', 'req-7', 'req-7', 'req-7']);
    expect(JSON.parse(lines[0] as string).correlationId).toBe('req-7');
    expect(currentCorrelationId()).toBeUndefined();
  });

  it('keeps two concurrent requests apart', async () => {
    const lines: string[] = [];
    const log = createLogger({ destination: { write: (l) => lines.push(l) } });
    const request = (name: string, delays: number[]) =>
      withCorrelation(async () => {
        for (const ms of delays) {
          await timeout(ms);
          log.info({ request: name }, 'step');
        }
        return currentCorrelationId();
      });
    const [a, b] = await Promise.all([request('a', [3, 0, 2]), request('b', [0, 4, 1])]);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).toMatch(/^[0-9a-f-]{36}$/);
    expect(a).not.toBe(b);
    const entries = lines.map((l) => JSON.parse(l) as { request: string; correlationId: string });
    expect(entries).toHaveLength(6);
    for (const e of entries) expect(e.correlationId).toBe(e.request === 'a' ? a : b);
  });

  it('returns what the function returns, sync or async, and nests', async () => {
    expect(withCorrelation(() => 42)).toBe(42);
    await withCorrelation(async () => {
      expect(withCorrelation(() => currentCorrelationId(), 'inner')).toBe('inner');
      expect(currentCorrelationId()).toBe('outer');
    }, 'outer');
  });
});
