import { type FSWatcher, type Stats, statSync, unwatchFile, watch, watchFile } from 'node:fs';
import { basename, dirname } from 'node:path';
import { type Clock, systemClock } from '../clock.js';
import { ConfigError, ValidationError } from '../errors/index.js';
import { EVENT_SCHEMA_VERSION, type SdkEventOf } from '../schemas/events.js';
import { valueAt } from './layers.js';
import { type LoadedConfig, loadConfig } from './load-config.js';
import { recipeOf } from './loaded-registry.js';

/** The event passed to `onChange` when a changed config file was applied. */
export type ConfigReloadedEvent = SdkEventOf<'config.reloaded'>;

/** Options of {@link watchConfig}. */
export interface WatchConfigOptions {
  /** Called with the new configuration after a valid change; must not throw. */
  onChange: (next: LoadedConfig, event: ConfigReloadedEvent) => void;
  /** Called when a change is rejected; the previous configuration stays in effect. @default ignore */
  onError?: (error: ConfigError) => void;
  /** Stops watching when aborted. @default none */
  signal?: AbortSignal;
  /** Quiet time after the last file event before reloading, so an editor's several writes reload once. @default 100 */
  debounceMs?: number;
  /** Poll interval of the `fs.watchFile` fallback, which catches what `fs.watch` misses (network drives, some containers). @default 1000 */
  pollIntervalMs?: number;
  /** Source of `event.at`. @default systemClock */
  clock?: Clock;
}

/** A running config watch. */
export interface ConfigWatcher {
  /** The configuration in effect: the last valid one. */
  current(): LoadedConfig;
  /** Stops watching; no timer or watcher is left behind. Safe to call twice. */
  close(): void;
}

function fingerprint(path: string): string {
  try {
    const s: Stats = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

function changedPaths(before: LoadedConfig, after: LoadedConfig): string[] {
  const paths = new Set([...before.explain(), ...after.explain()].map((e) => e.path));
  const same = (path: string) => {
    const segments = path.split('.');
    return JSON.stringify(valueAt(before.config, segments)) === JSON.stringify(valueAt(after.config, segments));
  };
  return [...paths].filter((p) => !same(p));
}

/**
 * Reloads the config file of `loaded` whenever it changes (`fs.watch` on its folder, plus an
 * `fs.watchFile` poll as a fallback; debounced) with the same options it was loaded with. A valid
 * change replaces the configuration whole and calls `onChange`; an invalid one (bad JSON, a bad
 * value) calls `onError` with its `ConfigError` and keeps the previous configuration. Watchers
 * and timers do not keep the process alive.
 *
 * @throws {ValidationError} when `loaded` did not come from `loadConfig`, or was loaded with `file: false`.
 * @example
 * const watcher = watchConfig(loadConfig(), {
 *   onChange: (next, event) => log.info({ changed: event.changedPaths }, 'config reloaded'),
 *   onError: (err) => log.warn({ err }, 'config change rejected'),
 * });
 * // later
 * watcher.close();
 */
export function watchConfig(loaded: LoadedConfig, options: WatchConfigOptions): ConfigWatcher {
  const recipe = recipeOf(loaded);
  if (recipe === undefined || recipe.options.file === false) {
    throw new ValidationError('watchConfig needs a LoadedConfig returned by loadConfig() with a config file', [
      {
        path: 'loaded',
        message: recipe === undefined ? 'was not returned by loadConfig()' : 'was loaded with file: false',
      },
    ]);
  }
  const { filePath } = recipe;
  const debounceMs = options.debounceMs ?? 100;
  const clock = options.clock ?? systemClock;
  let current = loaded;
  let closed = false;
  let timer: NodeJS.Timeout | undefined;
  let lastSeen = fingerprint(filePath);

  const reload = () => {
    timer = undefined;
    const seen = fingerprint(filePath);
    if (closed || seen === lastSeen) return;
    lastSeen = seen;
    let next: LoadedConfig;
    try {
      next = loadConfig(recipe.options);
    } catch (err) {
      const error =
        err instanceof ConfigError
          ? err
          : new ConfigError([{ path: '', message: 'the config file could not be reloaded' }], { cause: err });
      options.onError?.(error);
      return;
    }
    const changed = changedPaths(current, next);
    if (changed.length === 0) return;
    current = next;
    try {
      options.onChange(next, {
        type: 'config.reloaded',
        schemaVersion: EVENT_SCHEMA_VERSION,
        at: clock.now(),
        changedPaths: changed,
      });
    } catch (err) {
      options.onError?.(
        new ConfigError([{ path: '', message: 'onChange threw while applying the new configuration' }], { cause: err }),
      );
    }
  };
  const schedule = () => {
    if (closed) return;
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(reload, debounceMs);
    timer.unref();
  };

  let watcher: FSWatcher | undefined;
  try {
    // The folder, not the file: editors save by renaming a new file over the old one.
    watcher = watch(dirname(filePath), { persistent: false }, (_event, name) => {
      if (name === null || name === basename(filePath)) schedule();
    });
    watcher.on('error', () => {
      // The poll below keeps watching.
    });
  } catch {
    watcher = undefined;
  }
  const onPoll = (now: Stats, before: Stats) => {
    if (now.mtimeMs !== before.mtimeMs || now.size !== before.size || now.ino !== before.ino) schedule();
  };
  watchFile(filePath, { persistent: false, interval: options.pollIntervalMs ?? 1_000 }, onPoll);

  const close = () => {
    if (closed) return;
    closed = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    watcher?.close();
    unwatchFile(filePath, onPoll);
    options.signal?.removeEventListener('abort', close);
  };
  if (options.signal?.aborted) close();
  else options.signal?.addEventListener('abort', close, { once: true });
  return { current: () => current, close };
}
