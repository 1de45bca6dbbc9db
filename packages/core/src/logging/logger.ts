import { format } from 'node:util';
import { type Clock, systemClock } from '../clock.js';
import { ValidationError } from '../errors/index.js';
import { currentCorrelationId } from './correlation.js';
import { LogLevel, logLevelValues } from './levels.js';
import { serializeError, toLogValue } from './log-value.js';

/** A log method, called like pino's: `log.info('text')`, `log.info({ symbol }, 'text')`, `log.error(err)`. */
export interface LogFn {
  (msg: string, ...args: unknown[]): void;
  (obj: object, msg?: string, ...args: unknown[]): void;
}

/**
 * The logger every Stockade package takes. pino's `Logger` fits it, so a host app can pass its
 * own pino instance; {@link createLogger} is the built-in one.
 */
export interface Logger {
  /** Level 10. */
  trace: LogFn;
  /** Level 20. */
  debug: LogFn;
  /** Level 30. */
  info: LogFn;
  /** Level 40. */
  warn: LogFn;
  /** Level 50. */
  error: LogFn;
  /** Level 60. */
  fatal: LogFn;
  /** A logger whose lines carry `bindings`; with a `component` binding it takes that component's level. */
  child(bindings: Record<string, unknown>): Logger;
  /** The lowest level written; settable. */
  level: string;
}

/** Where log lines go: anything with `write(line)`, such as `process.stderr` or a file stream. */
export interface LogDestination {
  /** Receives one complete JSON line, newline included. */
  write(line: string): unknown;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written by loggers without a component level. @default 'info' */
  level?: LogLevel;
  /** Level per component: `child({ component: 'cache' })` uses `levels.cache`; `providers.polygon` falls back to `providers`. @default {} */
  levels?: Readonly<Record<string, LogLevel>>;
  /** Where lines go. @default process.stderr */
  destination?: LogDestination;
  /** Source of `time`. @default systemClock */
  clock?: Clock;
  /** Written as `name` on every line. @default none */
  name?: string;
}

const METHODS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;

interface Shared {
  levels: Readonly<Record<string, LogLevel>>;
  destination: LogDestination;
  clock: Clock;
}

function componentLevel(levels: Readonly<Record<string, LogLevel>>, component: unknown): LogLevel | undefined {
  if (typeof component !== 'string') return undefined;
  for (let c = component; c !== ''; c = c.includes('.') ? c.slice(0, c.lastIndexOf('.')) : '') {
    const level = levels[c];
    if (level !== undefined) return level;
  }
  return undefined;
}

function parseLevel(level: unknown): LogLevel {
  const parsed = LogLevel.safeParse(level);
  if (!parsed.success) {
    throw new ValidationError(`Unknown log level ${JSON.stringify(String(level))}`, [
      { path: 'level', message: `use one of ${LogLevel.options.join(', ')}` },
    ]);
  }
  return parsed.data;
}

function build(shared: Shared, bindings: Record<string, unknown>, initial: LogLevel): Logger {
  let level = initial;
  let threshold = logLevelValues[level];
  const write = (value: number, first: unknown, rest: unknown[]) => {
    let fields: Record<string, unknown> = {};
    let msg: unknown;
    let args = rest;
    if (first instanceof Error) {
      fields = { err: serializeError(first) };
      msg = typeof rest[0] === 'string' ? rest[0] : first.message;
      args = typeof rest[0] === 'string' ? rest.slice(1) : rest;
    } else if (first !== null && typeof first === 'object') {
      fields = first as Record<string, unknown>;
      msg = rest[0];
      args = rest.slice(1);
    } else {
      msg = first;
    }
    const entry: Record<string, unknown> = { level: value, time: 0, ...bindings };
    const correlationId = currentCorrelationId();
    if (correlationId !== undefined && entry.correlationId === undefined) entry.correlationId = correlationId;
    Object.assign(entry, fields);
    // A field named level or time must not disguise the line.
    entry.level = value;
    entry.time = shared.clock.now();
    if (msg !== undefined)
      entry.msg = args.length > 0 ? format(String(msg), ...args) : typeof msg === 'string' ? msg : String(msg);
    shared.destination.write(`${JSON.stringify(toLogValue(entry))}\n`);
  };
  const logger = {
    child(childBindings: Record<string, unknown>): Logger {
      const merged = { ...bindings, ...childBindings };
      const own = componentLevel(shared.levels, childBindings.component);
      return build(shared, merged, own ?? level);
    },
    get level() {
      return level;
    },
    set level(next: string) {
      level = parseLevel(next);
      threshold = logLevelValues[level];
    },
  } as Logger;
  for (const [i, method] of METHODS.entries()) {
    const value = (i + 1) * 10;
    logger[method] = (first: unknown, ...rest: unknown[]) => {
      if (value < threshold) return;
      write(value, first, rest);
    };
  }
  return logger;
}

/**
 * Creates the built-in JSON logger: one line per entry, pino's shape and numeric levels
 * (`{"level":30,"time":1767225600000,"component":"cache","correlationId":"…","msg":"…"}`), so
 * pino-pretty and log shippers read it. Every string is redacted (registered keys, key-shaped
 * query parameters, bearer tokens); Errors are serialized through their `toJSON()`; the current
 * correlation id (see {@link withCorrelation}) is added to every line.
 *
 * @throws {ValidationError} for an unknown level name.
 * @example
 * const log = createLogger({ level: 'info', levels: { cache: 'debug' } });
 * log.child({ component: 'cache' }).debug({ key: 'quote:AAPL' }, 'miss'); // written: cache is at debug
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = parseLevel(options.level ?? 'info');
  const levels: Record<string, LogLevel> = {};
  for (const [component, l] of Object.entries(options.levels ?? {})) levels[component] = parseLevel(l);
  const shared: Shared = {
    levels,
    destination: options.destination ?? process.stderr,
    clock: options.clock ?? systemClock,
  };
  return build(shared, options.name === undefined ? {} : { name: options.name }, level);
}

const noop = () => {};

/** A logger that writes nothing; the default wherever a logger is optional. */
export const silentLogger: Logger = Object.freeze({
  trace: noop,
  debug: noop,
  info: noop,
  warn: noop,
  error: noop,
  fatal: noop,
  child: () => silentLogger,
  get level() {
    return 'silent';
  },
  set level(_: string) {
    // Silent stays silent.
  },
});
