import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { manualClock } from '../clock.js';
import { type ConfigError, ValidationError } from '../errors/index.js';
import { type LoadedConfig, loadConfig } from './load-config.js';
import { type ConfigReloadedEvent, type ConfigWatcher, watchConfig } from './watch-config.js';

type Outcome =
  | { kind: 'change'; next: LoadedConfig; event: ConfigReloadedEvent }
  | { kind: 'error'; error: ConfigError };

let dir: string;
let file: string;
let watcher: ConfigWatcher | undefined;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'stockade-watch-'));
  file = join(dir, 'stockade.config.json');
});
afterEach(() => {
  watcher?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Collects watcher outcomes and lets a test wait for the next one (generous timeout, no timing assertion). */
function outcomes() {
  const queue: Outcome[] = [];
  let wake: (() => void) | undefined;
  const push = (o: Outcome) => {
    queue.push(o);
    wake?.();
  };
  const next = async (): Promise<Outcome> => {
    const deadline = Date.now() + 15_000;
    while (queue.length === 0) {
      if (Date.now() > deadline) throw new Error('no reload outcome within 15 s');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 500).unref();
      });
    }
    return queue.shift() as Outcome;
  };
  return { push, next };
}

describe('watchConfig', () => {
  it('keeps the old config through invalid JSON and an invalid value, then applies a valid change', async () => {
    writeFileSync(file, JSON.stringify({ cache: { l1MaxBytes: 1_000 } }));
    const loaded = loadConfig({ cwd: dir, env: {} });
    const seen = outcomes();
    const clock = manualClock(1_767_225_600_000);
    watcher = watchConfig(loaded, {
      onChange: (next, event) => seen.push({ kind: 'change', next, event }),
      onError: (error) => seen.push({ kind: 'error', error }),
      debounceMs: 20,
      pollIntervalMs: 50,
      clock,
    });

    writeFileSync(file, '{ "cache": { "l1MaxBytes": 2000 ');
    const broken = await seen.next();
    expect(broken.kind).toBe('error');
    expect(broken.kind === 'error' && broken.error.issues[0]?.message).toMatch(/^is not valid JSON/);
    expect(watcher.current()).toBe(loaded);

    writeFileSync(file, JSON.stringify({ cache: { l1MaxBytes: -1 } }));
    const invalid = await seen.next();
    expect(invalid.kind === 'error' && invalid.error.issues.map((i) => i.path)).toEqual(['cache.l1MaxBytes']);
    expect(watcher.current().config.cache.l1MaxBytes).toBe(1_000);

    writeFileSync(file, JSON.stringify({ cache: { l1MaxBytes: 4_096 }, signals: { minConfidence: 0.75 } }));
    const applied = await seen.next();
    if (applied.kind !== 'change') throw applied.error;
    expect(applied.next.config.cache.l1MaxBytes).toBe(4_096);
    expect(applied.event).toEqual({
      type: 'config.reloaded',
      schemaVersion: 1,
      at: 1_767_225_600_000,
      changedPaths: ['cache.l1MaxBytes', 'signals.minConfidence'],
    });
    expect(watcher.current()).toBe(applied.next);
    expect(applied.next.sourceOf('cache.l1MaxBytes')).toBe('file ./stockade.config.json');
    // The original stays as it was: the swap is whole, not a mutation.
    expect(loaded.config.cache.l1MaxBytes).toBe(1_000);
  });

  it('stops when its signal aborts and is safe to close twice', () => {
    writeFileSync(file, '{}');
    const controller = new AbortController();
    watcher = watchConfig(loadConfig({ cwd: dir, env: {} }), { onChange: () => {}, signal: controller.signal });
    controller.abort();
    watcher.close();
    watcher.close();
  });

  it('refuses a config that loadConfig did not return', () => {
    const fake = {
      config: {},
      file: undefined,
      explain: () => [],
      sourceOf: () => undefined,
    } as unknown as LoadedConfig;
    expect(() => watchConfig(fake, { onChange: () => {} })).toThrow(ValidationError);
    expect(() => watchConfig(loadConfig({ file: false, env: {} }), { onChange: () => {} })).toThrow(
      /with a config file/,
    );
  });
});
