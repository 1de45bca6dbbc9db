import { z } from 'zod';

/**
 * A log level name, as pino spells them. `silent` turns a logger off.
 *
 * | level | number |
 * | --- | --- |
 * | `trace` | 10 |
 * | `debug` | 20 |
 * | `info` | 30 |
 * | `warn` | 40 |
 * | `error` | 50 |
 * | `fatal` | 60 |
 * | `silent` | Infinity |
 */
export const LogLevel = z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/** See {@link LogLevel}. */
export type LogLevel = z.infer<typeof LogLevel>;

/** pino's numeric value of each level; JSON lines carry these numbers in `level`. */
export const logLevelValues: Readonly<Record<LogLevel, number>> = Object.freeze({
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
});
